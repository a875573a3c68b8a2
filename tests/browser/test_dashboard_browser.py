"""The dashboard in a real browser (Debian's headless Chromium, driven by Playwright): sign in with the code the
SMS carried, watch a call that arrives by SMS appear on the board without a reload, open it, reassign it, and see
the herder and the new team get their SMS. Screenshots of the board and the request page are made on the way (see SHOTS)."""
import os
import re
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from models import OutboundMessage, Request, db
from tests.conftest import _settings
from tests.support.stack import ServedApp, wait_until
from tests.support.webhooks import run_queued_jobs

CHROMIUM = "/usr/bin/chromium"
# The committed screenshots are remade with `SCREENSHOTS=docs/screenshots make test`; otherwise they go to a
# scratch folder, so a test run leaves the work tree clean.
SHOTS = Path(os.environ.get("SCREENSHOTS") or tempfile.mkdtemp(prefix="hotline-shots-")).resolve()
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")


@pytest.fixture
def served(app, tmp_path):
    server = ServedApp(_settings(INSTANCE_DIR=str(tmp_path)))
    yield server
    server.stop()


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def sent_to(phone, template=None):
    db.session.expire_all()
    query = select(OutboundMessage).where(OutboundMessage.to_phone == phone).order_by(OutboundMessage.id)
    if template:
        query = query.where(OutboundMessage.template == template)
    return list(db.session.scalars(query))


def sign_in_by_sms(page, leader) -> None:
    """Sign in with the code the SMS carried, and skip setting a password; the board is then open."""
    page.fill("#phone", leader.phone)
    page.click("#send-code")
    page.wait_for_selector("#code")
    wait_until(lambda: sent_to(leader.phone, "login_code"), what="the sign-in code SMS")
    code = re.search(r"\d{6}", sent_to(leader.phone, "login_code")[-1].body).group(0)
    page.fill("#code", code)
    page.click("#sign-in")
    page.click("#skip-password")  # a first sign-in offers a password; later
    page.wait_for_selector("#calls")


def earlier_calls(app, make, gacha):
    """Two calls already open when the leader signs in: one escalated with an undelivered SMS, one held by a team."""
    from datetime import timedelta

    from dispatch.ladder import escalation, offers
    from dispatch.requests.intake import open_request_for
    from dispatch.runtime.unit_of_work import utcnow
    from models import OutboundStatus

    south = db.session.scalar(select(type(gacha)).where(type(gacha).name == "巴音乌素嘎查"))
    south_team = make.team(name="巴音乌素第1网格小分队", place=south, lat=37.86, lon=108.24, members=2)
    elder = make.household(place=south, name="乌云其木格", lat=37.83, lon=108.3)
    now = utcnow()
    held = open_request_for(db.session, caller=elder.phones[0].phone, category=2, text="", household=elder,
                            now=now - timedelta(minutes=47), channel="sms")
    offers.offer_to_next_team(db.session, held.id, now - timedelta(minutes=47), app.config)
    offers.accept_offer(db.session, held.offers[0].id, south_team.members[0], now - timedelta(minutes=41))
    stuck = open_request_for(db.session, caller="+8613700000123", category=4, text="家里没暖气了，煤也快烧完了",
                             household=None, now=now - timedelta(minutes=83), channel="sms")
    escalation.escalate(db.session, stuck, now - timedelta(minutes=68), app.config, why="3支服务队未接单")
    for message in db.session.scalars(select(OutboundMessage).where(OutboundMessage.request_id == stuck.id)):
        message.status, message.error_code = OutboundStatus.undelivered, "30003"
    db.session.commit()
    return stuck, held


