// HR's responses-per-month chart: bars for responses, a line for the month's IKM (vendored Chart.js).
(function () {
  var source = document.getElementById("months-data");
  var canvas = document.getElementById("months-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Tanggapan / responses", data: data.responses, backgroundColor: "#0b5c8c", yAxisID: "y" },
        { type: "line", label: "IKM", data: data.ikm, borderColor: "#d9534f", spanGaps: true, yAxisID: "y1" }
      ]
    },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true, position: "left" }, y1: { min: 25, max: 100, position: "right",
                grid: { drawOnChartArea: false } } }
    }
  });
})();
