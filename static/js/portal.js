// Behaviour every page shares, kept out of the templates for the Content-Security-Policy (no
// inline scripts, no on* attributes, no style attributes):
// - <select data-autosubmit> submits its form when the choice changes (the language switcher);
// - [data-bar-width] sets a progress bar's width in percent (style attributes would be blocked;
//   styles set from a script through the DOM are not);
// - <input data-date-picker> (core/widgets.py DayFirstDateInput, typed dd/mm/yyyy) gets a
//   calendar button: the browser's own date picker, whose choice is written back day first;
// - <form data-confirm="question"> asks the question before it is sent and stays put when the
//   user cancels (a destructive action that has no confirmation page of its own).
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  document.querySelectorAll("[data-bar-width]").forEach(function (bar) {
    var percent = Math.max(0, Math.min(100, Number(bar.dataset.barWidth) || 0));
    bar.style.width = percent + "%";
  });

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function addDatePicker(input) {
    var picker = document.createElement("input");
    picker.type = "date";
    if (typeof picker.showPicker !== "function") return;
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    picker.className = "date-picker-native";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary date-picker-button";
    var label = document.documentElement.lang === "en" ? "Choose a date" : "Chọn ngày";
    button.setAttribute("aria-label", label);
    button.title = label;
    button.textContent = "\u{1F4C5}";
    var group = document.createElement("div");
    group.className = "input-group date-picker";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    group.appendChild(button);
    group.appendChild(picker);
    button.addEventListener("click", function () {
      var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(input.value.trim());
      picker.value = m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
      picker.showPicker();
    });
    picker.addEventListener("change", function () {
      var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(picker.value);
      if (p) input.value = p[3] + "/" + p[2] + "/" + p[1];
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  document.querySelectorAll("input[data-date-picker]").forEach(addDatePicker);
})();
