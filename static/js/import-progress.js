// Progress of a big facility import (templates/facilities/facility_import_job.html): poll the job's
// small JSON endpoint once a second and move the bar; once the job stops running, reload the page,
// which then shows the preview (counts or problems) or the result.
(function () {
  "use strict";

  var INTERVAL = 1000;
  var RETRY_AFTER_ERROR = 5000;

  function show(box, percent, label) {
    box.querySelector(".progress-bar").style.width = percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(percent));
    box.querySelector(".import-percent").textContent = percent + " %";
    if (label) {
      box.querySelector(".import-state").textContent = label;
    }
  }

  function poll(box) {
    fetch(box.dataset.progressUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(box, data.progress, data.state_label);
        if (data.running) {
          window.setTimeout(poll, INTERVAL, box);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, RETRY_AFTER_ERROR, box);
      });
  }

  var box = document.getElementById("import-job-progress");
  if (box) {
    show(box, Number(box.dataset.progress || 0), "");
    window.setTimeout(poll, INTERVAL, box);
  }
})();
