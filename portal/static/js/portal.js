// Progressive enhancement only: every page works without this file.
// After a boosted (htmx) navigation, move keyboard and screen-reader focus to the new page's
// main content, as a full page load would.
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.detail || !event.detail.boosted) return;
  var main = document.getElementById("main");
  if (main) main.focus({ preventScroll: false });
});

// Pages that ask for more script name it (in order) on an element, so that it loads after a
// boosted navigation too (htmx does not run scripts it swaps in): <form data-scripts="a.js b.js">.
// Each file is loaded once; the last one's own code starts its work, and calls
// window.portalRichText.init() again when the page changes.
function loadPageScripts() {
  var holder = document.querySelector("[data-scripts]");
  if (!holder) return;
  var urls = holder.getAttribute("data-scripts").split(" ").filter(Boolean);
  (function next(i) {
    if (i >= urls.length) { if (window.portalRichText) window.portalRichText.init(); return; }
    if (document.querySelector('script[src="' + urls[i] + '"]')) { next(i + 1); return; }
    var script = document.createElement("script");
    script.src = urls[i];
    script.onload = function () { next(i + 1); };
    document.head.appendChild(script);
  })(0);
}
document.addEventListener("DOMContentLoaded", loadPageScripts);

// On a narrow screen the main menu folds behind its button (the CSS decides the width; the
// list stays open without script). A boosted navigation brings a new header: fold it again.
function foldMainMenu() {
  var nav = document.querySelector(".main-nav");
  var button = nav && nav.querySelector(".button-nav-toggle");
  if (!button || nav.classList.contains("folding")) return;
  nav.classList.add("folding");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
}
document.addEventListener("DOMContentLoaded", foldMainMenu);
document.addEventListener("htmx:afterSettle", foldMainMenu);
document.addEventListener("htmx:afterSettle", loadPageScripts);
