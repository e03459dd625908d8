"""The query page and entity pages in Debian's Chromium: offline, clickable, and inert to script in data."""

from __future__ import annotations

import shutil
import urllib.parse

import pytest

from tests.server_support import XSS_ALIAS, XSS_LABEL, XSS_LABEL_ZH, XSS_QUOTE

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/install-system-deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, served):
    """A fresh page that records every request and dialog, and fails on any request off this server."""
    context = browser.new_context()
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.requests = []
    tab.dialogs = []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    outside = [u for u in tab.requests if not u.startswith(served.base + "/")]
    context.close()
    assert outside == [], f"requests off the local server: {outside}"


def no_script_ran(tab) -> None:
    assert tab.evaluate("() => window.__xss === undefined"), "a script from the data ran"
    assert tab.dialogs == []


def test_query_page_named_query_and_entity_link(page, served):
    page.goto(served.base + "/query")
    editor = page.locator("textarea#query")
    assert "PREFIX rg: <https://rivalgraph.dev/ontology#>" in editor.input_value()

    page.click("summary >> text=chip-orders")
    assert "name=chip-orders" in page.url
    cells = page.locator("table.results tbody tr")
    assert cells.count() == 1
    assert "百度、腾讯、阿里巴巴" in cells.first.inner_text()
    downloads = {a.inner_text(): a.get_attribute("href") for a in page.locator("p.downloads a").all()}
    assert set(downloads) == {"table", "csv", "tsv", "json", "xml"}
    response = page.request.get(served.base + downloads["csv"])
    assert response.ok and "order-2023-china-A800" in response.text()

    page.click("table.results a:text('order-2023-china-A800')")
    assert page.url.endswith("/entity/order-2023-china-A800")
    assert "A800" in page.locator("h1").inner_text()
    no_script_ran(page)


def test_query_page_parameters_as_form_fields(page, served):
    page.goto(served.base + "/query")
    form = page.locator("details", has=page.locator("summary >> text=entity-facts"))
    form.locator("summary").click(position={"x": 2, "y": 5})  # open it without following the link
    form.locator("input[name=entity]").fill("商汤")
    form.locator("input[name=lang]").fill("zh")
    form.locator("button").click()
    params = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert params["name"] == ["entity-facts"] and params["entity"] == ["商汤"] and params["lang"] == ["zh"]
    assert page.locator("table.results tbody tr").count() > 10
    assert "<https://rivalgraph.dev/id/SenseTime>" in page.locator("textarea#query").input_value()  # bound


def test_query_page_ad_hoc_query_is_shareable_and_escaped(page, served):
    page.goto(served.base + "/query")
    page.fill("textarea#query", "SELECT ?label WHERE { id:XSS-Lab rdfs:label|skos:altLabel ?label } ORDER BY ?label")
    page.click("text=Run query")
    table = page.locator("table.results")
    text = table.inner_text()
    for payload in (XSS_LABEL, XSS_LABEL_ZH, XSS_ALIAS):
        assert payload in text
    no_script_ran(page)
    share = page.locator("a.share").get_attribute("href")
    page.goto(served.base + share)
    assert page.locator("table.results").inner_text() == text
    no_script_ran(page)


def test_query_page_shows_a_syntax_error(page, served):
    page.goto(served.base + "/query?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {\n ?x ?y\n}"}))
    error = page.locator(".error").inner_text()
    assert "SPARQL syntax error" in error and "line 3" in error


def test_entity_page_escapes_everything(page, served):
    page.goto(served.base + "/entity/XSS-Lab")
    heading = page.locator("h1").inner_text()
    assert XSS_LABEL in heading and XSS_LABEL_ZH in heading
    assert XSS_ALIAS in page.locator("dl.names").inner_text()
    assert "<b>not bold</b>" in page.locator("p.description").inner_text()
    assert XSS_QUOTE in page.locator("table.facts").inner_text()
    assert page.locator("a[href='/views/ego/XSS-Lab']").count() == 1
    no_script_ran(page)
    page.goto(served.base + "/search?q=" + urllib.parse.quote("<script>"))
    assert "XSS-Lab" in page.locator("table.results").inner_text()
    no_script_ran(page)


def test_entity_page_and_search_box(page, served):
    page.goto(served.base + "/entity/SenseTime?lang=zh")
    assert "商汤" in page.locator("h1").inner_text()
    assert page.locator("table.facts tbody tr").count() > 10
    page.fill("header input[name=q]", "英伟达")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    page.click("table.results a:text('NVIDIA')")
    assert page.url.endswith("/entity/NVIDIA")
    assert "英伟达" in page.locator("h1").inner_text()
    no_script_ran(page)


def test_ego_view_from_an_entity_page(page, served):
    page.goto(served.base + "/entity/XSS-Lab")
    page.click("a[href='/views/ego/XSS-Lab']")
    page.wait_for_url("**/views/ego/XSS-Lab")
    page.wait_for_function("window.rivalgraphView && window.rivalgraphView.isStable()", timeout=30_000)
    assert page.evaluate("rivalgraphView.renderedNodeCount()") == page.evaluate("rivalgraphView.nodeCount()") >= 2
    page.fill("#search", "XSS Model")
    page.click("#search-form button")
    assert page.evaluate("rivalgraphView.selected()") == ["XSS-Model"]
    assert XSS_LABEL in page.inner_text("h1") or XSS_LABEL in page.title()
    no_script_ran(page)
