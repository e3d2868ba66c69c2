/* The dashboard's charts. The page's figures are plain HTML and readable at once; the chart
 * library (ECharts, the "common" build: line, bar, pie, tooltip, markLine) is fetched only
 * after the page has loaded, and only on this page. */
(function () {
  "use strict";
  const me = document.currentScript;
  const el = document.getElementById("chart-data");
  if (!el || !me) return;
  const d = JSON.parse(el.textContent);

  function draw() {
    const charts = [];
    function make(id, option) {
      const node = document.getElementById(id);
      if (!node) return undefined;
      const c = self.echarts.init(node);
      c.setOption(option);
      charts.push(c);
      return c;
    }
    make("chart-trend", {
      grid: { left: 40, right: 16, top: 20, bottom: 30 }, tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.trend.periods }, yAxis: { type: "value", min: 0, max: 100 },
      series: [{ type: "line", data: d.trend.values, markLine: { data: [{ yAxis: d.target }], symbol: "none" } }],
    });
    const children = make("chart-children", {
      grid: { left: 90, right: 16, top: 10, bottom: 20 }, tooltip: {},
      xAxis: { type: "value", min: 0, max: 100 }, yAxis: { type: "category", data: d.children.names },
      series: [{ type: "bar", data: d.children.values.map((v, i) => ({ value: v, itemStyle: { color: i === 0 ? "#dc3545" : "#0d6efd" } })) }],
    });
    // Drilling down keeps the month the leader is looking at.
    if (children) children.on("click", (p) => {
      const q = new URLSearchParams({ region: d.children.codes[p.dataIndex] });
      if (d.period) q.set("period", d.period);
      window.location.search = "?" + q.toString();
    });
    make("chart-grades", {
      grid: { left: 40, right: 16, top: 10, bottom: 40 }, tooltip: {},
      xAxis: { type: "category", data: d.grade_names, axisLabel: { interval: 0, rotate: 20 } }, yAxis: { type: "value" },
      series: [{ type: "bar", data: d.grades }],
    });
    make("chart-care", { tooltip: {}, series: [{ type: "pie", radius: ["40%", "70%"], data: d.care }] });
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
    document.body.dataset.charts = "drawn";
  }

  const src = me.dataset.echarts;
  function load() {
    const script = document.createElement("script");
    script.src = src;
    script.onload = draw;
    document.head.appendChild(script);
  }
  if (document.readyState === "complete") load();
  else window.addEventListener("load", load);
})();
