"""Views and pages in a real browser: Debian's Chromium over file://, every network request blocked.

For each view: the canvas holds the expected nodes and edges, search focuses
the node asked for (zh and en names), a type filter hides what it should, the
hostile labels in the fixture never run, no console errors, zero requests.
Screenshots go to tests/out/screenshots/ for people to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rivalgraph.views import query_view_html
from rivalgraph.views.data import load_graph_data
from rivalgraph.views.site import render_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "out" / "screenshots"
GRAPH_VIEWS = ["overview.html", "supply-chain.html", "models.html", "ego-BuyerCo.html", "ego-Vendor-X.html",
               "query.html"]
PAGES = ["index.html", "leaderboard.html", "compute.html", "timeline.html"]


@pytest.fixture(scope="module")
def site_dir(views_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    for name, html in render_site(load_graph_data(views_graph), build_date="2024-01-01").items():
        (folder / name).write_text(html, encoding="utf-8")
    construct = "CONSTRUCT { ?m rg:developer ?o } WHERE { ?m rg:developer ?o }"
    (folder / "query.html").write_text(query_view_html(views_graph, construct), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed (scripts/install-system-deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=30000)
        yield b
        b.close()


class Visit:
    """A page opened over file:// with the network blocked and every request, error and dialog counted."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.set_default_timeout(20000)
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def check_clean(self, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / name.replace(".html", ".png")))
        assert self.requests == [], f"{name}: network requests {self.requests}"
        assert self.errors == [], f"{name}: console errors {self.errors}"
        assert self.dialogs == [], f"{name}: a dialog opened: {self.dialogs}"
        assert self.js("window.__xss") is None, f"{name}: an XSS payload ran"
        self.page.close()


def expected(site_dir: Path, name: str) -> dict:
    html = (site_dir / name).read_text(encoding="utf-8")
    return json.loads(re.search(r'id="rg-data">(.*?)</script>', html, re.S).group(1))


def wait_stable(visit: Visit):
    visit.page.wait_for_function("window.rivalgraphView && window.rivalgraphView.isStable()", timeout=30000)


@pytest.mark.parametrize("name", GRAPH_VIEWS)
def test_graph_view_renders_every_node_and_edge(browser, site_dir, name):
    visit = Visit(browser, site_dir / name)
    wait_stable(visit)
    data = expected(site_dir, name)
    assert visit.js("rivalgraphView.nodeCount()") == len(data["nodes"]) > 0
    assert visit.js("rivalgraphView.edgeCount()") == len(data["edges"]) > 0
    assert visit.js("rivalgraphView.renderedNodeCount()") == len(data["nodes"])
    assert visit.js("rivalgraphView.renderedEdgeCount()") == len(data["edges"])
    assert visit.js("document.querySelector('#network canvas').width") > 0
    visit.check_clean(name)


@pytest.mark.parametrize("query, node", [("甲公司", "BuyerCo"), ("Buyer Co", "BuyerCo"), ("英伟达", "NVIDIA"),
                                          ("nvidia a800", "A800")])
def test_search_focuses_the_node(browser, site_dir, query, node):
    visit = Visit(browser, site_dir / "overview.html")
    wait_stable(visit)
    visit.page.fill("#search", query)
    visit.page.click("#search-form button")
    assert visit.js("rivalgraphView.selected()") == [node]
    center = visit.js("rivalgraphView.viewCenter()")
    pos = visit.js(f"rivalgraphView.nodePosition({json.dumps(node)})")
    assert abs(center["x"] - pos["x"]) < 1 and abs(center["y"] - pos["y"]) < 1
    assert query.lower() in visit.page.inner_text("#details-text").lower()
    visit.check_clean(f"search-{node}.html")


