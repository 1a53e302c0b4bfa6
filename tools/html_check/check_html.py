#!/usr/bin/env python3
"""Opens shardsim HTML reports in headless Chromium with the network off, and fails on any problem.

usage: check_html.py [--chromium PATH] [--screenshot PNG] [--require S1,S2...] [--require-charts C1,C2...]
                     REPORT.html...
       check_html.py --shardsim BINARY --scenario FILE [--set PATH=VALUE]... [--keep DIR] [options]
       check_html.py --shardsim BINARY --sweep FILE [--keep DIR] [options]
       check_html.py --self-test [--chromium PATH]

With --shardsim, the report is made first (`shardsim run FILE --set ... --out DIR --html PAGE`,
then `shardsim report DIR` must give the same bytes), in --keep DIR or a temporary directory:
what ctest runs (html_report_* in CMakeLists.txt). With --sweep, the sweep's pages are made
instead: `shardsim sweep FILE --out DIR --html PAGE` (its grid: section "metrics" must hold data)
and, when the file has a "find" section, `shardsim sweep FILE --find --out DIR --html PAGE`
(section "find"), then `shardsim report DIR` (both); all three are checked (ctest html_sweep).

For each report it checks, in a real browser (Debian's `chromium`, tools/packages.txt):
  - no uncaught exception, no console.error / console.warn / console.assert, no browser log entry of
    level error or warning;
  - no network request at all (the page must be self-contained: scripts, styles and data inlined);
    host names resolve to nothing, so a stray fetch fails, and any request that is not file: or
    data: is reported;
  - the page script finished (it sets data-report-ready on <body>), and every <section
    data-section> carries data-points, the number of points it drew: a section with 0 points must
    say so (data-empty, its "no data" note) and is accepted only where the run has no such data;
    the caller names the sections that must hold data with --require (default: all of them);
  - with --require-charts, each named chart (a <figure data-chart=NAME>, such as the latency
    section's per-operation charts "latency-read_hit") is on the page and drew points;
  - with --screenshot, a full-page PNG (1400 px wide) to look at;
  - with --section-shots DIR, one PNG per section of the (last) page, DIR/PREFIX<section>.png
    (--shot-sections S1,S2... to choose them, --shot-prefix PREFIX): the README's pictures
    (tools/docs/readme_images.py).

--self-test feeds deliberately broken pages (an exception, a console.error, a fetch, a missing
ready mark) and fails unless each is caught: the check can be trusted to see errors.

It talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe), with the
Python standard library only. Chromium missing is an error (exit 2), never a skip.
Exit codes: 0 all pages clean, 1 a page has a problem, 2 bad usage or no usable Chromium.
"""

import argparse
import base64
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import tempfile
import time

PAGE_TIMEOUT_S = 30
WIDTH = 1400


class BrowserError(Exception):
    pass


