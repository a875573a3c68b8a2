// Draws the charts page's charts with Chart.js (vendored in ./chartjs) from the JSON the page carries.
// Every chart has its table beside it, so the page says the same without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#2b7a5c", "#3f6fb5", "#b08a1e", "#7b5ea7", "#8aa39a", "#b3261e", "#d2691e", "#4a4a4a"];

  function datasets(chart, canvas) {
    var line = canvas.dataset.line;
    return Object.keys(chart.series).map(function (key, i) {
      var isLine = canvas.dataset.kind === "line" || key === line;
      return {
        label: (data.names && data.names[key]) || key,
        data: chart.series[key],
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
        type: isLine ? "line" : "bar",
        yAxisID: key === line ? "minutes" : "y",
        spanGaps: true,
        tension: 0.2
      };
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.dataset.chart];
    if (!chart || !chart.labels.length) { canvas.parentNode.hidden = true; return; }
    var stacked = canvas.dataset.stacked === "1";
    var scales = { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } };
    if (canvas.dataset.line) {
      scales.minutes = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } };
    }
    new Chart(canvas, {
      type: canvas.dataset.kind === "line" ? "line" : "bar",
      data: { labels: chart.labels, datasets: datasets(chart, canvas) },
      options: {
        indexAxis: canvas.dataset.horizontal === "1" ? "y" : "x",
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: canvas.dataset.horizontal === "1" ? { x: { beginAtZero: true } } : scales,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
  });
})();
