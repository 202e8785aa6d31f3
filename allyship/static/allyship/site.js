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
  // With an outerHTML swap the event's target is the old, detached element, so look in the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.id === "toasts") { return; }
    var scope = target && target.isConnected ? target : document;
    var focusTarget = scope.querySelector("[data-focus-on-swap]") ||
      document.querySelector("[data-focus-on-swap]");
    if (focusTarget) { focusTarget.focus(); }
  });
})();
// Recognition: celebrations and certificates.
(function () {
  "use strict";
  // Anything posted through htmx may have earned a badge: ask the toasts region to look.
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail;
    var config = detail.requestConfig || {};
    if (!detail.successful || (config.verb || "get") === "get") { return; }
    if (detail.elt && detail.elt.closest && detail.elt.closest("#toasts")) { return; }
    document.body.dispatchEvent(new CustomEvent("allyship:earned", { bubbles: true }));
  });
  // After a toast is dismissed, keep keyboard focus in a sensible place.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var config = event.detail.requestConfig || {};
    if (!target || target.id !== "toasts" || config.verb !== "post") { return; }
    var next = target.querySelector(".toast-dismiss button");
    (next || document.getElementById("main")).focus();
  });
  // Certificates: a Print button where JavaScript can print.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