class Browser:
    """A headless Chromium driven over its DevTools pipe (fd 3: commands in, fd 4: events out)."""

    def __init__(self, executable):
        self.profile = tempfile.mkdtemp(prefix="check_html_")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        args = [
            executable,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=%d,4000" % WIDTH,
            "--user-data-dir=" + self.profile,
            "--remote-debugging-pipe",
            "about:blank",
        ]

        def wire_pipes():
            # Through high numbers first: a pipe end may itself be 3 or 4.
            os.dup2(to_chrome_r, 100)
            os.dup2(from_chrome_w, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)

        # pass_fds keeps 3 and 4 open: the child closes every other descriptor after wire_pipes.
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            pass_fds=(3, 4, to_chrome_r, from_chrome_w), preexec_fn=wire_pipes)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, timeout=PAGE_TIMEOUT_S):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.receive(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer within %d s" % PAGE_TIMEOUT_S)
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium exited: " + self.stderr_tail())
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def drain_events(self, seconds):
        """Collects the events that arrive within `seconds`."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self.receive(deadline))
        except BrowserError:
            pass

    def stderr_tail(self):
        self.process.kill()
        return self.process.stderr.read().decode(errors="replace")[-2000:]

    def close(self):
        try:
            os.write(self.to_chrome, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        for fd in (self.to_chrome, self.from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        self.process.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)


# Reads what the page script left on the page: its ready mark and each section's points.
SECTIONS_JS = """JSON.stringify({
  ready: document.body && document.body.dataset.reportReady === "1",
  sections: Array.from(document.querySelectorAll("section[data-section]")).map(s => ({
    id: s.dataset.section,
    points: s.dataset.points === undefined ? null : Number(s.dataset.points),
    empty: s.dataset.empty === "1",
    note: (s.querySelector(".no-data") || {}).textContent || "",
  })),
  charts: Array.from(document.querySelectorAll("figure[data-chart]")).map(f => ({
    id: f.dataset.chart,
    points: f.dataset.points === undefined ? null : Number(f.dataset.points),
  })),
})"""


def problems_of_events(events, session):
    """Console errors, exceptions, error log entries and any network request, as sentences."""
    problems = []
    for event in events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            problems.append("uncaught exception: %s (line %s)" % (text, details.get("lineNumber")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            problems.append("console.%s: %s" % (params["type"], text))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            entry = params["entry"]
            problems.append("browser %s: %s %s" % (entry["level"], entry.get("text"), entry.get("url", "")))
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:")):
                problems.append("network request at view time: " + url)
    return problems


def open_page(browser, path, ready_timeout):
    """Loads `path` in a new tab; returns (target, session, the page's sections report), waiting
    up to `ready_timeout` seconds for the page script's ready mark."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        browser.send(domain + ".enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": WIDTH, "height": 4000, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.send("Page.navigate", {"url": pathlib.Path(path).resolve().as_uri()}, session=session)
    deadline = time.monotonic() + ready_timeout
    state = {"ready": False, "sections": []}
    while time.monotonic() < deadline:
        result = browser.send("Runtime.evaluate", {"expression": SECTIONS_JS, "returnByValue": True},
                              session=session)
        value = result.get("result", {}).get("value")
        if value:
            state = json.loads(value)
            if state["ready"]:
                break
        time.sleep(0.2)
    browser.drain_events(0.5)  # late console messages (a chart drawn on the next frame)
    return target, session, state


def screenshot(browser, session, png_path):
    metrics = browser.send("Page.getLayoutMetrics", session=session)
    height = int(metrics.get("cssContentSize", metrics.get("contentSize"))["height"])
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.drain_events(0.3)  # let charts follow the new size
    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                        session=session)
    pathlib.Path(png_path).write_bytes(base64.b64decode(shot["data"]))


SECTION_RECT_JS = """(() => {
  const s = document.querySelector('section[data-section="%s"]');
  if (!s) return null;
  const r = s.getBoundingClientRect();
  return JSON.stringify({x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height});
})()"""


def section_shots(browser, session, state, directory, sections, prefix):
    """One PNG per section, clipped to its box on the full-height page."""
    metrics = browser.send("Page.getLayoutMetrics", session=session)
    height = int(metrics.get("cssContentSize", metrics.get("contentSize"))["height"])
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.drain_events(0.3)
    os.makedirs(directory, exist_ok=True)
    for section in sections or [s["id"] for s in state["sections"]]:
        value = browser.send("Runtime.evaluate", {"expression": SECTION_RECT_JS % section, "returnByValue": True},
                             session=session).get("result", {}).get("value")
        if not value:
            raise BrowserError("no section %s to photograph" % section)
        clip = dict(json.loads(value), scale=1)
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip},
                            session=session)
        pathlib.Path(directory, prefix + section + ".png").write_bytes(base64.b64decode(shot["data"]))


def section_problems(state, required):
    if not state["ready"]:
        return ["the page script never set data-report-ready on <body> (it failed or never ran)"]
    problems = []
    if not state["sections"]:
        problems.append("no <section data-section> on the page")
    seen = {s["id"] for s in state["sections"]}
    for name in required or []:
        if name not in seen:
            problems.append("section %s is missing" % name)
    for s in state["sections"]:
        if s["points"] is None:
            problems.append("section %s has no data-points (the page script did not draw it)" % s["id"])
        elif s["points"] == 0:
            must_hold = required is None or s["id"] in required
            if must_hold:
                problems.append("section %s drew no data%s" % (s["id"], ": " + s["note"] if s["note"] else ""))
            elif not s["empty"] or not s["note"].strip():
                problems.append("section %s has no data but does not say so" % s["id"])
    return problems


def chart_problems(state, charts):
    """The named charts that are missing or drew nothing, as sentences."""
    drawn = {c["id"]: c["points"] for c in state.get("charts", [])}
    problems = []
    for name in charts or []:
        if name not in drawn:
            problems.append("chart %s is missing" % name)
        elif not drawn[name]:
            problems.append("chart %s drew no data" % name)
    return problems


