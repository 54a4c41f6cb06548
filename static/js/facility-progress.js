// A facility's progress (reports/views/progress.py): energy intensity per year with its fall
// against the baseline and the plan's saving line, and its benchmark score per year. The same
// figures are in the table under the charts.
(function () {
  "use strict";

  var source = document.getElementById("progress-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // The page loads Django's JavaScript catalogue (javascript-catalog) before this file.
  var gettext =
    window.gettext ||
    function (text) {
      return text;
    };

  var progress = document.getElementById("progress-chart");
  if (progress) {
    new Chart(progress, {
      data: {
        labels: data.years,
        datasets: [
          {
            type: "bar",
            label: gettext("Suất tiêu hao (TOE/đơn vị SP)"),
            data: data.intensity,
            backgroundColor: "#9ec5fe",
            yAxisID: "intensity",
            // Chart.js draws a lower `order` on top: the lines (order 0) over the bars.
            order: 1,
          },
          {
            type: "line",
            label: gettext("Giảm so với năm gốc (%)"),
            data: data.fall,
            borderColor: "#198754",
            backgroundColor: "#198754",
            spanGaps: true,
            yAxisID: "fall",
          },
          {
            type: "line",
            // Named by the template, in the same words as on the intensity page.
            label: progress.dataset.targetLabel,
            data: data.years.map(function () {
              return data.target;
            }),
            borderColor: "#dc3545",
            borderDash: [6, 4],
            pointRadius: 0,
            yAxisID: "fall",
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        locale: "vi-VN",
        scales: {
          intensity: { type: "linear", position: "left", beginAtZero: true },
          // From 0, and high enough that the saving line is always in sight.
          fall: {
            type: "linear",
            position: "right",
            beginAtZero: true,
            suggestedMax: data.target * 1.5,
            grid: { drawOnChartArea: false },
          },
        },
      },
    });
  }

  var score = document.getElementById("score-chart");
  if (score) {
    new Chart(score, {
      type: "line",
      data: {
        labels: data.years,
        datasets: [
          {
            label: gettext("Điểm hiệu quả trong ngành (0–100)"),
            data: data.score,
            borderColor: "#0d6efd",
            backgroundColor: "#0d6efd",
            spanGaps: true,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { offset: true }, y: { min: 0, max: 100 } },
      },
    });
  }
})();
