// Charts of the indicator dashboard. The data comes from the page's json_script block
// (reports/dashboard_charts.py); Chart.js is vendored under static/vendor/.
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
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
  var COLORS = {
    AWARE_PCT: "#198754",
    APPLY_PCT: "#0d6efd",
    SAVING_PCT: "#fd7e14",
    ENT_UNIT_PCT: "#6f42c1",
  };
  var LABELS = {
    AWARE_PCT: gettext("Nhận thức"),
    APPLY_PCT: gettext("Áp dụng SXSH"),
    SAVING_PCT: gettext("Tiết kiệm năng lượng"),
    ENT_UNIT_PCT: gettext("DN có bộ phận SXSH"),
  };

  // The lines a year is judged against (dashboard_charts._target_lines): each year's milestone
  // as points joined in steps (a year without one is left out), the period's target dashed.
  var LINE_STYLES = {
    milestone: { borderDash: [], pointRadius: 4, pointStyle: "rectRot", stepped: "middle" },
    milestone_high: { borderDash: [], pointRadius: 4, pointStyle: "triangle", stepped: "middle" },
    target: { borderDash: [6, 4], pointRadius: 0 },
    target_high: { borderDash: [2, 3], pointRadius: 0 },
  };

  function targetDatasets(series) {
    return (series.lines || []).map(function (line) {
      var style = LINE_STYLES[line.kind] || LINE_STYLES.target;
      var milestone = line.kind.indexOf("milestone") === 0;
      return {
        label: line.label,
        data: line.values,
        borderColor: milestone ? "#b02a37" : "#dc3545",
        backgroundColor: milestone ? "#b02a37" : "#dc3545",
        borderDash: style.borderDash,
        borderWidth: milestone ? 1.5 : 2,
        pointRadius: style.pointRadius,
        pointStyle: style.pointStyle || "circle",
        stepped: style.stepped || false,
        spanGaps: false,
        fill: false,
      };
    });
  }

  function trendChart(canvas, series) {
    var color = COLORS[series.code] || "#198754";
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: data.years,
        datasets: [
          {
            label: gettext("Thực hiện") + " (" + series.unit + ")",
            data: series.values,
            borderColor: color,
            backgroundColor: color,
            spanGaps: true,
          },
        ].concat(targetDatasets(series)),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        // Axis numbers the Vietnamese way (12,5), as on the page, whatever the browser's language.
        locale: "vi-VN",
        plugins: { legend: { display: true, labels: { boxWidth: 12 } } },
        scales: { y: { beginAtZero: true } },
      },
    });
  }

  function breakdownChart(canvas, breakdown) {
    var horizontal = breakdown.labels.length > 8;
    if (horizontal) {
      // One readable row per group, every group named: the box grows with the groups instead
      // of squeezing forty wards' bars into a fixed height and skipping their names.
      canvas.parentNode.style.height =
        Math.max(320, breakdown.labels.length * 8 * breakdown.datasets.length + 80) + "px";
    }
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: breakdown.labels,
        datasets: breakdown.datasets.map(function (set) {
          return {
            label: LABELS[set.code] || set.code,
            data: set.values,
            backgroundColor: COLORS[set.code] || "#6c757d",
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        // Axis numbers the Vietnamese way (12,5), as on the page, whatever the browser's language.
        locale: "vi-VN",
        indexAxis: horizontal ? "y" : "x",
        scales: {
          x: { beginAtZero: true },
          y: { beginAtZero: true, ticks: { autoSkip: !horizontal } },
        },
      },
    });
  }

  document.querySelectorAll("canvas.trend-chart").forEach(function (canvas) {
    var series = data.trend.find(function (item) {
      return item.code === canvas.dataset.code;
    });
    if (series) {
      trendChart(canvas, series);
    }
  });
  var groups = document.getElementById("group-chart");
  if (groups) {
    breakdownChart(groups, data.groups);
  }
  // Picking a year or a grouping reloads the page for it; the arrow keys only move the choice
  // (Enter or the "Xem" button sends it): portal.js, loaded before this file.
  document.querySelectorAll("#year-form select").forEach(window.portalSubmitOnPick);
})();
