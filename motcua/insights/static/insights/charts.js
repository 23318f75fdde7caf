// The analysis page's trend chart (Chart.js, from npm). The table under it carries the same figures,
// for screen readers and for copying; without the library the table alone remains.
(function () {
  "use strict";
  function draw() {
    const canvas = document.getElementById("trends-chart");
    const source = document.getElementById("trends-data");
    if (!canvas || !source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    const names = data.names;
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: names.received, data: data.received, backgroundColor: "#0b5cad", yAxisID: "count" },
          { type: "bar", label: names.resolved, data: data.resolved, backgroundColor: "#7fb1e3", yAxisID: "count" },
          { type: "line", label: names.on_time, data: data.on_time_percent, borderColor: "#a3161a",
            backgroundColor: "#a3161a", yAxisID: "share", spanGaps: true, tension: 0.2 },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          count: { type: "linear", position: "left", beginAtZero: true, ticks: { precision: 0 } },
          share: { type: "linear", position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
        },
      },
    });
  }
  if (document.readyState === "complete") draw(); else window.addEventListener("load", draw);
})();
