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

  function constant(value, count) {
    var values = [];
    for (var i = 0; i < count; i += 1) {
      values.push(value);
    }
    return values;
  }

  function targetDatasets(series, count) {
    var sets = [];
    if (series.target.min !== null) {
      sets.push({
        label: series.target.max !== null ? gettext("Chỉ tiêu (mức thấp)") : gettext("Chỉ tiêu"),
        data: constant(series.target.min, count),
        borderColor: "#dc3545",
        borderDash: [6, 4],
        pointRadius: 0,
        fill: false,
      });
    }
    if (series.target.max !== null) {
      sets.push({
        label: gettext("Chỉ tiêu (mức cao)"),
        data: constant(series.target.max, count),
        borderColor: "#dc3545",
        borderDash: [2, 3],
        pointRadius: 0,
        fill: false,
      });
    }
    return sets;
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
        ].concat(targetDatasets(series, data.years.length)),
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
  // Changing the year or the grouping reloads the page for it.
  document.querySelectorAll("#year-form select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
