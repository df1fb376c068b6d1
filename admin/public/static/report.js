// Draws the report's distribution chart with the vendored Chart.js; the table beside it holds the same numbers.
(function () {
  var source = document.getElementById("chart-data");
  var canvas = document.getElementById("distribution-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1b6b36", "#4c9a2a", "#e0a800", "#d9534f", "#7f1d1d"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
      })
    },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, min: 0, max: 100, title: { display: true, text: "%" } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
