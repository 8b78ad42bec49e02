// Dashboard charts from the JSON block the page embeds (Chart.js bundled under vendor/).
(function () {
  var node = document.getElementById("dashboard-data");
  if (!node || typeof Chart === "undefined") { return; }
  var d = JSON.parse(node.textContent);
  var palette = ["#0b5cad", "#1a7f37", "#bf8700", "#a40e26", "#8250df", "#1b7c83", "#57606a", "#cf222e"];
  function bar(id, labels, values, opts) {
    var el = document.getElementById(id);
    if (!el) { return; }
    new Chart(el, {
      type: (opts && opts.type) || "bar",
      data: { labels: labels, datasets: [{ label: (opts && opts.label) || "count", data: values,
        backgroundColor: (opts && opts.colors) || palette[0], borderColor: palette[0] }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: !!(opts && opts.legend) } },
        scales: (opts && opts.type === "doughnut") ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  function keys(o) { return Object.keys(o); }
  function vals(o) { return Object.keys(o).map(function (k) { return o[k]; }); }
  bar("chart-day", d.complaints_per_day.map(function (r) { return r.date.slice(5); }),
      d.complaints_per_day.map(function (r) { return r.count; }), { type: "line", label: "complaints" });
  bar("chart-category", keys(d.complaints_per_category), vals(d.complaints_per_category));
  bar("chart-venue", d.complaints_per_venue.map(function (r) { return r.venue; }),
      d.complaints_per_venue.map(function (r) { return r.count; }));
  bar("chart-state", ["open", "in progress", "overdue", "resolved"],
      [d.open, d.in_progress, d.overdue, d.resolved], { colors: ["#0b5cad", "#bf8700", "#a40e26", "#1a7f37"] });
  bar("chart-channel", keys(d.cases_per_channel), vals(d.cases_per_channel), { type: "doughnut", colors: palette, legend: true });
  bar("chart-language", keys(d.cases_per_language), vals(d.cases_per_language), { colors: palette });
}());
