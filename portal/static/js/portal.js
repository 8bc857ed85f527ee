// Progressive enhancement only: every page works without this file.
// After a boosted (htmx) navigation, move keyboard and screen-reader focus to the new page's
// main content, as a full page load would.
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.detail || !event.detail.boosted) return;
  var main = document.getElementById("main");
  if (main) main.focus({ preventScroll: false });
});
