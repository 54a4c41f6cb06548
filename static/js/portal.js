// Behaviour every page shares, kept out of the templates for the Content-Security-Policy (no
// inline scripts, no on* attributes, no style attributes):
// - <select data-autosubmit> submits its form when a choice is picked (the language switcher):
//   see submitOnPick, also used by other pages' scripts as window.portalSubmitOnPick;
// - [data-bar-width] sets a progress bar's width in percent (style attributes would be blocked;
//   styles set from a script through the DOM are not);
// - <input data-date-picker> (core/widgets.py DayFirstDateInput, typed dd/mm/yyyy) gets a
//   calendar button: the browser's own date picker, whose choice is written back day first (the
//   field's error moves into the new input group, so that Bootstrap still shows it);
// - <form data-confirm="question"> asks the question before it is sent and stays put when the
//   user cancels (a destructive action that has no confirmation page of its own);
// - [data-error-summary] (templates/includes/form_errors.html), the list of errors after a failed
//   save, takes the focus when the page opens, so it is read out and in view; its links move the
//   focus to their field (a plain link to an input only scrolls to it) with the label in view.
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // A <select> that sends its form when a choice is picked with the pointer (or set by a
  // script), but not while the keyboard walks through the choices: ↑/↓ on a focused select
  // change its value at every press, and a reload per press would throw the focus back to the
  // top of the page (WCAG 3.2.2). After a keyboard change Enter sends the form; a form without
  // a submit button of its own (the language switch) gets one after the select.
  function submitOnPick(select) {
    var keyboard = false;
    select.addEventListener("pointerdown", function () {
      keyboard = false;
    });
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        select.form.submit();
      } else {
        keyboard = true;
      }
    });
    select.addEventListener("change", function () {
      if (!keyboard) {
        select.form.submit();
      } else if (!select.form.querySelector("[type=submit]")) {
        var button = document.createElement("button");
        button.type = "submit";
        button.className = "btn btn-sm btn-light ms-1";
        button.textContent = "OK";
        select.insertAdjacentElement("afterend", button);
      }
    });
  }
  window.portalSubmitOnPick = submitOnPick;

  document.querySelectorAll("select[data-autosubmit]").forEach(submitOnPick);

  document.querySelectorAll("[data-bar-width]").forEach(function (bar) {
    var percent = Math.max(0, Math.min(100, Number(bar.dataset.barWidth) || 0));
    bar.style.width = percent + "%";
  });

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // A calendar drawn inline (an emoji needs a colour-emoji font, which many machines lack:
  // they show an empty box). Decorative: the button's aria-label names it.
  var SVG = "http://www.w3.org/2000/svg";
  function calendarIcon() {
    var svg = document.createElementNS(SVG, "svg");
    var attributes = {
      viewBox: "0 0 16 16",
      width: "16",
      height: "16",
      fill: "none",
      stroke: "currentColor",
      "stroke-width": "1.5",
      "stroke-linecap": "round",
      "aria-hidden": "true",
      focusable: "false",
      class: "date-picker-icon",
    };
    Object.keys(attributes).forEach(function (name) {
      svg.setAttribute(name, attributes[name]);
    });
    svg.style.verticalAlign = "-0.125em"; // on the text's baseline, as a glyph would be
    [
      // the page with rounded corners, its top bar and rings, and five days
      "M3.25 2.75h9.5a1.5 1.5 0 0 1 1.5 1.5v8.5a1.5 1.5 0 0 1-1.5 1.5h-9.5" +
        "a1.5 1.5 0 0 1-1.5-1.5v-8.5a1.5 1.5 0 0 1 1.5-1.5z",
      "M1.75 6.25h12.5M5 1.25v3M11 1.25v3",
      "M4.75 9h.5M7.75 9h.5M10.75 9h.5M4.75 11.5h.5M7.75 11.5h.5",
    ].forEach(function (d) {
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }

  // The field's own error (crispy's .invalid-feedback, named by the input's aria-describedby)
  // goes into the group, after the button: Bootstrap shows it only as a sibling of the
  // .is-invalid input (`.is-invalid ~ .invalid-feedback`), and left outside the new group it
  // stayed hidden, the red border alone telling that something was wrong.
  function moveErrorInto(group, input) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/);
    var moved = false;
    ids.forEach(function (id) {
      var feedback = id && document.getElementById(id);
      if (feedback && feedback.classList.contains("invalid-feedback")) {
        group.appendChild(feedback);
        moved = true;
      }
    });
    if (moved) group.classList.add("has-validation");
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
    button.appendChild(calendarIcon());
    var group = document.createElement("div");
    group.className = "input-group date-picker";
    input.parentNode.insertBefore(group, input);
    // The hidden picker before the button, so that the button keeps the group's round corners.
    group.appendChild(input);
    group.appendChild(picker);
    group.appendChild(button);
    moveErrorInto(group, input);
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

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) return;
        event.preventDefault();
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
      });
    });
    summary.focus();
  }
})();
