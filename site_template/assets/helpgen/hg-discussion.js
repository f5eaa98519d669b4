/* helpgen: discussion under articles loads only after the reader presses "Show discussion", so no
   request reaches another host before consent. */
(function () {
  "use strict";
  function show(button) {
    var attrs = JSON.parse(button.getAttribute("data-hg-discussion"));
    var script = document.createElement("script");
    Object.keys(attrs).forEach(function (key) { script.setAttribute(key, attrs[key]); });
    script.async = true;
    var thread = button.parentNode.querySelector(".hg-discussion__thread");
    button.hidden = true;
    (thread || button.parentNode).appendChild(script);
  }
  function init() {
    document.querySelectorAll("button.hg-discussion__show").forEach(function (button) {
      if (button.dataset.hgWired) return;
      button.dataset.hgWired = "1";
      button.addEventListener("click", function () { show(button); });
    });
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
