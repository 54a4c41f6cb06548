// A facility's energy intensity and its saving against the target band (reports/views/facility_intensity.py).
(function () {
  "use strict";

  var source = document.getElementById("intensity-data");
  var canvas = document.getElementById("intensity-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // The page loads Django's JavaScript catalogue (javascript-catalog) before this file.
  var gettext =
    window.gettext ||
    function (text) {
      return text;
    };
  var flat = function (value) {
    return data.years.map(function () {
      return value;
    });
  };
  new Chart(canvas, {
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
          label: gettext("Tiết kiệm so với năm gốc (%)"),
          data: data.saving,
          borderColor: "#198754",
          backgroundColor: "#198754",
          spanGaps: true,
          yAxisID: "saving",
        },
        {
          type: "line",
          // Named by the template, in the same words as on the progress page.
          label: canvas.dataset.targetLabel,
          data: flat(data.target.min),
          borderColor: "#dc3545",
          borderDash: [6, 4],
          pointRadius: 0,
          yAxisID: "saving",
        },
        {
          type: "line",
          label: canvas.dataset.targetMaxLabel,
          data: flat(data.target.max),
          borderColor: "#dc3545",
          borderDash: [2, 3],
          pointRadius: 0,
          yAxisID: "saving",
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      locale: "vi-VN",
      scales: {
        intensity: { type: "linear", position: "left", beginAtZero: true },
        // From 0, and high enough that both target lines are in sight above the x-axis.
        saving: {
          type: "linear",
          position: "right",
          beginAtZero: true,
          suggestedMax: data.target.max * 1.2,
          grid: { drawOnChartArea: false },
        },
      },
    },
  });
})();
