// Small progressive enhancements. Everything works without this file.
(function () {
  "use strict";
  // Dismiss buttons on toasts and notices.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (button) {
      var target = button.closest(button.getAttribute("data-dismiss"));
      if (target) { target.remove(); }
    }
  });
  // After htmx swaps a region, move focus to its heading so keyboard and screen-reader users follow.
  document.addEventListener("htmx:afterSwap", function (event) {
    var focusTarget = event.detail.target.querySelector("[data-focus-on-swap]");
    if (focusTarget) { focusTarget.focus(); }
  });
})();
