// The staffing planner's charts (Chart.js, from npm). The plan's tables carry the same figures, for screen
// readers and for copying; without the library the tables alone remain.
(function () {
  "use strict";
  const COLOURS = ["#0b5cad", "#a3161a", "#2e7d32", "#8e5a00", "#6a1b9a", "#00695c", "#455a64", "#ad1457"];
  function draw() {
    const source = document.getElementById("staffing-data");
    if (!source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    const names = data.names;
    const base = { animation: false, maintainAspectRatio: false, interaction: { mode: "index", intersect: false } };
    const counters = document.getElementById("counters-chart");
    if (counters) new window.Chart(counters, {
      type: "bar",
      data: { labels: data.labels, datasets: data.groups.map((g, i) => ({
        label: g.name, data: g.counters, backgroundColor: COLOURS[i % COLOURS.length] })) },
      options: Object.assign({}, base, { scales: { x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: names.counters } } } }),
    });
    const waits = document.getElementById("waits-chart");
    if (waits) new window.Chart(waits, {
      type: "line",
      data: { labels: data.labels, datasets: data.groups.map((g, i) => ({
        label: g.name, data: g.wait, borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length], spanGaps: true, tension: 0.2 })) },
      options: Object.assign({}, base, { scales: { y: { beginAtZero: true, title: { display: true, text: names.wait } } } }),
    });
    const use = document.getElementById("use-chart");
    if (use) new window.Chart(use, {
      data: { labels: data.labels, datasets: data.groups.flatMap((g, i) => [
        { type: "bar", label: g.name + " · " + names.queue, data: g.queue, yAxisID: "queue",
          backgroundColor: COLOURS[i % COLOURS.length] + "99" },
        { type: "line", label: g.name + " · " + names.utilisation, data: g.utilisation, yAxisID: "share",
          borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length], spanGaps: true },
      ]) },
      options: Object.assign({}, base, { scales: {
        queue: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: names.queue } },
        share: { type: "linear", position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                 title: { display: true, text: names.utilisation } } } }),
    });
  }
  if (document.readyState === "complete") draw(); else window.addEventListener("load", draw);
})();