def check_page(browser, path, required=None, png=None, ready_timeout=PAGE_TIMEOUT_S, charts=None, shots=None):
    """Every problem of the page at `path`, as sentences (empty: clean). `shots`: (directory,
    sections, prefix) for section_shots, or None."""
    target, session, state = open_page(browser, path, ready_timeout)
    problems = problems_of_events(browser.events, session) + section_problems(state, required)
    if state["ready"]:
        problems += chart_problems(state, charts)
    if png:
        screenshot(browser, session, png)
    if shots and not problems:
        section_shots(browser, session, state, *shots)
    browser.send("Target.closeTarget", {"targetId": target})
    browser.events = []
    counts = ", ".join("%s %s" % (s["id"], s["points"]) for s in state["sections"])
    return problems, counts


CLEAN_PAGE = '<section data-section="x" data-points="3"><p>three</p></section>'
# What each deliberately broken page holds (beside a clean section), and the words its problem
# must contain.
BROKEN_PAGES = {
    "an uncaught exception": ("<script>undefinedFunction();</script>", "uncaught exception"),
    "a console.error": ("<script>console.error('deliberate');</script>", "console.error"),
    "a network fetch": ("<script>fetch('https://example.invalid/d.json').catch(() => {});</script>",
                        "network request"),
    "an external image": ('<img src="https://example.invalid/x.png">', "network request"),
    "a section without points": ('<section data-section="y"></section>', "no data-points"),
    "a section with no data that does not say so": ('<section data-section="y" data-points="0"></section>',
                                                    "drew no data"),
}


def self_test(browser):
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        def page(name, body):
            path = os.path.join(tmp, name + ".html")
            ready = "<script>document.body.dataset.reportReady = '1';</script>"
            pathlib.Path(path).write_text("<!doctype html><html><body>%s%s</body></html>" % (body, ready))
            return path

        problems, _ = check_page(browser, page("clean", CLEAN_PAGE))
        if problems:
            failures.append("a clean page was flagged: %s" % problems)
        for i, (what, (body, words)) in enumerate(BROKEN_PAGES.items()):
            problems, _ = check_page(browser, page("broken%d" % i, CLEAN_PAGE + body))
            caught = any(words in problem for problem in problems)
            print("self-test: %s -> %s" % (what, problems if caught else "NOT CAUGHT"))
            if not caught:
                failures.append("%s was not caught" % what)
        charted = page("charts", CLEAN_PAGE + '<figure data-chart="a" data-points="4"></figure>'
                       '<figure data-chart="b" data-points="0"></figure>')
        problems, _ = check_page(browser, charted, charts=["a", "b", "c"])
        print("self-test: a required chart empty and one missing -> %s" % (problems or "NOT CAUGHT"))
        if sorted(problems) != ["chart b drew no data", "chart c is missing"]:
            failures.append("the required charts were not checked: %s" % problems)
        not_ready = os.path.join(tmp, "not_ready.html")
        pathlib.Path(not_ready).write_text("<!doctype html><html><body>%s</body></html>" % CLEAN_PAGE)
        problems, _ = check_page(browser, not_ready, ready_timeout=2)
        print("self-test: a page script that never finished -> %s" % (problems or "NOT CAUGHT"))
        if not problems:
            failures.append("a page that never set data-report-ready was not caught")
    return failures


def make_report(args, workdir):
    """Runs the scenario with --out and --html, then `shardsim report` on its directory; returns
    the page's path. Fails (exit 1) when either command fails or the two pages differ."""
    out_dir = os.path.join(workdir, "out")
    page = os.path.join(workdir, "run.html")
    # --force: a --keep directory holds the previous check's outputs.
    command = [args.shardsim, "run", args.scenario, "--quiet", "--out", out_dir, "--force", "--html", page]
    for override in args.set or []:
        command += ["--set", override]
    run_steps([command, [args.shardsim, "report", out_dir]])
    if pathlib.Path(page).read_bytes() != pathlib.Path(out_dir, "report.html").read_bytes():
        sys.stderr.write("check_html: run --html and report DIR wrote different pages for one run\n")
        sys.exit(1)
    return page


