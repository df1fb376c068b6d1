/* The impact preview's chart: pegawai per predikat before and after the draft (Chart.js, served by this app). */
(function () {
  "use strict";
  var source = document.getElementById("impact-data");
  var canvas = document.getElementById("impact-chart");
  if (!source || !canvas || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  window.kinerjaImpactChart = new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {label: data.before_label, data: data.before, backgroundColor: "rgba(108, 117, 125, 0.6)"},
        {label: data.after_label, data: data.after, backgroundColor: "rgba(0, 123, 255, 0.7)"}
      ]
    },
    options: {responsive: true, maintainAspectRatio: false, animation: false,
              scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
  });
}());
