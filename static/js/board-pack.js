/* The board pack's "Print or save as PDF" button (no inline handlers: the CSP forbids them). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
