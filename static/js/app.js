// Sieć ES: small progressive enhancements on top of htmx (no inline scripts; CSP-safe).
(function () {
  "use strict";
  // After htmx swaps new content in, move focus there so keyboard and screen-reader users
  // know the page changed: to the error summary if there is one, else to a note the page marks
  // with data-focus-after-swap, else to the first heading.
  // A swap the user did not ask for (a section loaded with the page, a progress poll) leaves
  // the focus where it is: an element that requests by itself carries data-swap-quiet.
  document.addEventListener("htmx:afterSwap", function (evt) {
    var target = evt.detail.target;
    if (!target) { return; }
    var origin = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    if ((origin && origin.closest && origin.closest("[data-swap-quiet]")) ||
        target.closest("[data-swap-quiet]")) { return; }
    var focusable = target.querySelector(".error-summary") ||
      target.querySelector("[data-focus-after-swap]") || target.querySelector("h1, h2");
    if (focusable) {
      var native = focusable.matches("input, select, textarea, button, a[href]");
      if (!native && !focusable.hasAttribute("tabindex")) { focusable.setAttribute("tabindex", "-1"); }
      focusable.focus();
    }
  });
})();