def test_type_and_source_filters_hide_what_they_should(browser, site_dir):
    visit = Visit(browser, site_dir / "overview.html")
    wait_stable(visit)
    data = expected(site_dir, "overview.html")
    chips = {n["id"] for n in data["nodes"] if n["group"] == "chip"}
    assert chips == {"A800", "H800"}
    visit.page.uncheck('#type-filter input[data-group="chip"]')
    assert visit.js("rivalgraphView.visibleNodeCount()") == len(data["nodes"]) - len(chips)
    assert visit.js("rivalgraphView.isHidden('A800')") and not visit.js("rivalgraphView.isHidden('BuyerCo')")
    touching = [e for e in data["edges"] if e["from"] in chips or e["to"] in chips]
    assert visit.js("rivalgraphView.visibleEdgeCount()") == len(data["edges"]) - len(touching)
    hidden_in_vis = visit.js("rivalgraphView.network.body.data.nodes.get('A800').hidden")
    assert hidden_in_vis is True
    visit.page.check('#type-filter input[data-group="chip"]')
    assert visit.js("rivalgraphView.visibleNodeCount()") == len(data["nodes"])
    only_db = [e for e in data["edges"] if e["sources"] and set(e["sources"]) <= {"bench-db"}]
    visit.page.uncheck('#source-filter input[data-source="bench-db"]')
    assert visit.js("rivalgraphView.visibleEdgeCount()") == len(data["edges"]) - len(only_db)
    visit.check_clean("filters.html")


def test_hostile_tooltip_and_details_stay_text(browser, site_dir):
    visit = Visit(browser, site_dir / "overview.html")
    wait_stable(visit)
    box = node_on_screen(visit, "Vendor-X")
    visit.page.mouse.move(box["x"], box["y"])
    visit.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tip = visit.page.locator("div.vis-tooltip")
    assert '<img src=x onerror="window.__xss=1;alert(1)">' in tip.inner_text()
    assert tip.locator("img, script, svg").count() == 0
    visit.page.mouse.click(box["x"], box["y"])
    assert "</script><script>" in visit.page.inner_text("#details-text")
    visit.page.wait_for_timeout(200)
    visit.check_clean("tooltip.html")


def node_on_screen(visit: Visit, node: str) -> dict:
    return visit.js(f"""(() => {{ const n = rivalgraphView.network; const p = n.getPositions([{json.dumps(node)}])[{json.dumps(node)}];
                       const d = n.canvasToDOM(p); const r = document.querySelector('#network').getBoundingClientRect();
                       return {{x: r.left + d.x, y: r.top + d.y}}; }})()""")


def test_double_click_opens_the_ego_page(browser, site_dir):
    visit = Visit(browser, site_dir / "overview.html")
    wait_stable(visit)
    box = node_on_screen(visit, "BuyerCo")
    with visit.page.expect_navigation():
        visit.page.mouse.dblclick(box["x"], box["y"])
    assert visit.page.url.endswith("/ego-BuyerCo.html")
    wait_stable(visit)
    assert visit.js("rivalgraphView.selected()") == ["BuyerCo"]
    visit.check_clean("double-click.html")


@pytest.mark.parametrize("name", PAGES)
def test_page_opens_offline_and_shows_its_content(browser, site_dir, name):
    visit = Visit(browser, site_dir / name)
    visit.page.wait_for_load_state("load")
    text = visit.page.inner_text("body")
    if name == "index.html":
        assert visit.page.locator("a[href='overview.html']").count() >= 1
        assert 'Hostile <img src=x onerror="window.__xss=1;alert(1)"> note' in text
    elif name == "leaderboard.html":
        assert visit.page.locator("#leaderboard tbody tr").count() == 2
        assert "71.5 percent" in text
    elif name == "compute.html":
        assert visit.page.locator("svg.chart circle").count() >= 4
    else:
        assert visit.page.locator("li.event").count() == 1
        assert visit.page.locator("svg.chart circle.mark").count() == 1
    assert visit.page.locator("img").count() == 0
    visit.check_clean(name)
