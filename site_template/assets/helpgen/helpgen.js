/* helpgen: the home page's large search box feeds Material's own search (same index, same results),
   and the language switcher keeps the reader on the same page. */
(function () {
  "use strict";
  function openSearch(text) {
    var toggle = document.getElementById("__search");
    var input = document.querySelector(".md-search__input");
    if (!toggle || !input) return false;
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.value = text;
    input.focus();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    return true;
  }
  function wire(box) {
    if (box.dataset.hgWired) return;
    box.dataset.hgWired = "1";
    var form = box.closest("form");
    box.addEventListener("input", function () { openSearch(box.value); box.value = ""; });
    box.addEventListener("focus", function () { if (box.value) openSearch(box.value); });
    if (form) form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      openSearch(box.value);
    });
  }
  /* The language switcher links to each language's root; point it at the same page instead. */
  function keepPage() {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.md-select__link[hreflang]"));
    var lang = document.documentElement.lang;
    var own = links.filter(function (a) { return a.hreflang === lang; })[0];
    if (!own) return;
    var here = location.href.split("#")[0].split("?")[0];
    var root = own.href.replace(/index\.html$/, "");  /* offline sites link index.html */
    if (here.indexOf(root) !== 0) return;
    var rest = here.slice(root.length);
    links.forEach(function (a) { if (a !== own) a.href = new URL(rest, a.href).href; });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".hg-hero__input"), wire);
    keepPage();
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
