"""Views benchmark: generation time and in-browser time-to-stable for 200, 2,000 and 10,000 nodes.

Not a test: run it by hand after changing the views, and commit the table it writes.

    PYTHONPATH=src python3 benchmarks/views_benchmark.py            # writes benchmarks/VIEWS_RESULTS.md

Graphs are synthetic (``rivalgraph.views.synthetic``: vendors, chips, organizations,
models and benchmarks with a long-tailed degree distribution). Each overview is
drawn uncapped, so the 10,000-node page really holds 10,000 nodes. The browser
is Debian's Chromium (headless, through Playwright) opening the file over
file:// with every network request blocked; "time to stable" is from the start
of navigation until the layout has settled and the first frame is drawn.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from rivalgraph.views import graphs
from rivalgraph.views.render import graph_html
from rivalgraph.views.synthetic import synthetic_data

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SIZES = (200, 2000, 10000)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def generate(n: int, repeat: int) -> tuple[float, float, str, int, int]:
    data = synthetic_data(n, hostile=False)
    model_times, total_times = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        view = graphs.overview(data, limit=n)
        t1 = time.perf_counter()
        html = graph_html(view)
        t2 = time.perf_counter()
        model_times.append(t1 - t0)
        total_times.append(t2 - t0)
    return statistics.median(model_times), statistics.median(total_times), html, len(view.nodes), len(view.edges)


def in_browser(path: Path, repeat: int) -> tuple[float, float, float, int]:
    from playwright.sync_api import sync_playwright

    stable, search, filt = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            blocked = []
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                       else (blocked.append(r.request.url), r.abort()))
            page.goto(path.as_uri())
            page.wait_for_function("window.rivalgraphView && rivalgraphView.isStable()", timeout=300000)
            stable.append(page.evaluate("rivalgraphView.stableAt()") / 1000)
            search.append(page.evaluate("(() => { const t = performance.now(); rivalgraphView.search('Model 17'); "
                                        "return performance.now() - t; })()") / 1000)
            filt.append(page.evaluate("(() => { const t = performance.now(); rivalgraphView.setGroupVisible('model', false); "
                                      "return performance.now() - t; })()") / 1000)
            assert not blocked, blocked
            page.close()
        browser.close()
    return statistics.median(stable), statistics.median(search), statistics.median(filt), len(blocked)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rows = []
    for n in SIZES:
        repeat = 3 if n < 10000 else 1
        model_s, total_s, html, nodes, edges = generate(n, 3)
        path = OUT / f"overview-{n}.html"
        path.write_text(html, encoding="utf-8")
        stable_s, search_s, filter_s, _ = in_browser(path, repeat)
        rows.append((n, nodes, edges, model_s, total_s, len(html.encode()) / 1e6, stable_s, search_s, filter_s))
        print(f"{n:>6} nodes: generate {total_s:.3f} s (view-model {model_s:.3f} s), "
              f"stable in browser {stable_s:.2f} s, search {search_s * 1000:.0f} ms, filter {filter_s * 1000:.0f} ms",
              file=sys.stderr)
    lines = [
        "# Views benchmark",
        "",
        "Written by `benchmarks/views_benchmark.py` (run: `PYTHONPATH=src python3 benchmarks/views_benchmark.py`).",
        "Synthetic landscapes, overview drawn uncapped; headless Debian Chromium over `file://`, network blocked.",
        "Up to 1,000 nodes vis-network lays the graph out (forceAtlas2, then physics off); above that the layout",
        "is computed in Python (numpy) and physics stays off. Generation: median of 3 runs; browser: median of 3",
        "runs (1 run at 10,000 nodes).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{os.getloadavg()[0]:.1f} when it finished (shared with other jobs: the numbers are noisy).",
        "",
        "| nodes | edges | view-model (s) | generate incl. layout + HTML (s) | HTML size (MB) | time to stable in browser (s) | search (ms) | type filter (ms) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, nodes, edges, model_s, total_s, mb, stable_s, search_s, filter_s in rows:
        lines.append(f"| {nodes:,} | {edges:,} | {model_s:.3f} | {total_s:.3f} | {mb:.2f} | {stable_s:.2f} | "
                     f"{search_s * 1000:.0f} | {filter_s * 1000:.0f} |")
    lines += ["", "The real graph's overview is capped at 2,000 best-connected entities "
              "(`rivalgraph.views.graphs.OVERVIEW_LIMIT`); ego views at 1,500.", ""]
    (HERE / "VIEWS_RESULTS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
