/* helpgen: the home page's large search box feeds Material's own search (same index, same results),
   and the language switcher keeps the reader on the same page. */
(function () {
  "use strict";
  /* The large box hands over to the header search: the same text, caret at the end, no scroll. */
  function openSearch(text) {
    var toggle = document.getElementById("__search");
    var input = document.querySelector(".md-search__input");
    if (!toggle || !input) return false;
    var x = window.scrollX, y = window.scrollY;
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.value = text;
    try { input.focus({ preventScroll: true }); } catch (e) { input.focus(); }
    try { input.setSelectionRange(text.length, text.length); } catch (e) {}
    if (window.scrollX !== x || window.scrollY !== y) window.scrollTo(x, y);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    return true;
  }
  /* A placeholder wider than the box (a phone) is also shown in full as a hint under it. */
  function fitPlaceholder(box) {
    var text = box.getAttribute("placeholder") || "";
    var old = box.parentNode.querySelector(".hg-hero__hint");
    var style = getComputedStyle(box), canvas = fitPlaceholder.canvas ||
      (fitPlaceholder.canvas = document.createElement("canvas"));
    var ctx = canvas.getContext && canvas.getContext("2d");
    if (!ctx || !text) return;
    var holder = getComputedStyle(box, "::placeholder");
    ctx.font = [holder.fontStyle, holder.fontWeight, holder.fontSize, holder.fontFamily].join(" ");
    var inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var fits = ctx.measureText(text).width <= inner;
    box.classList.toggle("hg-hero__input--long", !fits);
    if (fits && old) old.remove();
    if (fits || old) return;
    var hint = document.createElement("p");
    hint.className = "hg-hero__hint";
    hint.id = "hg-hero-hint";
    hint.textContent = text;
    box.setAttribute("aria-describedby", hint.id);
    box.parentNode.insertBefore(hint, box.nextSibling);
  }
  function wire(box) {
    if (box.dataset.hgWired) return;
    box.dataset.hgWired = "1";
    var form = box.closest("form");
    box.addEventListener("input", function () { if (box.value) openSearch(box.value); });
    box.addEventListener("focus", function () { if (box.value) openSearch(box.value); });
    if (form) form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      openSearch(box.value);
    });
    var input = document.querySelector(".md-search__input");
    if (input) input.addEventListener("input", function () {  /* the box shows what is searched */
      if (box.value && document.activeElement === input) box.value = input.value;
    });
    fitPlaceholder(box);
    window.addEventListener("resize", function () { fitPlaceholder(box); });
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
