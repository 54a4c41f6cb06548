// Live progress of generated reports: every element with data-progress-url polls its small JSON
// endpoint once a second until the job has finished, then shows the download link or the error.
(function () {
  "use strict";

  var INTERVAL = 1000;
  var RETRY_AFTER_ERROR = 5000;
  var STATE_CLASSES = {
    queued: "text-bg-secondary",
    running: "text-bg-primary",
    succeeded: "text-bg-success",
    failed: "text-bg-danger",
  };

  function setBar(box, percent, state) {
    var bar = box.querySelector(".progress-bar");
    var outer = box.querySelector(".progress");
    bar.style.width = percent + "%";
    outer.setAttribute("aria-valuenow", String(percent));
    bar.classList.toggle("bg-success", state === "succeeded");
    bar.classList.toggle("bg-danger", state === "failed");
    bar.classList.toggle("progress-bar-striped", state === "running");
    bar.classList.toggle("progress-bar-animated", state === "running");
    box.querySelector(".report-percent").textContent = percent + " %";
  }

  function render(box, data) {
    setBar(box, data.progress, data.state);
    box.dataset.state = data.state;
    box.dataset.finished = data.finished ? "1" : "0";
    var badge = box.querySelector(".report-state");
    Object.keys(STATE_CLASSES).forEach(function (state) {
      badge.classList.remove(STATE_CLASSES[state]);
    });
    badge.classList.add(STATE_CLASSES[data.state] || "text-bg-secondary");
    // The badge is in a role="status" region and the error is a role="alert": their text is
    // only written when it changes, so that an unchanged poll is never read out again.
    setText(badge, data.state_label);
    var link = box.querySelector(".report-download");
    if (data.download_url) {
      link.href = data.download_url;
    }
    link.hidden = !data.download_url;
    var error = box.querySelector(".report-error");
    setText(error, data.error || "");
  }

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function poll(box) {
    fetch(box.dataset.progressUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 404) {
          return null; // deleted: stop polling
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        render(box, data);
        if (!data.finished) {
          window.setTimeout(poll, INTERVAL, box);
        }
      })
      .catch(function () {
        window.setTimeout(poll, RETRY_AFTER_ERROR, box);
      });
  }

  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    setBar(box, Number(box.dataset.progress || 0), box.dataset.state);
    if (box.dataset.finished !== "1") {
      window.setTimeout(poll, INTERVAL, box);
    }
  });
})();