def test_sign_in_watch_a_call_arrive_open_it_and_reassign_it(app, served, browser, make):
    gacha = make.gacha(name="哈日根图嘎查", lat=38.05, lon=108.0)
    make.gacha(name="巴音乌素嘎查", lat=37.85, lon=108.25)
    herder = make.household(place=gacha, name="巴图孟和", lat=38.1, lon=108.1)
    for i, (lat, lon) in enumerate([(38.2, 108.3), (38.0, 107.9), (37.95, 108.15)]):
        make.household(place=gacha, name=f"牧户{i}", lat=lat, lon=lon)
    near = make.team(name="哈日根图第1网格小分队", place=gacha, lat=38.11, lon=108.1, members=2)
    other = make.team(name="哈日根图第2网格小分队", place=gacha, lat=38.2, lon=108.2, members=2)
    leader = make.leader(gacha.parent, role="township_leader")
    db.session.commit()
    herder_phone = herder.phones[0].phone
    stuck, held = earlier_calls(app, make, gacha)

    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    refused = []  # what the dashboard's own Content-Security-Policy blocked: nothing of ours may be
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(served.base_url + "/dashboard/")
    assert "/dashboard/login" in page.url

    sign_in_by_sms(page, leader)
    rows = page.locator("#calls tr[data-ref]")
    assert rows.count() == 2 and rows.nth(0).get_attribute("data-ref") == stuck.ref  # escalated first
    page.evaluate("window.__sameDocument = true")

    # A herder texts the duty number: the call appears on the board by itself.
    assert served.post_sms(herder_phone, "送药").status_code == 200
    ref = db.session.scalar(select(Request.ref).order_by(Request.id.desc()))
    row = page.wait_for_selector(f'tr[data-ref="{ref}"]', timeout=10_000)
    assert "待派单" in row.inner_text() and "巴图孟和" in row.inner_text()
    run_queued_jobs(app)  # the worker offers it to the nearest team
    # A selector, not a JavaScript predicate: the dashboard's CSP allows no eval, Playwright's included.
    page.wait_for_selector(f'tr[data-ref="{ref}"]:has-text("派单中")', timeout=10_000)
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    assert "哈日根图第1网格小分队" in page.inner_text(f'tr[data-ref="{ref}"]')
    page.wait_for_timeout(300)  # the map's markers are drawn with the same poll
    page.screenshot(path=str(SHOTS / "board.png"))

    # Open it, reassign it to the other team.
    page.click(f'tr[data-ref="{ref}"] a')
    page.wait_for_selector("#reassign-form")
    assert "派单排序与理由" in page.content()
    page.select_option("#team", str(other.id))
    page.click("#reassign")
    page.wait_for_selector("text=已改派给哈日根图第2网格小分队")
    assert "改派" in page.inner_text("#timeline") and leader.name in page.inner_text("#timeline")
    page.screenshot(path=str(SHOTS / "request.png"), full_page=True)
    assert refused == []  # the board, the map and the request page all work under the CSP

    # The herder hears of the new team; its members get the offer; the first team is told not to go.
    [told] = sent_to(herder_phone, "reassigned_herder")
    assert "哈日根图第2网格小分队" in told.body and ref in told.body
    for member in other.members:
        [offer] = sent_to(member.phone, "offer")
        assert ref in offer.body and "巴图孟和" in offer.body
    assert all(sent_to(m.phone, "withdrawn_team") for m in near.members)

    # The board on a phone's screen.
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN")
    phone.context.add_cookies(page.context.cookies())
    phone.goto(served.base_url + "/dashboard/")
    phone.wait_for_selector(f'tr[data-ref="{ref}"]')
    phone.screenshot(path=str(SHOTS / "board-phone.png"))


def test_the_register_page_lists_overdue_first_and_filters(app, served, browser, make):
    """The register (重点人群) in the browser: overdue households at the top, the colour filter, the link from a
    request of a household on it."""
    from datetime import timedelta

    from dispatch.runtime.unit_of_work import utcnow

    gacha = make.gacha(name="哈日根图嘎查", lat=38.05, lon=108.0)
    member = make.team(name="哈日根图第1网格小分队", place=gacha, lat=38.11, lon=108.1).members[0]
    seen = make.register_household(place=gacha, contact=member, name="已访户", needs="disabled")
    make.contact(seen, utcnow() - timedelta(days=2), member=member)
    red = make.register_household(place=gacha, contact=member, name="红户", needs="seriously_ill", risk="red")
    leader = make.leader(gacha)
    db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(served.base_url + "/dashboard/register")
    sign_in_by_sms(page, leader)
    page.click("nav >> text=重点人群")
    page.wait_for_selector("#register")
    rows = page.locator("#register tbody tr")
    assert [rows.nth(i).get_attribute("id") for i in range(rows.count())] == \
        [f"household-{red.ref}", f"household-{seen.ref}"]
    assert "逾期" in rows.nth(0).inner_text() and "重病患者" in rows.nth(0).inner_text()
    assert member.name in rows.nth(1).inner_text() and "走访 · 一切正常" in rows.nth(1).inner_text()
    page.screenshot(path=str(SHOTS / "register.png"), full_page=True)
    page.select_option("#colour", "red")
    page.click("#register-filter button")
    page.wait_for_selector(f"#household-{red.ref}")
    assert page.locator("#register tbody tr").count() == 1
