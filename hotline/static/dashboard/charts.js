// Draws the charts page's charts with Chart.js (vendored in ./chartjs) from the JSON the page carries.
// Every chart has its table beside it, so the page says the same without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#2b7a5c", "#3f6fb5", "#b08a1e", "#7b5ea7", "#8aa39a", "#b3261e", "#d2691e", "#4a4a4a"];

  // chart.series: [[name, values], ...] in order; chart.line: the index of a series drawn as a line on its own axis.
  function datasets(chart, canvas) {
    return chart.series.map(function (series, i) {
      var own = i === chart.line;
      return {
        label: series[0],
        data: series[1],
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
        type: canvas.dataset.kind === "line" || own ? "line" : "bar",
        yAxisID: own ? "minutes" : "y",
        spanGaps: true,
        tension: 0.2
      };
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.dataset.chart];
    if (!chart || !chart.labels.length) { canvas.parentNode.hidden = true; return; }
    var stacked = canvas.dataset.stacked === "1";
    var counts = { beginAtZero: true, ticks: { precision: 0 } };  // whole numbers: people, visits, calls
    var scales = { x: { stacked: stacked }, y: Object.assign({ stacked: stacked }, counts) };
    if (chart.line !== undefined) {
      scales.minutes = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } };
    }
    new Chart(canvas, {
      type: canvas.dataset.kind === "line" ? "line" : "bar",
      data: { labels: chart.labels, datasets: datasets(chart, canvas) },
      options: {
        indexAxis: canvas.dataset.horizontal === "1" ? "y" : "x",
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: canvas.dataset.horizontal === "1" ? { x: counts } : scales,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
  });
})();
