// The one-time token of a creation form (assessments/assessment_forms.py FormTokenInput: the
// assessment, "add option" and activity forms): put into its invisible text input on the first load
// only. Back on the page with the back button,
// the browser restores what was typed, this token included, so sending the form again carries
// the token of its first sending and the portal does not create a duplicate.
(function () {
  "use strict";

  document.querySelectorAll("input[data-form-token]").forEach(function (input) {
    if (!input.value) input.value = input.dataset.formToken;
  });
})();
