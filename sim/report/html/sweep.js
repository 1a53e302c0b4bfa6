// The page script of a sweep's HTML page (sim/sweep/sweep_html.cc inlines it, after uPlot and
// page.js, whose ShardsimPage holds the helpers every page shares).
//
// It reads {sweep, find} from <script id="report-data">: `sweep` is the sweep's sweep.json (the
// spec and, per point and metric, n, mean, standard deviation and the 95% Student-t interval of
// the mean), `find` its find.json (every probe of a --find search, the answer and the value
// beyond it). Either may be null. It draws, per metric, the mean against the swept parameter with
// the interval as a band (a grid of two parameters: one line per value of the first), and the
// search: the boundary, its bracket and every probe's decision.
(function () {
  "use strict";

  const { DATA, el, svg, isNum, lowest, highest, num, sig, geoColour, section, note, table, card, header, axis, intervalChart, niceStep, finish } = ShardsimPage;
  const SWEEP = DATA.sweep;
  const FIND = DATA.find;
  const SPEC = (SWEEP || FIND).spec;

  // A parameter's value as text: strings without quotes.
  const show = (v) => (typeof v === "string" ? v : JSON.stringify(v));
  const plural = (n, one, many) => num(n, 0) + " " + (n === 1 ? one : many || one + "s");
  const parameters = () => Object.keys(SPEC.parameters || {});

  function pointCount() {
    const lists = parameters().map((p) => SPEC.parameters[p].length);
    if (!lists.length) return 1;
    return SPEC.zip ? lists[0] : lists.reduce((a, b) => a * b, 1);
  }

  function drawHeader() {
    const set = Object.entries(SPEC.set || {}).map(([k, v]) => k + " = " + show(v));
    const description = "Base scenario " + SPEC.base + (set.length ? ", with " + set.join(", ") : "") + ".";
    const replications = SPEC.replications || 1;
    const facts = [["base scenario", SPEC.base]];
    if (SWEEP) {
      facts.push(["parameters", parameters().length + (SPEC.zip ? " (zipped)" : " (grid)")]);
      facts.push(["points", num(pointCount(), 0)]);
      facts.push(["replications", num(replications, 0) + " per point"]);
      facts.push(["runs", num(pointCount() * replications, 0)]);
    }
    if (FIND) facts.push(["search probes", num(FIND.probes.length, 0)]);
    facts.push(["seeds", replications > 1 ? SPEC.seed + " to " + (SPEC.seed + replications - 1) + " at every point" : String(SPEC.seed)]);
    const kind = SWEEP && FIND ? "sweep and boundary search" : SWEEP ? "sweep" : "boundary search";
    header("shardsim " + (DATA.simulator_version || "") + " · " + kind, SPEC.base, description, facts);
  }

  // ---- metrics against parameters ------------------------------------------------------------

  // How the points are laid out on a chart: the x parameter, its values as positions, and the
  // lines (one per combination of the other parameters; a zip sweep or one parameter: one line).
  function layout() {
    const params = parameters();
    const valuesOf = (p) => SPEC.parameters[p];
    if (SPEC.zip && params.length > 1) {
      const labels = valuesOf(params[0]).map((_, i) => params.map((p) => show(valuesOf(p)[i])).join(" · "));
      return { xLabel: params.join(" · "), categories: labels, xOf: (row) => row.point, lineOf: () => "", lineLabel: () => "mean" };
    }
    const xParam = params[params.length - 1];
    const others = params.slice(0, -1);
    const xs = valuesOf(xParam);
    const numeric = xs.every(isNum);
    const key = (row) => JSON.stringify(others.map((p) => row.parameters[p]));
    return {
      xLabel: xParam,
      numeric,
      values: numeric ? [...xs].sort((a, b) => a - b) : null,
      categories: numeric ? null : xs.map(show),
      xOf: (row) => (numeric ? row.parameters[xParam] : xs.findIndex((v) => JSON.stringify(v) === JSON.stringify(row.parameters[xParam]))),
      lineOf: key,
      lineLabel: (row) => (others.length ? others.map((p) => p + " = " + show(row.parameters[p])).join(", ") : "mean"),
    };
  }

  // The lines of one metric: per line, the mean and the interval at each x position.
  function linesOf(metric, shape, positions) {
    const lines = new Map();
    for (const row of SWEEP.rows.filter((r) => r.metric === metric)) {
      const key = shape.lineOf(row);
      if (!lines.has(key)) lines.set(key, { label: shape.lineLabel(row), mean: positions.map(() => null), low: positions.map(() => null), high: positions.map(() => null), rows: positions.map(() => null) });
      const line = lines.get(key);
      const at = positions.indexOf(shape.xOf(row));
      if (at < 0) continue;
      line.mean[at] = isNum(row.mean) ? row.mean : null;
      line.low[at] = isNum(row.ci95_low) ? row.ci95_low : line.mean[at];
      line.high[at] = isNum(row.ci95_high) ? row.ci95_high : line.mean[at];
      line.rows[at] = row;
    }
    return [...lines.values()];
  }

  // A log axis when the values are positive and span more than 30x (a saturated point's p99 next
  // to unloaded ones), so that the knee does not flatten everything else into the axis.
  function wantsLog(values) {
    const finite = values.filter(isNum);
    if (!finite.length || finite.some((v) => v <= 0)) return false;
    return highest(finite, -Infinity) / lowest(finite, Infinity) > 30;
  }

  function replicationNote(rows) {
    const ns = rows.map((r) => r.n);
    const want = SPEC.replications || 1;
    const least = lowest(ns, Infinity);
    const most = highest(ns, 0);
    if (least === most && most === want) return "n = " + want + " replications per point";
    return "n = " + (least === most ? most : least + " to " + most) + " of " + want + " replications per point (runs whose report lacks the metric are left out)";
  }

  function metricChart(parent, metric, shape) {
    const positions = shape.numeric ? shape.values : shape.categories.map((_, i) => i);
    const lines = linesOf(metric, shape, positions);
    const rows = SWEEP.rows.filter((r) => r.metric === metric);
    const all = lines.flatMap((l) => l.mean.concat(l.low, l.high));
    const logY = wantsLog(all);
    const logX = shape.numeric && wantsLog(positions) && highest(positions, 0) / lowest(positions, Infinity) >= 100;
    const box = el("figure", { class: "chart" }, el("figcaption", { text: metric }), el("div", { class: "chart-note", text: replicationNote(rows) + (logY ? " · log scale" : "") }));
    parent.append(box);
    lines.forEach((line, i) => {
      line.colour = geoColour(i);
      // The legend: mean ± half-width (n) of the point under the cursor.
      line.value = (u, v, si, at) => {
        const row = at === null || at === undefined ? null : line.rows[at];
        if (!row || !isNum(row.mean)) return "–";
        return sig(row.mean) + (isNum(row.ci95_high) ? " ± " + sig(row.ci95_high - row.mean, 3) : "") + " (n " + row.n + ")";
      };
    });
    const categorical = !shape.numeric;
    const xAxis = categorical
      ? axis(shape.xLabel, { splits: () => positions, values: (u, splits) => splits.map((v) => shape.categories[v] || "") })
      : axis(shape.xLabel + (logX ? " (log scale)" : ""));
    const xScale = categorical ? { time: false, range: [-0.4, positions.length - 0.6] } : { time: false, distr: logX ? 3 : 1, range: (u, lo, hi) => (lo === hi ? [lo - 1, hi + 1] : [lo - (hi - lo) * 0.04, hi + (hi - lo) * 0.04]) };
    intervalChart(
      parent,
      box,
      {
        height: 280,
        scales: { x: xScale, y: logY ? { distr: 3 } : {} },
        axes: [xAxis, axis("mean" + (logY ? " (log)" : ""), { size: 70, values: (u, ticks) => ticks.map((v) => sig(v, 3)) })],
      },
      { label: shape.xLabel, value: (u, v) => (v === null || v === undefined ? "–" : shape.numeric ? sig(v, 6) : shape.categories[v]) },
      positions,
      lines,
    );
    if (rows.every((r) => r.n >= 2 && r.stddev === 0)) {
      note(box, "Every replication gave the same value at every point (standard deviation 0): the band has no width. A metric the seed does not move (a constant distribution, a deterministic outcome) does that.");
    }
    box.append(metricTable(rows));
    return rows.filter((r) => isNum(r.mean)).length;
  }

  function metricTable(rows) {
    const params = parameters();
    const cells = rows.map((r) => params.map((p) => show(r.parameters[p])).concat([num(r.n, 0), sig(r.mean), isNum(r.ci95_high) ? "± " + sig(r.ci95_high - r.mean, 3) : "–", sig(r.stddev, 3), isNum(r.ci95_low) ? sig(r.ci95_low) + " – " + sig(r.ci95_high) : "–"]));
    return el("details", { class: "more" }, el("summary", { text: "Points (" + rows.length + ")" }), table(params.concat(["n", "mean", "95% half-width", "std. dev.", "95% interval"]), cells, params.length));
  }

  function drawMetrics() {
    const s = section("metrics", "Metrics against the parameters", "Per metric (a JSON pointer into each run's report.json), the mean over the replications at every point of the sweep, and the 95% confidence interval of the mean as a band (Student's t with n − 1 degrees of freedom: mean ± t · s / √n). The x axis is the last parameter; with more than one, each combination of the others is a line of its own. Hover for the figures; the points' table is below each chart.");
    if (!SWEEP.rows.length) return s.empty("The sweep has no rows: no metric to draw.");
    const shape = layout();
    const grid = el("div", { class: "chart-grid" });
    s.body.append(grid);
    let points = 0;
    for (const metric of SPEC.metrics) {
      const cell = el("div", { class: "chart-cell" });
      grid.append(cell);
      points += metricChart(cell, metric, shape);
    }
    if (!points) return s.empty("No metric had a value in any run: nothing to draw.");
    s.points(points);
  }

  // ---- the boundary search -------------------------------------------------------------------

  const VERDICT_COLOURS = { meets: "#059669", fails: "#dc2626", unclear: "#d97706" };

  function verdictBadge(verdict) {
    return el("span", { class: "badge " + (verdict === "meets" ? "pass" : verdict === "fails" ? "fail" : "warn"), text: verdict });
  }

  function findCards(grid, find, probes) {
    const atMost = isNum(find.at_most);
    const bound = atMost ? find.at_most : find.at_least;
    const what = find.goal + " " + find.parameter.join(" = ");
    const answer = FIND.answer;
    const beyond = FIND.beyond;
    grid.append(card("Boundary found", answer === null ? "none" : sig(answer, 8), answer === null ? "no value in the range meets the condition" : "the " + what + " that meets the condition", answer !== null));
    const bracket = answer === null ? "–" : beyond === null ? "the range's end" : sig(Math.min(answer, beyond), 8) + " – " + sig(Math.max(answer, beyond), 8);
    const detail = answer === null ? "" : beyond === null ? "the whole range meets: the boundary may lie beyond " + sig(answer, 8) : "width " + sig(Math.abs(beyond - answer), 4) + " (tolerance " + sig(find.tolerance, 4) + "); " + sig(beyond, 8) + " does not meet";
    grid.append(card("Bracket", bracket, detail));
    grid.append(card("Condition", "mean " + (atMost ? "≤ " : "≥ ") + sig(bound, 6), find.metric + " · one-sided " + num(find.confidence * 100, 0) + "% confidence per decision"));
    const count = (v) => probes.filter((p) => p.verdict === v).length;
    grid.append(card("Decisions", plural(probes.length, "probe"), count("meets") + " meet, " + count("fails") + " fail, " + count("unclear") + " unclear · " + plural(probes.reduce((n, p) => n + p.n, 0), "run")));
  }

  // Positions on a linear or log axis, with round ticks.
  function scale(lo, hi, from, to, log) {
    const f = log ? Math.log10 : (v) => v;
    const a = f(lo);
    const b = f(hi);
    const at = (v) => from + ((to - from) * (f(v) - a)) / (b - a || 1);
    let ticks = [];
    if (log) {
      for (let p = Math.floor(a); p <= Math.ceil(b); p++) for (const m of [1, 2, 5]) ticks.push(m * Math.pow(10, p));
    } else {
      const step = niceStep((hi - lo) / 8);
      for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(t);
    }
    ticks = ticks.filter((t) => t >= lo && t <= hi);
    return { at, ticks };
  }

  // The probes as points with their one-sided bound as a bar, the condition's bound as a dashed
  // line and the final bracket shaded.
  function probeChart(find, probes) {
    const width = 1200;
    const height = 330;
    const left = 80;
    const right = 24;
    const top = 18;
    const bottom = 50;
    const atMost = isNum(find.at_most);
    const bound = atMost ? find.at_most : find.at_least;
    const ys = probes.flatMap((p) => [p.mean - p.half_width, p.mean + p.half_width]).concat([bound]);
    const logY = wantsLog(ys);
    let yLo = lowest(ys, Infinity);
    let yHi = highest(ys, -Infinity);
    if (logY) {
      yLo /= 1.3;
      yHi *= 1.3;
    } else {
      const pad = (yHi - yLo || Math.abs(yHi) || 1) * 0.08;
      yLo -= pad;
      yHi += pad;
    }
    const [lo, hi] = find.range;
    const xPad = (hi - lo) * 0.03;
    const x = scale(lo - xPad, hi + xPad, left, width - right, false);
    const y = scale(yLo, yHi, height - bottom, top, logY);
    const picture = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "probes", role: "img", "aria-label": "probes of the search" });
    for (const t of x.ticks) {
      picture.append(svg("line", { x1: x.at(t), x2: x.at(t), y1: top, y2: height - bottom, class: "grid" }));
      picture.append(svg("text", { x: x.at(t), y: height - bottom + 18, "text-anchor": "middle", class: "tick" }, sig(t, 6)));
    }
    for (const t of y.ticks) {
      picture.append(svg("line", { x1: left, x2: width - right, y1: y.at(t), y2: y.at(t), class: "grid" }));
      picture.append(svg("text", { x: left - 8, y: y.at(t) + 4, "text-anchor": "end", class: "tick" }, sig(t, 3)));
    }
    picture.append(svg("text", { x: (left + width - right) / 2, y: height - 8, "text-anchor": "middle", class: "axis-label" }, find.parameter.join(" = ")));
    picture.append(svg("text", { x: 14, y: (top + height - bottom) / 2, "text-anchor": "middle", class: "axis-label", transform: "rotate(-90 14 " + (top + height - bottom) / 2 + ")" }, "mean" + (logY ? " (log scale)" : "")));
    if (FIND.answer !== null && FIND.beyond !== null) {
      const x0 = x.at(Math.min(FIND.answer, FIND.beyond));
      const x1 = x.at(Math.max(FIND.answer, FIND.beyond));
      picture.append(svg("rect", { x: x0, y: top, width: Math.max(x1 - x0, 2), height: height - bottom - top, class: "bracket" }, svg("title", {}, "the boundary lies in here")));
    }
    picture.append(svg("line", { x1: left, x2: width - right, y1: y.at(bound), y2: y.at(bound), class: "bound" }));
    picture.append(svg("text", { x: width - right - 4, y: y.at(bound) - 6, "text-anchor": "end", class: "bound-label" }, (atMost ? "at most " : "at least ") + sig(bound, 6)));
    probes.forEach((p, i) => {
      const colour = VERDICT_COLOURS[p.verdict] || "#475569";
      const cx = x.at(p.value);
      const clamp = (v) => Math.min(Math.max(v, yLo), yHi);
      const title = "probe " + (i + 1) + ": " + sig(p.value, 8) + ", n " + p.n + ", mean " + sig(p.mean) + (atMost ? ", upper bound " + sig(p.mean + p.half_width) : ", lower bound " + sig(p.mean - p.half_width)) + ": " + p.verdict;
      picture.append(
        svg("g", { class: "probe" },
          svg("line", { x1: cx, x2: cx, y1: y.at(clamp(p.mean - p.half_width)), y2: y.at(clamp(p.mean + p.half_width)), stroke: colour, "stroke-width": 2 }),
          svg("circle", { cx, cy: y.at(p.mean), r: 6, fill: colour, stroke: "#fff", "stroke-width": 1.5 }),
          svg("text", { x: cx + 8, y: y.at(p.mean) - 8, class: "probe-label" }, String(i + 1)),
          svg("title", {}, title),
        ),
      );
    });
    const keys = Object.entries(VERDICT_COLOURS).map(([v, c]) => el("span", { class: "key" }, el("i", { style: "background:" + c }), v));
    keys.push(el("span", { class: "key" }, el("i", { style: "background: rgba(37,99,235,0.18)" }), "the final bracket"));
    keys.push(el("span", { class: "key" }, "bar: mean ± the one-sided bound t · s / √n; number: the order of the probes"));
    return el("div", { class: "timeline-wrap" }, picture, el("p", { class: "keys" }, keys));
  }

  function drawFind() {
    const find = SPEC.find;
    const s = section("find", "Boundary search (--find)", "The search of the sweep file's \"find\" section: each probe runs the scenario at one value, decides from the metric's mean and its one-sided Student-t bound whether the condition holds (meets), does not (fails), or cannot yet say (unclear: more replications, and still unclear counts as not meeting), then bisects between the last value that meets and the first that does not.");
    if (!FIND) return s.empty("The sweep file has a \"find\" section, but no search was run into this directory (shardsim sweep FILE --find --out DIR).");
    const probes = FIND.probes;
    if (!probes.length) return s.empty("The search ran no probe.");
    const grid = el("div", { class: "cards" });
    s.body.append(grid);
    findCards(grid, find, probes);
    s.body.append(el("p", { class: "conclusion", text: FIND.conclusion }));
    s.body.append(probeChart(find, probes));
    const atMost = isNum(find.at_most);
    const rows = probes.map((p, i) => [String(i + 1), sig(p.value, 8), num(p.n, 0), sig(p.mean), sig(p.half_width, 3), sig(atMost ? p.mean + p.half_width : p.mean - p.half_width), verdictBadge(p.verdict)]);
    s.body.append(el("h3", { text: "Decisions, in the order they were made" }));
    s.body.append(table(["probe", "value", "n", "mean", "one-sided ±", atMost ? "upper bound" : "lower bound", "verdict"], rows));
    const samples = probes.map((p, i) => [String(i + 1), sig(p.value, 8), p.samples.map((v) => sig(v)).join(", ")]);
    s.body.append(el("details", { class: "more" }, el("summary", { text: "Samples of every probe (one per replication)" }), table(["probe", "value", "samples"], samples, 3)));
    s.points(probes.length);
  }

  function main() {
    drawHeader();
    if (SWEEP && parameters().length) drawMetrics();
    if (SPEC.find) drawFind();
    const from = [SWEEP ? "sweep.json" : null, FIND ? "find.json" : null].filter(Boolean).join(" and ");
    finish("Written by shardsim " + (DATA.simulator_version || "") + " from the sweep's " + from + "; charts by uPlot (MIT). The sweep file's format and the statistics are in docs/sweeps.md.");
  }

  main();
})();
