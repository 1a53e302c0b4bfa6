// The pieces every shardsim HTML page shares (sim/report/html_page.cc inlines this script after
// uPlot and before the page's own: report.js for a run, sweep.js for a sweep). It defines one
// global, ShardsimPage: the embedded data, DOM and SVG builders, number formats, sections, tables,
// cards, badges, the page header, the table of contents and the ready mark that
// tools/html_check/check_html.py waits for.
//
// No network, no storage, no clock: what a page draws depends on its data alone.
(function () {
  "use strict";

  const MAIN = document.getElementById("report");
  const GEO_COLOURS = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626"];
  // Every uPlot chart of the page, with the box whose width it follows.
  const charts = [];

  function build(node, attrs, children, isHtml) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (isHtml && key === "class") node.className = value;
      else if (isHtml && key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const el = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children, true);
  const svg = (tag, attrs, ...children) => build(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children, false);

  const isNum = (v) => typeof v === "number" && isFinite(v);
  // Math.min/max over arrays without spreading them (a long series overflows the argument limit).
  const lowest = (values, start) => values.reduce((m, v) => (isNum(v) && v < m ? v : m), start);
  const highest = (values, start) => values.reduce((m, v) => (isNum(v) && v > m ? v : m), start);
  function num(v, digits) {
    if (!isNum(v)) return "–";
    return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  // At most `digits` significant digits (default 4), no trailing zeros: figures of any magnitude
  // (a sweep's metrics, a searched value).
  const sig = (v, digits) => (isNum(v) ? v.toLocaleString("en-US", { maximumSignificantDigits: digits || 4 }) : "–");
  const ms = (v) => (isNum(v) ? (v >= 100 ? num(v, 0) : v >= 10 ? num(v, 1) : num(v, 2)) + " ms" : "–");
  const secs = (v) => (isNum(v) ? num(v, v >= 100 ? 0 : 2) + " s" : "–");
  const pct = (v, digits) => (isNum(v) ? num(v * 100, digits === undefined ? 1 : digits) + "%" : "–");
  const get = (object, ...path) => path.reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), object);
  const geoColour = (i) => GEO_COLOURS[i % GEO_COLOURS.length];

  // A section of the page, with its heading and a short explanation of what it shows. The check
  // reads data-points (values drawn) and data-empty (with a .no-data note) from it.
  function section(id, title, intro) {
    const body = el("div", { class: "section-body" });
    const node = el("section", { "data-section": id, id: id }, el("h2", { text: title }), intro ? el("p", { class: "intro", text: intro }) : null, body);
    MAIN.append(node);
    return {
      node,
      body,
      points(n) {
        node.dataset.points = String(n);
        return n;
      },
      empty(text) {
        node.dataset.points = "0";
        node.dataset.empty = "1";
        body.append(el("p", { class: "no-data", text }));
        return 0;
      },
    };
  }

  function note(parent, text) {
    parent.append(el("p", { class: "no-data", text }));
  }

  // A table whose first `textColumns` columns (default 1) are text, the others right-aligned numbers.
  function table(headers, rows, textColumns) {
    const kind = (i) => (i >= (textColumns === undefined ? 1 : textColumns) ? "num" : null);
    const head = el("tr", {}, headers.map((h, i) => el("th", { class: kind(i), text: h })));
    const body = rows.map((cells) => el("tr", {}, cells.map((c, i) => (c instanceof Node ? el("td", { class: kind(i) }, c) : el("td", { class: kind(i), text: c })))));
    return el("div", { class: "table-wrap" }, el("table", {}, el("thead", {}, head), el("tbody", {}, body)));
  }

  function badge(ok, yes, no) {
    return el("span", { class: ok ? "badge pass" : "badge fail", text: ok ? yes || "pass" : no || "fail" });
  }

  // A headline figure; `verdict` true or false adds a pass or fail badge and border.
  function card(title, value, detail, verdict) {
    return el(
      "div",
      { class: "card" + (verdict === true ? " ok" : verdict === false ? " bad" : "") },
      el("div", { class: "card-title" }, title, verdict === undefined ? null : badge(verdict)),
      el("div", { class: "card-value", text: value }),
      detail ? el("div", { class: "card-detail", text: detail }) : null,
    );
  }

  // The dark banner at the top: a small line above the title, a description, and facts as
  // [name, value] pairs (a value may be a node).
  function header(eyebrow, title, description, facts) {
    const list = el("dl", { class: "facts" });
    for (const [name, value] of facts) list.append(el("dt", { text: name }), value instanceof Node ? el("dd", {}, value) : el("dd", { text: value }));
    MAIN.append(el("header", { class: "page-header" }, el("div", {}, el("div", { class: "eyebrow", text: eyebrow }), el("h1", { text: title }), description ? el("p", { class: "description", text: description }) : null), list));
  }

  // The axis style of every chart.
  function axis(label, extra) {
    return Object.assign({ label, stroke: "#475569", grid: { stroke: "#e2e8f0" }, ticks: { stroke: "#cbd5e1" } }, extra || {});
  }

  // A uPlot chart in `parent`'s figure, kept to follow the window's width.
  function plot(parent, options, data, box) {
    const chart = new uPlot(Object.assign({ width: Math.max(parent.clientWidth || 1100, 320) }, options), data, box);
    charts.push({ chart, parent });
    return chart;
  }

  // A chart of lines, each with its 95% interval as a band, over the positions `x` (`xSeries`:
  // the x series' legend entry). `lines`: [{label, colour, mean, low, high, value}], value being
  // the legend's text of the line. The band's edges are drawn but kept out of the legend.
  function intervalChart(parent, box, options, xSeries, x, lines) {
    const series = [xSeries];
    const data = [x];
    const bands = [];
    for (const line of lines) {
      const base = data.length;
      const edge = { stroke: line.colour + "55", width: 1, points: { show: false }, spanGaps: true };
      series.push(Object.assign({ label: line.label + " 95% high" }, edge), Object.assign({ label: line.label + " 95% low" }, edge));
      series.push({ label: line.label, stroke: line.colour, width: 2, points: { show: true, size: 5, fill: line.colour }, spanGaps: true, value: line.value });
      data.push(line.high, line.low, line.mean);
      bands.push({ series: [base, base + 1], fill: line.colour + (lines.length > 2 ? "16" : "24") });
    }
    const chart = plot(parent, Object.assign({ series, bands, legend: { live: true } }, options), data, box);
    chart.root.querySelectorAll(".u-legend .u-series").forEach((row, i) => {
      if (i > 0 && (i - 1) % 3 < 2) row.style.display = "none";
    });
    return chart;
  }

  // A round step near `raw` (1, 2 or 5 times a power of ten), for an axis's ticks.
  function niceStep(raw) {
    const power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
    for (const m of [1, 2, 5, 10]) if (raw <= m * power) return m * power;
    return 10 * power;
  }

  // Charts follow the width of their box when the window changes.
  function followResizes() {
    let pending = null;
    window.addEventListener("resize", () => {
      if (pending) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        for (const { chart, parent } of charts) chart.setSize({ width: Math.max(parent.clientWidth, 320), height: chart.height });
      });
    });
  }

  // After the sections: the table of contents under the header, the footer, and the ready mark.
  function finish(footerText) {
    const links = [...MAIN.querySelectorAll("section[data-section]")].map((sec) => el("a", { href: "#" + sec.id, text: sec.querySelector("h2").textContent }));
    MAIN.querySelector(".page-header").after(el("nav", { class: "toc" }, links));
    MAIN.append(el("footer", {}, footerText));
    followResizes();
    document.body.dataset.reportReady = "1";
  }

  window.ShardsimPage = {
    DATA: JSON.parse(document.getElementById("report-data").textContent),
    MAIN,
    GEO_COLOURS,
    el,
    svg,
    isNum,
    lowest,
    highest,
    num,
    sig,
    ms,
    secs,
    pct,
    get,
    geoColour,
    section,
    note,
    table,
    badge,
    card,
    header,
    axis,
    plot,
    intervalChart,
    niceStep,
    finish,
  };
})();
