// Behaviour every page shares, kept out of the templates for the Content-Security-Policy (no
// inline scripts, no on* attributes, no style attributes):
// - <select data-autosubmit> submits its form when the choice changes (the language switcher);
// - [data-bar-width] sets a progress bar's width in percent (style attributes would be blocked;
//   styles set from a script through the DOM are not).
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  document.querySelectorAll("[data-bar-width]").forEach(function (bar) {
    var percent = Math.max(0, Math.min(100, Number(bar.dataset.barWidth) || 0));
    bar.style.width = percent + "%";
  });
})();