def run_steps(steps):
    for step in steps:
        done = subprocess.run(step, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            sys.stderr.write("check_html: %s exited %d:\n%s" % (" ".join(step), done.returncode, done.stdout))
            sys.exit(1)


def make_sweep_pages(args, workdir):
    """Runs the sweep (and its search) into one directory with --html, then `shardsim report` on
    it; returns [(page, sections that must hold data)], the page of both last."""
    out_dir = os.path.join(workdir, "out")
    shutil.rmtree(out_dir, ignore_errors=True)  # a --keep directory holds the previous check's runs
    has_find = "find" in json.loads(pathlib.Path(args.sweep).read_text())
    pages = [(os.path.join(workdir, "grid.html"), ["metrics"])]
    steps = [[args.shardsim, "sweep", args.sweep, "-j", "2", "--out", out_dir, "--html", pages[0][0]]]
    if has_find:
        pages.append((os.path.join(workdir, "find.html"), ["find"]))
        steps.append([args.shardsim, "sweep", args.sweep, "--find", "-j", "2", "--out", out_dir,
                      "--html", pages[1][0]])
    steps.append([args.shardsim, "report", out_dir])
    run_steps(steps)
    pages.append((os.path.join(out_dir, "report.html"), ["metrics", "find"] if has_find else ["metrics"]))
    return pages


def find_chromium(given):
    for candidate in [given] if given else ["chromium", "chromium-browser", "google-chrome"]:
        found = shutil.which(candidate)
        if found:
            return found
    sys.stderr.write("check_html: no Chromium found%s. Debian: apt-get install -y --no-install-recommends "
                     "chromium (bash tools/setup.sh installs it: tools/packages.txt)\n"
                     % (" at " + given if given else ""))
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reports", nargs="*")
    parser.add_argument("--chromium")
    parser.add_argument("--screenshot", help="PNG of the (last) report, full page")
    parser.add_argument("--section-shots", help="directory for one PNG per section of the (last) page")
    parser.add_argument("--shot-sections", help="comma-separated sections to photograph (default: all)")
    parser.add_argument("--shot-prefix", default="", help="file name prefix of the section PNGs")
    parser.add_argument("--require", help="comma-separated sections that must hold data")
    parser.add_argument("--require-charts", help="comma-separated charts (figure data-chart) that must hold data")
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--shardsim", help="the binary that makes the report of --scenario")
    parser.add_argument("--scenario")
    parser.add_argument("--set", action="append", help="a scenario override for the run (repeatable)")
    parser.add_argument("--sweep", help="a sweep file whose pages --shardsim makes (instead of --scenario)")
    parser.add_argument("--keep", help="directory for the run's outputs and page (default: a temporary one)")
    args = parser.parse_args()
    if bool(args.shardsim) != bool(args.scenario or args.sweep) or (args.scenario and args.sweep):
        parser.error("--shardsim goes with one of --scenario and --sweep")
    if not args.reports and not args.self_test and not args.shardsim:
        parser.error("name a report, a --scenario or --sweep to run, or --self-test")
    chromium = find_chromium(args.chromium)
    workdir = None
    required = args.require.split(",") if args.require else None
    args.pages = [(report, required) for report in args.reports]
    if args.shardsim:
        workdir = args.keep or tempfile.mkdtemp(prefix="check_html_run_")
        os.makedirs(workdir, exist_ok=True)
        if args.sweep:
            args.pages += make_sweep_pages(args, workdir)
        else:
            args.pages.append((make_report(args, workdir), required))
    try:
        return check_all(args, Browser(chromium))
    finally:
        if workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def check_all(args, browser):
    try:
        if args.self_test:
            failures = self_test(browser)
            for failure in failures:
                print("check_html: self-test FAILED: " + failure)
            return 1 if failures else 0
        status = 0
        for i, (report, required) in enumerate(args.pages):
            png = args.screenshot if args.screenshot and i == len(args.pages) - 1 else None
            charts = args.require_charts.split(",") if args.require_charts else None
            last = i == len(args.pages) - 1
            shots = None
            if args.section_shots and last:
                chosen = args.shot_sections.split(",") if args.shot_sections else None
                shots = (args.section_shots, chosen, args.shot_prefix)
            problems, counts = check_page(browser, report, required, png, charts=charts, shots=shots)
            for problem in problems:
                print("check_html: %s: %s" % (report, problem))
            print("check_html: %s: %s (points: %s)" % (report, "FAILED" if problems else "ok", counts))
            status = 1 if problems else status
        return status
    except BrowserError as e:
        sys.stderr.write("check_html: %s\n" % e)
        return 2
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
