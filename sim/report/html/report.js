// The page script of shardsim's HTML report of a run (sim/report/html_report.cc inlines it, after
// uPlot and page.js, whose ShardsimPage holds the helpers every page shares).
//
// It reads the run's data from <script id="report-data"> (report.json, and timeseries.csv as
// columns) and draws every section into <main id="report">. After drawing, each
// <section data-section="ID"> carries data-points (how many values it drew) and, when the run has
// nothing for it, data-empty="1" and a .no-data note; <body> gets data-report-ready="1" last.
// tools/html_check/check_html.py reads those marks in headless Chromium.
//
// No network, no storage, no clock: what is drawn depends on the data alone.
(function () {
  "use strict";

  const { DATA, GEO_COLOURS, el, svg, isNum, lowest, highest, num, ms, secs, pct, get, geoColour, section, note, table, badge, card, header, axis, plot, intervalChart, niceStep, finish } = ShardsimPage;
  const R = DATA.report;
  const TS = DATA.timeseries;
  const SPAN_COLOURS = {
    crash: "rgba(220, 38, 38, 0.13)",
    partition: "rgba(124, 58, 237, 0.13)",
    slow: "rgba(217, 119, 6, 0.13)",
    latency_spike: "rgba(146, 64, 14, 0.13)",
    loss: "rgba(219, 39, 119, 0.13)",
  };
  // The timeline event that ends each lasting failure.
  const SPAN_END = { crash: "recover", partition: "heal", slow: "slow_end", latency_spike: "latency_spike_end", loss: "loss_end" };
  // The geos in the scenario's order (report.json's objects list their keys sorted).
  const geos = () => {
    const reported = Object.keys(R.requests || {});
    const order = get(R, "scenario", "effective", "geos") || [];
    return order.filter((g) => reported.includes(g)).concat(reported.filter((g) => !order.includes(g)));
  };

  // ---- the time series -----------------------------------------------------------------------

  function column(name) {
    if (!TS) return null;
    const i = TS.columns.indexOf(name);
    return i < 0 ? null : TS.values[i];
  }
  const times = () => column("time_s") || [];
  const countValues = (series) => series.reduce((n, s) => n + s.filter(isNum).length, 0);

  // Lasting failures as spans [from, to] of simulated time, from the report's timeline.
  function failureSpans() {
    const timeline = get(R, "failures", "timeline") || [];
    const end = get(R, "run", "simulated_s") || 0;
    const open = new Map();
    const spans = [];
    for (const e of timeline) {
      if (SPAN_END[e.event]) {
        open.set(e.event + "|" + e.node, { kind: e.event, node: e.node, from: e.at_s, to: end, detail: e.detail, open: true });
        continue;
      }
      for (const [kind, ender] of Object.entries(SPAN_END)) {
        const key = kind + "|" + e.node;
        if (e.event === ender && open.has(key)) {
          const span = open.get(key);
          span.to = e.at_s;
          span.open = false;
          spans.push(span);
          open.delete(key);
        }
      }
    }
    return spans.concat([...open.values()]).sort((a, b) => a.from - b.from || (a.node < b.node ? -1 : 1));
  }
  const SPANS = failureSpans();

  // ---- charts --------------------------------------------------------------------------------

  // Shades the warm-up and the failures behind a chart's lines.
  function shadingPlugin(extraLines) {
    const warmup = get(R, "run", "warmup_s") || 0;
    return {
      hooks: {
        drawClear: [
          (u) => {
            const ctx = u.ctx;
            const { top, height } = u.bbox;
            const shade = (from, to, colour) => {
              const x0 = u.valToPos(from, "x", true);
              const x1 = u.valToPos(to, "x", true);
              ctx.fillStyle = colour;
              ctx.fillRect(x0, top, Math.max(x1 - x0, 1), height);
            };
            ctx.save();
            if (warmup > 0) shade(u.scales.x.min, warmup, "rgba(100, 116, 139, 0.10)");
            for (const s of SPANS) shade(s.from, s.to, SPAN_COLOURS[s.kind] || "rgba(0,0,0,0.08)");
            ctx.restore();
          },
        ],
        draw: [
          (u) => {
            if (!extraLines) return;
            const ctx = u.ctx;
            ctx.save();
            for (const line of extraLines) {
              const y = u.valToPos(line.value, line.scale || "y", true);
              ctx.strokeStyle = line.colour;
              ctx.setLineDash([6, 4]);
              ctx.lineWidth = 1.5 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    };
  }

  // A uPlot line chart of `series` ({label, values, colour, dash, fill, width}) against the time
  // series' time column. Returns the number of values drawn.
  function timeChart(parent, title, yLabel, series, options) {
    options = options || {};
    const box = el("figure", { class: "chart" }, el("figcaption", { text: title }), downsampledNote());
    parent.append(box);
    const plotSeries = [{ label: "time (s)", value: (u, v) => (isNum(v) ? num(v, 1) + " s" : "–") }].concat(
      series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: s.width || 1.5,
        dash: s.dash,
        fill: s.fill,
        points: { show: false },
        spanGaps: false,
        value: (u, v) => (isNum(v) ? num(v, options.digits === undefined ? 2 : options.digits) + (options.unit || "") : "–"),
        show: s.show !== false,
      })),
    );
    plot(
      parent,
      {
        height: options.height || 260,
        scales: { x: { time: false }, y: { range: options.yRange || rangeWith(options.lines) } },
        axes: [axis("simulated time (s)"), axis(yLabel, { size: 64 })],
        series: plotSeries,
        bands: options.bands,
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        plugins: [shadingPlugin(options.lines)],
      },
      [times()].concat(series.map((s) => s.values)),
      box,
    );
    return countValues(series.map((s) => s.values));
  }

  // On every time chart of a long run: the page holds fewer points than timeseries.csv has rows.
  function downsampledNote() {
    const d = TS && TS.downsampled;
    if (!d) return null;
    const text = "downsampled: " + num(d.source_rows, 0) + " samples drawn as at most " + num(d.max_points, 0) + " points per series, the lowest and the highest of every " + num(d.bucket_rows, 0) + " (spikes are kept; timeseries.csv has every sample)";
    return el("div", { class: "chart-note downsampled", text });
  }

  // A y range from 0 (or the lowest value) to the highest value or reference line, with headroom:
  // a dashed target or p99 line a little above the data stays in view; one far above it (a
  // window's p99 made by a few copies catching up) is left out rather than flatten the data.
  function rangeWith(lines) {
    return (u, lo, hi) => {
      const high = hi === null ? 0 : hi;
      const top = Math.max(high, ...(lines || []).map((l) => l.value).filter((v) => high <= 0 || v <= 3 * high));
      const bottom = Math.min(lo === null ? 0 : lo, 0);
      return [bottom, top > bottom ? top * 1.08 : bottom + 1];
    };
  }

  function spansLegend(parent) {
    const items = [el("span", { class: "key" }, el("i", { style: "background: rgba(100,116,139,0.25)" }), "warm-up (not measured)")];
    const kinds = [...new Set(SPANS.map((s) => s.kind))];
    for (const kind of kinds) {
      items.push(el("span", { class: "key" }, el("i", { style: "background:" + SPAN_COLOURS[kind].replace("0.13", "0.4") }), kind.replace("_", " ")));
    }
    parent.append(el("p", { class: "keys" }, items));
  }

  // ---- headline ------------------------------------------------------------------------------

  function drawHeader() {
    const scenario = R.scenario || {};
    const effective = scenario.effective || {};
    const ok = get(R, "invariants", "ok") === true;
    header("shardsim " + (R.simulator_version || "") + " · run report", scenario.name || "scenario", effective.description, [
      ["seed", String(scenario.seed)],
      ["simulated", secs(get(R, "run", "simulated_s"))],
      ["measured window", secs(get(R, "run", "measured_s")) + " after " + secs(get(R, "run", "warmup_s")) + " warm-up"],
      ["events", num(get(R, "run", "events"), 0)],
      ["samples", TS ? num(TS.downsampled ? TS.downsampled.source_rows : times().length, 0) + (TS.downsampled ? " (drawn: " + num(TS.downsampled.max_points, 0) + " per series)" : "") : "none"],
      ["invariants", badge(ok, "ok", "violated")],
    ]);
  }

  // The 80/20 verdicts, availability and read latency over all geos: the worst geo decides.
  function headlineCards(grid) {
    const gs = geos();
    if (!gs.length) return 0;
    const worst = (values) => values.reduce((a, b) => (b.value < a.value ? b : a));
    const fresh = gs.map((geo) => ({ geo, d: get(R, "eighty_twenty", geo, "slave_data_ratio") || {} }));
    const broken = fresh.filter((f) => f.d.always_holds !== true);
    const lowest = worst(fresh.map((f) => ({ geo: f.geo, value: f.d.fresh_share_min, target: f.d.target_fresh_share })));
    grid.append(card("80/20: fresh share", broken.length ? "broken in " + broken.length + " of " + gs.length : "holds", "lowest " + pct(lowest.value, 2) + " (" + lowest.geo + ") against a target of " + pct(lowest.target, 0) + " at every instant", broken.length === 0));
    const hot = worst(gs.map((geo) => ({ geo, value: get(R, "eighty_twenty", geo, "hot_cold_split", "cache_hits_hot_share"), target: get(R, "eighty_twenty", geo, "hot_cold_split", "target_hot_share") })));
    grid.append(card("80/20: hot keys in cache hits", pct(hot.value, 1), "lowest geo " + hot.geo + ", target " + pct(hot.target, 0), isNum(hot.value) && hot.value >= hot.target));
    // A geo where no request finished has no availability (null): it cannot be the worst.
    const measured = gs.map((geo) => ({ geo, value: R.requests[geo].availability, failed: R.requests[geo].requests_failed })).filter((a) => isNum(a.value));
    const availability = measured.length ? worst(measured) : { geo: "–", value: null, failed: 0 };
    grid.append(card("Availability", num(availability.value, 4), "lowest geo " + availability.geo + " · " + num(availability.failed, 0) + " requests failed"));
    const reads = gs.map((geo) => ({ geo, value: -Math.max(get(R.requests[geo], "latency", "read_hit", "p99_ms") || 0, get(R.requests[geo], "latency", "read_miss", "p99_ms") || 0) }));
    const slowest = worst(reads);
    grid.append(card("Read p99", ms(-slowest.value), "slowest geo " + slowest.geo + " (cache hits and misses)"));
    return 4;
  }

  // report.slo's thresholds (only when the scenario sets any): a card and a row per threshold.
  function drawSlos(s, grid) {
    const slo = R.slo;
    if (!slo || !Array.isArray(slo.checks)) return 0;
    const holding = slo.checks.filter((c) => c.holds).length;
    grid.append(card("SLOs", slo.ok ? "met" : "breached", holding + " of " + slo.checks.length + " thresholds hold (report.slo)", slo.ok === true));
    s.body.append(el("h3", { text: "Thresholds (report.slo)" }));
    const bound = (c) => [isNum(c.min) ? "≥ " + c.min : "", isNum(c.max) ? "≤ " + c.max : ""].filter((b) => b).join(", ");
    const value = (c) => (isNum(c.value) ? String(c.value) : c.present ? "null (not applicable)" : "not in the report");
    s.body.append(table(["metric", "threshold", "value", "verdict"], slo.checks.map((c) => [c.metric, bound(c), value(c), badge(c.holds === true, "holds", "breached")])));
    return 1 + slo.checks.length;
  }

  function drawHeadline() {
    const s = section("summary", "Headline figures", "The measured window only (after warm-up). Pass and fail are against the scenario's targets: report.fresh_share_target for the share of fresh keys on a geo's slaves at every instant, report.hot_share_target for the share of cache hits that go to the hot keys (the 80/20 rule), and the run's invariants.");
    const grid = el("div", { class: "cards" });
    s.body.append(grid);
    let figures = 0;
    const inv = R.invariants || {};
    grid.append(card("Invariants", inv.ok ? "hold" : "violated", "reads at a master " + inv.reads_at_a_master + " · commits off the active master " + inv.commits_off_the_active_master + " · converged once healed " + (inv.converged_once_healed === false ? "no" : "yes"), inv.ok === true));
    figures++;
    figures += headlineCards(grid);
    const fs = get(R, "failures", "summary") || {};
    grid.append(card("Failovers", String(fs.failovers || 0), (fs.false_failovers || 0) + " false · policy " + (fs.policy || "–") + " · worst write outage " + secs(fs.worst_write_unavailability_s)));
    grid.append(card("Writes lost", num(fs.writes_lost || 0, 0), "sync writes failed " + num(fs.sync_writes_failed || 0, 0) + " · divergent " + num(fs.divergent_writes || 0, 0), (fs.writes_lost || 0) === 0));
    figures += 2;
    figures += drawSlos(s, grid);
    s.body.append(el("h3", { text: "Per geo" }));
    const rows = [];
    geos().forEach((geo) => {
      const q = R.requests[geo];
      const e = get(R, "eighty_twenty", geo) || {};
      const fresh = e.slave_data_ratio || {};
      const hot = e.hot_cold_split || {};
      const readP99 = Math.max(get(q, "latency", "read_hit", "p99_ms") || 0, get(q, "latency", "read_miss", "p99_ms") || 0);
      const hotOk = isNum(hot.cache_hits_hot_share) && hot.cache_hits_hot_share >= hot.target_hot_share;
      rows.push([
        geo,
        num(q.throughput_per_s, 1) + " /s",
        num(q.availability, 4),
        ms(readP99),
        ms(get(q, "latency", "sync_write", "p99_ms")),
        el("span", {}, pct(fresh.fresh_share_min, 2) + " ≥ " + pct(fresh.target_fresh_share, 0) + " ", badge(fresh.always_holds === true)),
        secs(fresh.time_below_target_s),
        el("span", {}, pct(hot.cache_hits_hot_share, 1) + " ≥ " + pct(hot.target_hot_share, 0) + " ", badge(hotOk)),
        pct(hot.slave_reads_hot_share, 1),
        pct(get(R, "caches", geo, "hit_ratio"), 1),
      ]);
      figures += 9;
    });
    s.body.append(table(["geo", "answered", "availability", "read p99", "sync write p99", "fresh share min", "time below", "cache hits hot", "slave reads hot", "cache hit ratio"], rows));
    s.points(figures);
  }

  // ---- replication lag -----------------------------------------------------------------------

  // The geo of each slave copy, from the load balancers (a geo's name may hold underscores).
  function slaveGeos() {
    const map = new Map();
    for (const [geo, lb] of Object.entries(R.load_balancers || {})) {
      for (const shard of lb.slb || []) for (const slave of shard.slaves || []) map.set(slave.slave, geo);
    }
    return map;
  }

  // The hop each copy's lag column belongs to: standby, shard masters, or a geo's slaves.
  function lagGroups() {
    if (!TS) return [];
    const geoOf = slaveGeos();
    const groups = new Map();
    const add = (key, label, hopKey, copy, values) => {
      if (!groups.has(key)) groups.set(key, { key, label, hopKey, copies: [] });
      groups.get(key).copies.push({ name: copy, node: copy.split("/")[0], values });
    };
    TS.columns.forEach((name, i) => {
      if (!name.startsWith("lag_ms_")) return;
      const copy = name.slice("lag_ms_".length);
      if (copy.includes("/")) add("standby", "master → standby", ["master_to_standby"], copy, TS.values[i]);
      else if (copy.startsWith("shard_master_")) add("shard_master", "master → shard masters", ["master_to_shard_master"], copy, TS.values[i]);
      else {
        const geo = geoOf.get(copy) || "other";
        add("geo:" + geo, "master → slaves in " + geo + " (end to end)", ["geos", geo, "end_to_end"], copy, TS.values[i]);
      }
    });
    const order = (g) => (g.key === "standby" ? 0 : g.key === "shard_master" ? 1 : 2);
    return [...groups.values()].sort((a, b) => order(a) - order(b));
  }

  function quantile(sorted, q) {
    if (!sorted.length) return null;
    const at = (sorted.length - 1) * q;
    const lo = Math.floor(at);
    const hi = Math.ceil(at);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
  }

  // Per row, the p50 and p99 of the lags of the copies not set apart at that row.
  function bandOf(copies, apart) {
    const t = times();
    const p50 = [];
    const p99 = [];
    for (let row = 0; row < t.length; row++) {
      const values = copies.filter((c) => !apart(c, row)).map((c) => c.values[row]).filter(isNum).sort((a, b) => a - b);
      p50.push(quantile(values, 0.5));
      p99.push(quantile(values, 0.99));
    }
    return { p50, p99 };
  }

  // The global master that was active at each row: active_master_global, then whoever a failover
  // promoted ("promoted" events of the active global master role).
  function activeMasterByRow() {
    const promotions = (get(R, "failures", "timeline") || []).filter((e) => e.event === "promoted" && e.detail === "active global master");
    return times().map((t) => promotions.filter((e) => e.at_s <= t).reduce((node, e) => e.node, "active_master_global"));
  }

  // Marks, per copy and row, whether the copy is down (its node crashed), lapsed (out of its log's
  // retention at the end), or catching up after its node recovered (lag still above twice the
  // median of its peers, plus 10 ms of batching noise). Those rows are drawn apart, so that one
  // dead copy's growing lag does not flatten everyone else's into the axis.
  function markApart(group) {
    const t = times();
    const lapsed = new Set(get(R, "replication", "lapsed_at_end") || []);
    for (const copy of group.copies) {
      copy.apart = t.map(() => false);
      copy.why = [];
      for (const span of SPANS) {
        if (span.kind !== "crash" || span.node !== copy.node) continue;
        t.forEach((x, row) => (copy.apart[row] = copy.apart[row] || (x >= span.from && x <= span.to)));
        copy.why.push("down " + num(span.from, 1) + "–" + (span.open ? "end" : num(span.to, 1)) + " s");
        copy.recovered = (copy.recovered || []).concat(span.open ? [] : [span.to]);
      }
      if (lapsed.has(copy.name)) {
        copy.apart = t.map(() => true);
        copy.why.push("lapsed at the end");
      }
    }
    // The active master's copies are the log's source, not a hop: left out while it is active.
    if (group.key === "standby") {
      const active = activeMasterByRow();
      for (const copy of group.copies) copy.source = active.map((node) => node === copy.node);
    }
    const left = (c, row) => c.apart[row] || (c.source && c.source[row]);
    const peersMedian = (copy, row) => quantile(group.copies.filter((c) => c !== copy && !left(c, row)).map((c) => c.values[row]).filter(isNum).sort((a, b) => a - b), 0.5) || 0;
    for (const copy of group.copies) {
      for (const from of copy.recovered || []) {
        let row = t.findIndex((x) => x > from);
        while (row >= 0 && row < t.length && isNum(copy.values[row]) && copy.values[row] > 2 * peersMedian(copy, row) + 10) {
          copy.apart[row++] = true;
        }
      }
    }
    group.apartCopies = group.copies.filter((c) => c.apart.some(Boolean));
  }

  function drawLag() {
    const s = section("lag", "Replication lag over time", "Per hop, the band from the median (p50) to the p99 of its copies' lag at each sample: the age of the oldest write a copy has not applied (timeseries.csv, lag_ms_*). Copies that are down, lapsed or catching up after a crash are drawn apart below, so that their lag does not squash the axis. The dashed line is the hop's p99 over the measured window (report.json consistency_lag: apply time minus commit time, per write).");
    if (!TS) return s.empty("This run has no time series (run with --out DIR or --html): no lag over time to draw.");
    spansLegend(s.body);
    const groups = lagGroups();
    if (!groups.length) return s.empty("The time series has no lag columns.");
    let points = 0;
    const apartSeries = [];
    const grid = el("div", { class: "chart-grid" });
    s.body.append(grid);
    groups.forEach((group, gi) => {
      markApart(group);
      const band = bandOf(group.copies, (c, row) => c.apart[row] || (c.source && c.source[row]));
      const colour = group.key.startsWith("geo:") ? geoColour(geos().indexOf(group.key.slice(4))) : gi === 0 ? "#475569" : "#0f766e";
      const summaryP99 = get(get(R, "consistency_lag"), ...group.hopKey, "p99_ms");
      const cell = el("div", { class: "chart-cell" });
      grid.append(cell);
      points += timeChart(
        cell,
        group.label + " · " + copyCount(group) + (isNum(summaryP99) ? " · window p99 " + ms(summaryP99) : ""),
        "lag (ms)",
        [
          { label: "p99", values: band.p99, colour: colour, width: 1.5 },
          { label: "p50", values: band.p50, colour: colour, width: 2.5 },
        ],
        { unit: " ms", digits: 1, height: 220, bands: [{ series: [1, 2], fill: colour + "33" }], lines: isNum(summaryP99) ? [{ value: summaryP99, colour: colour + "aa" }] : null },
      );
      for (const copy of group.apartCopies) apartSeries.push(copy);
    });
    s.body.append(el("h3", { text: "Copies down, lapsed or catching up" }));
    if (!apartSeries.length) {
      note(s.body, "No copy was down or lapsed in this run: every copy is in the bands above.");
    } else {
      points += timeChart(
        s.body,
        "lag of each copy while it was set apart (" + apartSeries.length + ")",
        "lag (ms)",
        apartSeries.map((c, i) => ({
          label: c.name + " (" + apartReason(c) + ")",
          values: c.values.map((v, row) => (c.apart[row] ? v : null)),
          colour: GEO_COLOURS[(i + 3) % GEO_COLOURS.length],
        })),
        { unit: " ms", digits: 0, height: 240 },
      );
    }
    s.body.append(lagSummaryTable());
    s.points(points);
  }

  // Why a copy is drawn apart, short enough for a legend: its windows, or how many and how long.
  function apartReason(copy) {
    if (!copy.why.length) return "catching up";
    if (copy.why.length <= 2) return copy.why.join(", ");
    const down = SPANS.filter((sp) => sp.kind === "crash" && sp.node === copy.node);
    return "down " + down.length + " times, " + secs(down.reduce((n, sp) => n + sp.to - sp.from, 0)) + " in all";
  }

  // The standby group holds both global masters' copies (roles swap at a failover): count shards.
  function copyCount(group) {
    if (group.key === "standby") return new Set(group.copies.map((c) => c.name.split("/")[1])).size + " shards";
    return group.copies.length + " cop" + (group.copies.length === 1 ? "y" : "ies");
  }

  function lagSummaryTable() {
    const lag = R.consistency_lag || {};
    const rows = [];
    const row = (label, d) => d && rows.push([label, num(d.count, 0), ms(d.p50_ms), ms(d.p95_ms), ms(d.p99_ms), ms(d.p999_ms), ms(d.max_ms)]);
    row("master → standby", lag.master_to_standby);
    row("master → shard master", lag.master_to_shard_master);
    for (const [geo, g] of Object.entries(lag.geos || {})) {
      row("shard master → " + geo + " slave", g.shard_master_to_slave);
      row("end to end, " + geo, g.end_to_end);
    }
    return el("details", { class: "more" }, el("summary", { text: "Lag per hop over the measured window (report.json)" }), table(["hop", "writes", "p50", "p95", "p99", "p99.9", "max"], rows));
  }

  // ---- fresh share ---------------------------------------------------------------------------

  function drawFresh() {
    const s = section("fresh", "Fresh share and the 80/20 target", "The share of the keys on a geo's slaves whose version is the master's latest, at each sample, against report.fresh_share_target (dashed). The table gives the time-weighted figures of the measured window and the time spent below the target.");
    const rows = [];
    let points = 0;
    let target = null;
    geos().forEach((geo) => {
      const d = get(R, "eighty_twenty", geo, "slave_data_ratio") || {};
      target = isNum(d.target_fresh_share) ? d.target_fresh_share : target;
      rows.push([geo, pct(d.target_fresh_share, 0), pct(d.fresh_share_mean, 2), pct(d.fresh_share_min, 2), secs(d.time_below_target_s), pct(d.share_of_time_below_target, 2), badge(d.always_holds === true, "holds", "broken")]);
      points += 5;
    });
    const series = geos()
      .map((geo, i) => ({ label: geo, values: column("fresh_share_" + geo), colour: geoColour(i), width: 2 }))
      .filter((x) => x.values);
    if (series.length) {
      spansLegend(s.body);
      const bottom = series.reduce((m, x) => lowest(x.values, m), target === null ? 1 : target);
      points += timeChart(s.body, "fresh share per geo", "fresh share", series, {
        digits: 4,
        yRange: [Math.max(0, Math.floor((bottom - 0.05) * 20) / 20), 1.0],
        lines: target === null ? null : [{ value: target, colour: "#dc2626" }],
      });
    } else {
      note(s.body, "This run has no time series (run with --out DIR or --html): only the window's figures below.");
    }
    if (!rows.length) return s.empty("The report has no 80/20 figures.");
    s.body.append(table(["geo", "target", "mean", "min", "time below target", "share of time below", "verdict"], rows));
    s.points(points);
  }

  // ---- latency -------------------------------------------------------------------------------

  const OPERATIONS = ["static", "read_hit", "read_miss", "sync_write", "async_write_ack", "async_write_commit"];

  function drawLatency() {
    const s = section("latency", "Latency and throughput", "Over time, the time series holds per geo the p99 of the reads answered in each sample interval, the answered and the failed requests per second, and per operation (read hit, read miss, sync write, async write ack) the p50 and p99 of each interval. Per operation, the percentiles of the measured window come from report.json (client-observed, issue to answer).");
    let points = 0;
    const gs = geos();
    const p99 = gs.map((geo, i) => ({ label: geo, values: column("read_p99_ms_" + geo), colour: geoColour(i), width: 2 })).filter((x) => x.values);
    if (p99.length) {
      spansLegend(s.body);
      const grid = el("div", { class: "chart-grid three" });
      s.body.append(grid);
      const cells = [0, 1, 2].map(() => el("div", { class: "chart-cell" }));
      grid.append(...cells);
      points += timeChart(cells[0], "read p99 per sample interval", "read p99 (ms)", p99, { unit: " ms", digits: 1, height: 220 });
      const perGeo = (prefix, suffix) => gs.map((geo, i) => ({ label: geo, values: column(prefix + geo + suffix), colour: geoColour(i), width: 2 })).filter((x) => x.values);
      points += timeChart(cells[1], "answered requests per second", "answered / s", perGeo("throughput_", "_per_s"), { digits: 1, height: 220 });
      points += timeChart(cells[2], "failed requests per second", "failed / s", perGeo("failed_", "_per_s"), { digits: 1, height: 220 });
      points += drawOperationsOverTime(s.body, gs);
    } else {
      note(s.body, "This run has no time series (run with --out DIR or --html): no latency over time; the percentiles below cover the window.");
    }
    const rows = [];
    let highest = 0;
    for (const geo of gs) for (const op of OPERATIONS) highest = Math.max(highest, get(R.requests[geo], "latency", op, "p999_ms") || 0);
    for (const geo of gs) {
      for (const op of OPERATIONS) {
        const d = get(R.requests[geo], "latency", op);
        if (!d || !d.count) continue;
        rows.push([geo, op.replace(/_/g, " "), num(d.count, 0), ms(d.p50_ms), ms(d.p95_ms), ms(d.p99_ms), ms(d.p999_ms), ms(d.max_ms), latencyBar(d, highest)]);
        points += 6;
      }
    }
    if (!rows.length && !p99.length) return s.empty("No request was answered in the measured window.");
    s.body.append(el("h3", { text: "Per operation, measured window" }));
    s.body.append(table(["geo", "operation", "count", "p50", "p95", "p99", "p99.9", "max", "p50 · p99 · p99.9 (log scale)"], rows, 2));
    s.points(points);
  }

  // The operations timeseries.csv has percentiles of per interval (what a client is answered with).
  const SERIES_OPERATIONS = ["read_hit", "read_miss", "sync_write", "async_write_ack"];

  // One chart per operation: per geo its p99 (solid) and p50 (dashed) in each sample interval; an
  // interval that answered none of it is a gap. Each chart's figure carries data-chart and
  // data-points, which the browser check reads.
  function drawOperationsOverTime(parent, gs) {
    const charts = SERIES_OPERATIONS.map((op) => {
      const series = [];
      gs.forEach((geo, i) => {
        const p99 = column(op + "_p99_ms_" + geo);
        const p50 = column(op + "_p50_ms_" + geo);
        if (p99) series.push({ label: geo + " p99", values: p99, colour: geoColour(i), width: 2 });
        if (p50) series.push({ label: geo + " p50", values: p50, colour: geoColour(i), width: 1.2, dash: [5, 4] });
      });
      return { op, series };
    }).filter((c) => c.series.length);
    if (!charts.length) return 0;
    parent.append(el("h3", { text: "Per operation over time (p99 solid, p50 dashed)" }));
    const grid = el("div", { class: "chart-grid" });
    parent.append(grid);
    let points = 0;
    for (const c of charts) {
      const cell = el("div", { class: "chart-cell" });
      grid.append(cell);
      const drawn = timeChart(cell, c.op.replace(/_/g, " ") + " latency per sample interval", "latency (ms)", c.series, { unit: " ms", digits: 2, height: 220 });
      const figure = cell.querySelector("figure.chart");
      if (figure) {
        figure.dataset.chart = "latency-" + c.op;
        figure.dataset.points = String(drawn);
      }
      points += drawn;
    }
    return points;
  }

  // A log-scale bar from 0.1 ms to the slowest p99.9: p50 solid, p99 lighter, p99.9 a tick.
  function latencyBar(d, highest) {
    const lo = Math.log10(0.1);
    const hi = Math.log10(Math.max(highest, 1)) + 0.05;
    const at = (v) => (100 * (Math.log10(Math.max(v, 0.1)) - lo)) / (hi - lo);
    return el(
      "div",
      { class: "lat-bar", title: "p50 " + ms(d.p50_ms) + ", p99 " + ms(d.p99_ms) + ", p99.9 " + ms(d.p999_ms) },
      el("span", { class: "p99", style: "width:" + at(d.p99_ms).toFixed(1) + "%" }),
      el("span", { class: "p50", style: "width:" + at(d.p50_ms).toFixed(1) + "%" }),
      el("span", { class: "p999", style: "left:" + at(d.p999_ms).toFixed(1) + "%" }),
    );
  }

  // ---- t-visibility --------------------------------------------------------------------------

  // The Wilson score interval of a proportion p observed over n trials (95%): honest near 0 and 1
  // and for small n, where the normal approximation is not.
  function wilson(p, n) {
    const z = 1.96;
    const denominator = 1 + (z * z) / n;
    const centre = (p + (z * z) / (2 * n)) / denominator;
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
    return [Math.max(0, centre - half), Math.min(1, centre + half)];
  }

  // A point per bin at its geometric middle (the axis is logarithmic); the open last bin at its edge.
  function binX(b) {
    if (b.t_to_ms === null || b.t_to_ms === undefined) return b.t_from_ms;
    return b.t_from_ms > 0 ? Math.sqrt(b.t_from_ms * b.t_to_ms) : b.t_to_ms / 2;
  }

  function drawTVisibility() {
    const s = section("tvis", "t-visibility: how soon reads see a write", "The probability that a read issued t after the commit of its key's latest write returns that write (Bailis et al., PBS, VLDB 2012), per geo, with the 95% Wilson interval of each bin from its read count. Reads of never-written keys are not counted.");
    const curves = geos()
      .map((geo, i) => ({ geo, colour: geoColour(i), bins: (get(R, "staleness", geo, "t_visibility") || []).filter((b) => b.reads > 0 && binX(b) > 0) }))
      .filter((c) => c.bins.length);
    if (!curves.length) return s.empty("No read followed a write of its key in the measured window: no t-visibility curve.");
    const xs = [...new Set(curves.flatMap((c) => c.bins.map(binX)))].sort((a, b) => a - b);
    const lines = curves.map((c) => {
      const byX = new Map(c.bins.map((b) => [binX(b), b]));
      const interval = (side) => xs.map((x) => (byX.has(x) ? wilson(byX.get(x).p_visible, byX.get(x).reads)[side] : null));
      return { label: c.geo, colour: c.colour, mean: xs.map((x) => (byX.has(x) ? byX.get(x).p_visible : null)), low: interval(0), high: interval(1), value: (u, v) => pct(v, 2) };
    });
    const box = el("figure", { class: "chart" }, el("figcaption", { text: "P(read sees the write) against the time since its commit" }));
    s.body.append(box);
    intervalChart(
      s.body,
      box,
      {
        height: 300,
        scales: { x: { time: false, distr: 3 }, y: { range: [0, 1.02] } },
        axes: [
          { label: "time between a write's commit and a read of its key (ms, log scale)", stroke: "#475569", grid: { stroke: "#e2e8f0" } },
          { label: "P(visible)", stroke: "#475569", grid: { stroke: "#e2e8f0" }, values: (u, ticks) => ticks.map((v) => pct(v, 0)), size: 64 },
        ],
      },
      { label: "t (ms)", value: (u, v) => (isNum(v) ? ms(v) : "–") },
      xs,
      lines,
    );
    const rows = [];
    for (const c of curves) {
      for (const b of c.bins) {
        const [lo, hi] = wilson(b.p_visible, b.reads);
        rows.push([c.geo, num(b.t_from_ms, 1) + (isNum(b.t_to_ms) ? " – " + num(b.t_to_ms, 1) : " +") + " ms", num(b.reads, 0), pct(b.p_visible, 2), pct(lo, 2) + " – " + pct(hi, 2)]);
      }
    }
    s.body.append(el("details", { class: "more" }, el("summary", { text: "Bins and read counts" }), table(["geo", "t since commit", "reads", "P(visible)", "95% interval"], rows, 2)));
    s.points(curves.reduce((n, c) => n + c.bins.length, 0));
  }

  // ---- failures ------------------------------------------------------------------------------

  const MARK_COLOURS = { declared_down: "#dc2626", promoted: "#059669", routing_updated: "#2563eb", writes_resumed: "#0891b2", promotion_failed: "#b91c1c", declared_up: "#65a30d" };

  function drawFailures() {
    const s = section("failures", "Failures and failover", "Every injected failure and the reactions to it (report.json failures.timeline) on one time axis, one lane per node or link; then each failover: detection, election, promotion, rerouting, the writes' outage and the writes lost.");
    const timeline = get(R, "failures", "timeline") || [];
    const failovers = get(R, "failures", "failovers") || [];
    if (!timeline.length && !failovers.length) return s.empty("No failure was injected in this run, and no node was declared down: nothing to show.");
    s.body.append(timelineSvg(timeline));
    let points = timeline.length;
    if (failovers.length) {
      const rows = failovers.map((f) => [
        f.node,
        f.role.replace(/_/g, " ") + (f.false_failover ? " (false)" : ""),
        secs(f.failed_at_s),
        secs(f.detection_s),
        secs(f.election_s),
        secs(f.promotion_s),
        secs(f.routing_s),
        secs(f.write_unavailability_s),
        isNum(f.sync_writes_failed) ? num(f.sync_writes_failed, 0) : "–",
        isNum(f.writes_lost) ? num(f.writes_lost, 0) : "–",
        isNum(f.rpo_s) ? secs(f.rpo_s) : "–",
        f.promoted || (f.completed ? "–" : "not promoted"),
      ]);
      points += failovers.length;
      const headers = ["failed node", "role", "at", "detect", "elect", "promote", "reroute", "write outage", "sync failed", "lost", "RPO", "promoted"];
      s.body.append(el("h3", { text: "Failovers (" + failovers.length + ")" }));
      // A failure storm lists its first ten; the rest fold away.
      s.body.append(table(headers, rows.slice(0, 10), 2));
      if (rows.length > 10) s.body.append(el("details", { class: "more" }, el("summary", { text: rows.length - 10 + " more failovers" }), table(headers, rows.slice(10), 2)));
    } else {
      note(s.body, "No node was declared down: no failover.");
    }
    const events = timeline.map((e) => [secs(e.at_s), e.event, e.node, e.detail || ""]);
    s.body.append(el("details", { class: "more" }, el("summary", { text: "Timeline events (" + timeline.length + ")" }), table(["at", "event", "node", "detail"], events, 4)));
    s.points(points);
  }

  // The timeline as an SVG: lanes of nodes, lasting failures as bars, reactions as marks.
  function timelineSvg(timeline) {
    const lanes = [...new Set(timeline.map((e) => e.node))];
    const end = get(R, "run", "simulated_s") || highest(timeline.map((e) => e.at_s), 1);
    const width = 1200;
    const left = 230;
    const laneHeight = 30;
    const height = lanes.length * laneHeight + 46;
    const x = (t) => left + ((width - left - 20) * t) / end;
    const picture = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "timeline", role: "img", "aria-label": "failure timeline" });
    const step = niceStep(end / 10);
    for (let t = 0; t <= end + 1e-9; t += step) {
      picture.append(svg("line", { x1: x(t), x2: x(t), y1: 8, y2: height - 28, class: "grid" }));
      picture.append(svg("text", { x: x(t), y: height - 10, "text-anchor": "middle", class: "tick" }, num(t, step < 1 ? 1 : 0) + " s"));
    }
    const warmup = get(R, "run", "warmup_s") || 0;
    if (warmup > 0) picture.append(svg("rect", { x: x(0), y: 8, width: x(warmup) - x(0), height: height - 36, class: "warmup" }, svg("title", {}, "warm-up")));
    lanes.forEach((lane, i) => {
      const y = 14 + i * laneHeight;
      picture.append(svg("text", { x: left - 10, y: y + 15, "text-anchor": "end", class: "lane" }, lane));
      picture.append(svg("line", { x1: left, x2: width - 20, y1: y + 11, y2: y + 11, class: "lane-line" }));
      for (const span of SPANS.filter((sp) => sp.node === lane)) {
        picture.append(svg("rect", { x: x(span.from), y: y + 2, width: Math.max(x(span.to) - x(span.from), 2), height: 18, rx: 3, fill: SPAN_COLOURS[span.kind].replace("0.13", "0.55") }, svg("title", {}, span.kind + " " + num(span.from, 2) + "–" + (span.open ? "end" : num(span.to, 2)) + " s" + (span.detail ? " (" + span.detail + ")" : ""))));
      }
      for (const e of timeline.filter((ev) => ev.node === lane && !SPAN_END[ev.event] && !Object.values(SPAN_END).includes(ev.event))) {
        const colour = MARK_COLOURS[e.event] || "#475569";
        picture.append(svg("path", { d: "M" + x(e.at_s) + " " + (y + 1) + " l5 10 l-5 10 l-5 -10 z", fill: colour, stroke: "#fff", "stroke-width": 1 }, svg("title", {}, e.event + " at " + num(e.at_s, 3) + " s" + (e.detail ? ": " + e.detail : ""))));
      }
    });
    const used = [...new Set(timeline.map((e) => e.event))].filter((ev) => MARK_COLOURS[ev]);
    const keys = [el("span", { class: "key" }, el("i", { style: "background: rgba(220,38,38,0.55)" }), "crash (bar: down)")].concat(
      used.map((ev) => el("span", { class: "key" }, el("i", { class: "diamond", style: "background:" + MARK_COLOURS[ev] }), ev.replace(/_/g, " "))),
      [el("span", { class: "key" }, el("i", { class: "diamond", style: "background:#475569" }), "other event (hover for its name)")],
    );
    return el("div", { class: "timeline-wrap" }, picture, el("p", { class: "keys" }, keys));
  }

  // ---- load per slave ------------------------------------------------------------------------

  function downtimeOf(node) {
    const spans = SPANS.filter((sp) => sp.kind === "crash" && sp.node === node);
    return { seconds: spans.reduce((n, sp) => n + (sp.to - sp.from), 0), atEnd: spans.some((sp) => sp.open) };
  }

  // Many slaves: a cell per slave (a column per shard, a row per replica), coloured by its share
  // over the fair share, and the most loaded five by name.
  const HEATMAP_FROM = 24;
  function loadHeatmap(geo, lb, utilisation) {
    const columns = [];
    const all = [];
    for (const shard of lb.slb || []) {
      const slaves = shard.slaves || [];
      const fair = 1 / Math.max(slaves.length, 1);
      const row = slaves.map((sl) => {
        const ratio = sl.load_share / fair;
        const down = downtimeOf(sl.slave);
        const u = utilisation.get(sl.slave);
        all.push({ sl, ratio, u, down });
        const title = sl.slave + ": " + pct(sl.load_share, 1) + " of shard " + shard.shard + "'s reads (fair " + pct(fair, 1) + "), " + num(sl.reads, 0) + " reads" + (u ? ", util " + pct(u.utilization, 1) : "") + (down.seconds ? ", down " + secs(down.seconds) : "");
        return el("span", { class: "heat" + (down.seconds ? " down" : ""), style: "background:" + heatColour(ratio), title });
      });
      columns.push(el("div", { class: "heat-column", title: "shard " + shard.shard }, row));
    }
    const top = all.sort((a, b) => b.ratio - a.ratio || (a.sl.slave < b.sl.slave ? -1 : 1)).slice(0, 5);
    const rows = top.map((t) => [t.sl.slave, pct(t.sl.load_share, 1), num(t.ratio, 2) + "×", num(t.sl.reads, 0), t.u ? pct(t.u.utilization, 1) : "–", t.down.seconds ? (t.down.atEnd ? "at end" : secs(t.down.seconds)) : ""]);
    return el(
      "div",
      { class: "load-geo" },
      el("h3", { text: geo + " · " + all.length + " slaves" }),
      el("div", { class: "heatmap" }, columns),
      el("p", { class: "keys" }, el("span", {}, "a column per shard (1 to " + columns.length + "), a cell per slave; colour: its share over the fair share ", el("span", { class: "heat-scale-label", text: "0.5×" }), el("i", { class: "heat-scale" }), el("span", { class: "heat-scale-label", text: "2×" }), "; red outline: down during the run; hover for figures")),
      table(["most loaded", "share", "over fair", "reads", "util", "down"], rows),
    );
  }

  // Pale at half the fair share, teal at the fair share, amber at 1.4x, red at twice it.
  function heatColour(ratio) {
    const t = Math.max(-1, Math.min(1, Math.log2(isNum(ratio) && ratio > 0 ? ratio : 0.5)));
    const mix = (a, b, f) => a.map((v, i) => Math.round(v + (b[i] - v) * f));
    const teal = [15, 118, 110];
    const amber = [245, 158, 11];
    let rgb = mix(teal, [204, 251, 241], -t);
    if (t > 0) rgb = t < 0.5 ? mix(teal, amber, t * 2) : mix(amber, [220, 38, 38], (t - 0.5) * 2);
    return "rgb(" + rgb.join(",") + ")";
  }

  function drawLoad() {
    const s = section("load", "Load per slave", "Each slave's share of its shard's reads in its geo (report.json load_balancers), against the fair share of an even ring (the tick), then its utilization (busy server-time over servers × window). Slaves that were down during the run are marked; their share is what they served while up.");
    const lbs = geos().filter((g) => get(R, "load_balancers", g)).map((g) => [g, R.load_balancers[g]]);
    let points = 0;
    const utilisation = new Map((R.nodes || []).map((n) => [n.name, n]));
    const grid = el("div", { class: "load-grid" });
    for (const [geo, lb] of lbs) {
      const count = (lb.slb || []).reduce((n, shard) => n + (shard.slaves || []).length, 0);
      if (count >= HEATMAP_FROM) {
        grid.append(loadHeatmap(geo, lb, utilisation));
        points += count;
        continue;
      }
      const block = el("div", { class: "load-geo" }, el("h3", { text: geo }));
      for (const shard of lb.slb || []) {
        const slaves = shard.slaves || [];
        if (!slaves.length) continue;
        const fair = 1 / slaves.length;
        const rows = slaves.map((sl) => {
          points++;
          const down = downtimeOf(sl.slave);
          const u = utilisation.get(sl.slave);
          return el(
            "div",
            { class: "load-row" + (down.seconds > 0 ? " down" : "") },
            el("span", { class: "load-name", text: sl.slave }),
            el("span", { class: "load-bar" }, el("span", { class: "fill", style: "width:" + (100 * sl.load_share).toFixed(1) + "%" }), el("span", { class: "fair", style: "left:" + (100 * fair).toFixed(1) + "%" })),
            el("span", { class: "load-value", text: pct(sl.load_share, 1) + " of " + num(sl.reads, 0) + " reads" }),
            el("span", { class: "util-bar", title: "utilization: busy server-time over servers × window" }, el("span", { class: "fill", style: "width:" + (u ? 100 * Math.min(u.utilization, 1) : 0).toFixed(1) + "%" })),
            el("span", { class: "load-value", text: u ? "util " + pct(u.utilization, 1) : "" }),
            down.seconds > 0 ? el("span", { class: "badge fail", text: down.atEnd ? "down at end" : "down " + secs(down.seconds) }) : null,
          );
        });
        block.append(el("div", { class: "load-shard" }, el("div", { class: "load-shard-title", text: "shard " + shard.shard + " · max/mean " + num(shard.max_over_mean, 3) }), rows));
      }
      grid.append(block);
    }
    if (!points) return s.empty("No geo has slaves behind a load balancer: no load to show.");
    s.body.append(grid);
    s.points(points);
  }

  // ---- topology ------------------------------------------------------------------------------

  // The shard count of the effective scenario: a list of ranges, or {"shard_count": N}.
  function shardCount(effective) {
    const shards = effective.shards;
    if (Array.isArray(shards)) return shards.length || 1;
    return (shards && shards.shard_count) || 1;
  }

  // How many slaves a geo has per shard, from the effective scenario (a number, or one per shard).
  function slavesPerShard(effective, geo, shards) {
    const per = get(effective, "slaves", "per_shard_per_geo", geo);
    if (Array.isArray(per)) return per;
    return Array.from({ length: shards }, () => (isNum(per) ? per : 1));
  }

  function drawTopology() {
    const s = section("topology", "Topology", "The deployment of the effective scenario: per geo its cache nodes, the global masters and shard masters it hosts, and one slave box per shard and replica. Lines are the replication streams (master → standby, master → shard masters, shard master → slaves). Nodes that crashed during the run are outlined in red, nodes a failover promoted in green (dashed). A large deployment is drawn abridged: the first shards, and counts for the rest.");
    const effective = get(R, "scenario", "effective");
    const geoList = (effective && effective.geos) || [];
    if (!geoList.length) return s.empty("The report has no effective scenario: no topology to draw.");
    const shards = shardCount(effective);
    const crashed = new Set(SPANS.filter((sp) => sp.kind === "crash").map((sp) => sp.node));
    const gm = effective.global_master || {};
    const smGeo = get(effective, "shard_masters", "geo") || geoList[0];
    const colWidth = Math.max(260, Math.min(420, 1160 / geoList.length));
    const boxW = 74;
    const boxH = 26;
    const gap = 8;
    const maxSlaves = highest(geoList.map((g) => highest(slavesPerShard(effective, g, shards), 0)), 1);
    const slaveRows = Math.min(maxSlaves, 4);
    const perRow = Math.max(1, Math.floor((colWidth - 30) / (boxW + gap)));
    const shownShards = Math.min(shards, perRow * 3);
    const shardRows = Math.ceil(shownShards / perRow);
    const height = 216 + shardRows * (slaveRows * (boxH + 4) + 30);
    const width = colWidth * geoList.length;
    // At most 1.25x its own size: a two-geo picture is not blown up to the page's width.
    const picture = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "topology", role: "img", "aria-label": "topology", style: "max-width:" + Math.round(width * 1.25) + "px" });
    const promoted = new Map((get(R, "failures", "timeline") || []).filter((e) => e.event === "promoted").map((e) => [e.node, e]));
    // Painted in order: the geos' panels, the streams, then the nodes on top.
    const panels = svg("g", {});
    const edges = svg("g", { class: "edges" });
    picture.append(panels, edges);
    const at = new Map();
    let points = 0;
    const box = (g, name, label, kind, x, y, w) => {
      const node = svg("g", { class: "node " + kind + (crashed.has(name) ? " crashed" : "") + (promoted.has(name) ? " promoted" : "") });
      const notes = [crashed.has(name) ? "crashed during the run" : null, promoted.has(name) ? "promoted at " + secs(promoted.get(name).at_s) + " to " + (promoted.get(name).detail || "leader") : null].filter(Boolean);
      node.append(svg("rect", { x, y, width: w || boxW, height: boxH, rx: 5 }), svg("text", { x: x + (w || boxW) / 2, y: y + 17, "text-anchor": "middle" }, label), svg("title", {}, name + (notes.length ? " (" + notes.join("; ") + ")" : "")));
      g.append(node);
      at.set(name, { x: x + (w || boxW) / 2, top: y, bottom: y + boxH });
      points++;
    };
    geoList.forEach((geo, gi) => {
      const x0 = gi * colWidth + 10;
      const g = svg("g", {});
      picture.append(g);
      panels.append(svg("rect", { x: x0, y: 6, width: colWidth - 20, height: height - 12, rx: 12, class: "geo" }));
      g.append(svg("text", { x: x0 + 14, y: 30, class: "geo-name", fill: geoColour(gi) }, geo));
      const caches = get(effective, "caches", geo, "nodes") || 0;
      const shownCaches = Math.min(caches, caches > perRow ? perRow - 1 : perRow);
      for (let c = 0; c < shownCaches; c++) box(g, "cache_" + geo + "_" + (c + 1), "cache " + (c + 1), "cache", x0 + 14 + c * (boxW + gap), 44);
      if (caches > shownCaches) g.append(svg("text", { x: x0 + 18 + shownCaches * (boxW + gap), y: 61, class: "more-label" }, "+" + (caches - shownCaches) + " caches"));
      let y = 90;
      const masters = [];
      if (gm.active_geo === geo) masters.push(["active_master_global", "active master", "master"]);
      if (gm.standby_geo === geo) masters.push(["passive_master_global", "standby master", "standby"]);
      masters.forEach(([name, label, kind], i) => box(g, name, label, kind, x0 + 14 + i * 126, y, 118));
      if (smGeo === geo) {
        const shownMasters = Math.min(shards, shards > perRow ? perRow - 1 : perRow);
        for (let sh = 0; sh < shownMasters; sh++) box(g, "shard_master_global_" + (sh + 1), "shard M " + (sh + 1), "shard-master", x0 + 14 + sh * (boxW + gap), y + 50);
        if (shards > shownMasters) g.append(svg("text", { x: x0 + 18 + shownMasters * (boxW + gap), y: y + 67, class: "more-label" }, "+" + (shards - shownMasters) + " shard masters"));
      }
      y = 210;
      g.append(svg("text", { x: x0 + 14, y: y - 8, class: "tier-label" }, "slaves (shard." + "replica)"));
      const per = slavesPerShard(effective, geo, shards);
      for (let sh = 0; sh < shownShards; sh++) {
        const col = sh % perRow;
        const row = Math.floor(sh / perRow);
        const bx = x0 + 14 + col * (boxW + gap);
        const by = y + row * (slaveRows * (boxH + 4) + 30);
        for (let r = 0; r < Math.min(per[sh], slaveRows); r++) {
          const name = per[sh] === 1 ? "shard_slave_" + geo + "_" + (sh + 1) : "shard_slave_" + geo + "_" + (sh + 1) + "." + (r + 1);
          box(g, name, per[sh] === 1 ? "slave " + (sh + 1) : "slave " + (sh + 1) + "." + (r + 1), "slave", bx, by + r * (boxH + 4));
        }
        if (per[sh] > slaveRows) g.append(svg("text", { x: bx + 4, y: by + slaveRows * (boxH + 4) + 12, class: "more-label" }, "+" + (per[sh] - slaveRows)));
      }
      if (shards > shownShards) g.append(svg("text", { x: x0 + 14, y: height - 18, class: "more-label" }, "+" + (shards - shownShards) + " more shards not drawn"));
    });
    const link = (from, to, kind) => {
      const a = at.get(from);
      const b = at.get(to);
      if (!a || !b) return;
      const down = b.top > a.bottom;
      const y1 = down ? a.bottom : a.top + boxH / 2;
      const y2 = down ? b.top : b.top + boxH / 2;
      const mid = (y1 + y2) / 2;
      edges.append(svg("path", { d: "M" + a.x + " " + y1 + " C" + a.x + " " + mid + " " + b.x + " " + mid + " " + b.x + " " + y2, class: "edge " + kind }));
    };
    link("active_master_global", "passive_master_global", "standby");
    for (let sh = 0; sh < shards; sh++) {
      link("active_master_global", "shard_master_global_" + (sh + 1), "to-shard");
      for (const geo of geoList) {
        const per = slavesPerShard(effective, geo, shards)[sh];
        for (let r = 0; r < per; r++) link("shard_master_global_" + (sh + 1), per === 1 ? "shard_slave_" + geo + "_" + (sh + 1) : "shard_slave_" + geo + "_" + (sh + 1) + "." + (r + 1), "to-slave");
      }
    }
    const keys = [
      ["master", "active global master"],
      ["standby", "standby master"],
      ["shard-master", "shard master"],
      ["slave", "shard slave"],
      ["cache", "cache node"],
    ].map(([kind, label]) => el("span", { class: "key" }, el("i", { class: "swatch " + kind }), label));
    keys.push(el("span", { class: "key" }, el("i", { class: "swatch crashed" }), "crashed during the run"));
    keys.push(el("span", { class: "key" }, el("i", { class: "swatch promoted" }), "promoted by a failover"));
    s.body.append(el("div", { class: "topology-wrap" }, picture), el("p", { class: "keys" }, keys));
    s.points(points);
  }

  // ---- page ----------------------------------------------------------------------------------

  function main() {
    drawHeader();
    for (const draw of [drawHeadline, drawLag, drawFresh, drawLatency, drawTVisibility, drawFailures, drawLoad, drawTopology]) draw();
    finish("Written by shardsim " + (R.simulator_version || "") + " from the run's report.json and timeseries.csv; charts by uPlot (MIT). Figures are defined in docs/metrics.md.");
  }

  main();
})();
