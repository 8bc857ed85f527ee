// The news editor: progressive enhancement of <textarea data-rich-text> with Squire
// (vendor/squire, paste cleaned by vendor/dompurify). Without this file the textarea takes
// HTML or plain text, and the server cleans whatever arrives (services/sanitize.py) either way.
// The textarea stays in the form, hidden, and holds the editor's HTML after every change.
(function () {
  "use strict";

  function labelsOf(form) {
    try { return JSON.parse(form.getAttribute("data-rich-text-labels") || "{}"); } catch (e) { return {}; }
  }

  function setBlock(editor, tag) {
    editor.modifyBlocks(function (frag) {
      var out = document.createDocumentFragment();
      Array.prototype.slice.call(frag.childNodes).forEach(function (block) {
        var element = document.createElement(block.nodeName === tag ? "P" : tag);
        while (block.firstChild) element.appendChild(block.firstChild);
        out.appendChild(element);
      });
      return out;
    });
  }

  function actions(editor, labels) {
    return [
      ["bold", "B", function () { editor.hasFormat("B") ? editor.removeBold() : editor.bold(); }],
      ["italic", "I", function () { editor.hasFormat("I") ? editor.removeItalic() : editor.italic(); }],
      ["heading", "H2", function () { setBlock(editor, "H2"); }],
      ["subheading", "H3", function () { setBlock(editor, "H3"); }],
      ["bullets", "•", function () { editor.hasFormat("UL") ? editor.removeList() : editor.makeUnorderedList(); }],
      ["numbers", "1.", function () { editor.hasFormat("OL") ? editor.removeList() : editor.makeOrderedList(); }],
      ["quote", "❝", function () { editor.hasFormat("BLOCKQUOTE") ? editor.removeQuote() : editor.increaseQuoteLevel(); }],
      ["link", "URL", function () {
        if (editor.hasFormat("A")) { editor.removeLink(); return; }
        var url = window.prompt(labels.link_prompt || "https://", "https://");
        if (url && /^(https?:|mailto:|tel:)/i.test(url)) editor.makeLink(url);
      }],
      ["undo", "↶", function () { editor.undo(); }],
      ["redo", "↷", function () { editor.redo(); }]
    ];
  }

  function enhance(textarea, labels) {
    if (textarea.getAttribute("data-rich-text-ready")) return;
    textarea.setAttribute("data-rich-text-ready", "1");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var wrapper = document.createElement("div");
    wrapper.className = "rich-text";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-text-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", (labels.toolbar || "Formatting") + (label ? ": " + label.textContent : ""));
    var area = document.createElement("div");
    area.className = "rich-text-area";
    area.id = textarea.id + "-editor";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) { label.id = label.id || textarea.id + "-label"; area.setAttribute("aria-labelledby", label.id); label.setAttribute("for", area.id); }
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) area.setAttribute(name, textarea.getAttribute(name));
    });
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea);
    textarea.hidden = true;

    var editor = new window.Squire(area, { blockTag: "P" });
    var value = textarea.value.trim();
    if (value && !/<[a-z!/]/i.test(value)) {
      value = value.split(/\n\s*\n/).map(function (p) {
        var div = document.createElement("p"); div.textContent = p; return div.outerHTML.replace(/\n/g, "<br>");
      }).join("");
    }
    editor.setHTML(value);
    var sync = function () { textarea.value = editor.getHTML(); };
    editor.addEventListener("input", sync);
    if (textarea.form) textarea.form.addEventListener("submit", sync, true);
    if (label) label.addEventListener("click", function () { editor.focus(); });

    actions(editor, labels).forEach(function (entry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary rich-text-button";
      // The symbol is what shows; the name (in the page's language) is what is read out.
      var symbol = document.createElement("span");
      symbol.setAttribute("aria-hidden", "true");
      symbol.textContent = entry[1];
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = labels[entry[0]] || entry[0];
      button.appendChild(symbol);
      button.appendChild(name);
      button.title = labels[entry[0]] || entry[0];
      button.addEventListener("click", function () { entry[2](); sync(); editor.focus(); });
      toolbar.appendChild(button);
    });
  }

  function init() {
    if (!window.Squire) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-rich-text-labels]"), function (form) {
      var labels = labelsOf(form);
      Array.prototype.forEach.call(form.querySelectorAll("textarea[data-rich-text]"), function (t) { enhance(t, labels); });
    });
  }

  window.portalRichText = { init: init };
  init();
})();
