// Draws the report's distribution chart with the vendored Chart.js; the table beside it holds the same numbers.
// One horizontal stacked bar per perangkat daerah, so long unit names stay readable on a phone; the box grows
// with the number of rows, and a long name is shortened on the axis (the tooltip shows it whole).
(function () {
  var source = document.getElementById("chart-data");
  var canvas = document.getElementById("distribution-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1b6b36", "#4c9a2a", "#e0a800", "#d9534f", "#7f1d1d"];
  var box = canvas.parentNode;
  box.style.height = (6 + 2.2 * data.labels.length) + "rem";
  var narrow = box.clientWidth < 600;
  function short(label) {
    var max = narrow ? 22 : 40;
    return label.length > max ? label.slice(0, max - 1) + "\u2026" : label;
  }
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
      })
    },
    options: {
      indexAxis: "y", maintainAspectRatio: false, animation: false,
      scales: {
        x: { stacked: true, min: 0, max: 100, title: { display: true, text: "%" } },
        y: { stacked: true, ticks: { autoSkip: false, callback: function (value) { return short(this.getLabelForValue(value)); } } }
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { title: function (items) { return items.length ? data.labels[items[0].dataIndex] : ""; } } }
      }
    }
  });
})();
