"""The charts page and the ledger downloads in a real browser: Chart.js draws the figures the tables beside the
charts hold; without JavaScript the tables say the same; a ledger downloads and opens. A screenshot of the
charts page is made on the way (docs/screenshots/charts.png with SCREENSHOTS=docs/screenshots)."""
import re

import openpyxl
import pytest

from tests.dispatch.ledgers.conftest import build_town
from tests.support.stack import wait_until

from .test_dashboard_browser import SHOTS, browser, sent_to, served  # noqa: F401 (fixtures)


def sign_in(page, base_url, leader):
    """Sign in the way a leader does: the phone, the code the SMS carried, no password yet."""
    page.goto(base_url + "/dashboard/login")
    page.fill("#phone", leader.phone)
    page.click("#send-code")
    page.wait_for_selector("#code")
    wait_until(lambda: sent_to(leader.phone, "login_code"), what="the sign-in code SMS")
    page.fill("#code", re.search(r"\d{6}", sent_to(leader.phone, "login_code")[-1].body).group(0))
    page.click("#sign-in")
    page.click("#skip-password")


def table_column(page, table: str, column: int) -> list[str]:
    return page.eval_on_selector_all(f"#{table} tbody tr", f"rows => rows.map(r => r.cells[{column}].innerText)")


@pytest.fixture
def town(app, client, make):
    return build_town(app, client, make)


def test_charts_are_drawn_from_the_figures_in_the_tables(served, browser, town, tmp_path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    sign_in(page, served.base_url, town.township_leader)
    page.goto(served.base_url + "/dashboard/charts")
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('chart-places'))")
    drawn = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('chart-places'));
        return {labels: chart.data.labels, served: chart.data.datasets[0].data, label: chart.data.datasets[0].label};
    }""")
    assert drawn["labels"] == table_column(page, "places", 0) == ["北嘎查", "南嘎查"]
    assert drawn["served"] == [int(n) for n in table_column(page, "places", 1)] == [2, 0]
    assert drawn["label"] == "服务群众（人）"
    weekly = page.evaluate("Chart.getChart(document.getElementById('chart-weekly')).data.datasets.length")
    assert weekly == 8  # seven counts as bars, the median minutes as a line
    for chart in ("chart-per-day", "chart-acceptance", "chart-escalated"):
        assert page.evaluate(f"!!Chart.getChart(document.getElementById('{chart}'))")
    page.screenshot(path=str(SHOTS / "charts.png"), full_page=True)

    # A ledger from the ledgers page, as the leader's browser saves it.
    page.goto(served.base_url + f"/dashboard/ledgers?since={town.period.since}&until={town.period.until}")
    with page.expect_download() as download:
        page.click("#download-requests")
    assert download.value.suggested_filename == "解决群众困难台账.xlsx"
    download.value.save_as(tmp_path / "ledger.xlsx")
    refs = {row[1] for row in openpyxl.load_workbook(tmp_path / "ledger.xlsx").active.iter_rows(
        min_row=3, values_only=True)}
    assert refs == {town.done.ref, town.escalated.ref, town.stranger.ref}

    # Without JavaScript: no charts, the same figures in the tables.
    plain = browser.new_context(java_script_enabled=False, locale="zh-CN")
    plain.add_cookies(page.context.cookies())
    bare = plain.new_page()
    bare.goto(served.base_url + "/dashboard/charts")
    assert table_column(bare, "places", 1) == ["2", "0"] and bare.is_visible("#places")
