"""The leaders' daily digest: open, escalated, done yesterday and overdue households, in each leader's scope and
language, within two SMS, sent through the real SMS path (the outbound table and a gateway)."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from dispatch.ledgers import digest
from dispatch.messaging import texts
from dispatch.runtime.sweep import sweep_once
from dispatch.runtime.unit_of_work import run_and_commit
from hotline.gateways.twilio import TwilioGateway
from models import DailyRun, LeaderRole, OutboundMessage, OutboundStatus, db
from tests.support.fake_twilio import FakeTwilio
from tests.support.webhooks import run_queued_jobs

from .conftest import ZONE, day

NOW = datetime(2026, 3, 20, 2, tzinfo=timezone.utc)  # 10:00 in Beijing
SETTINGS = {"CHECKIN_DAYS": 7, "CHECKIN_DAYS_RED": 3, "CHECKIN_GRACE_DAYS": 2}
GACHA_20 = "哈日根图嘎查第三网格暖心服务点社区居委会"  # 20 characters
assert len(GACHA_20) == 20


def digests(phone=None):
    db.session.expire_all()
    query = select(OutboundMessage).where(OutboundMessage.template == "digest").order_by(OutboundMessage.id)
    return list(db.session.scalars(query if phone is None else query.where(OutboundMessage.to_phone == phone)))


@pytest.mark.parametrize("risk, needs, contacts, overdue", [
    ("yellow", "", [(8, "well")], False),  # due after 7 days, overdue after 2 more
    ("yellow", "", [(10, "well")], True),
    (None, "disabled", [(9, "needs_help")], False),  # nine days is exactly 7 + 2: not yet past it
    (None, "disabled", [(9.1, "needs_help")], True),
    ("red", "", [(4, "well")], False),  # red: due after 3 days, overdue after 2 more
    ("red", "elderly_alone", [(6, "well")], True),
    (None, "pregnant", [], True),  # never contacted
    (None, "pregnant", [(20, "well"), (1, "not_reached")], True),  # nobody reached yesterday: still overdue
    ("green", "", [], False),  # not on the register
])
def test_overdue_rule(make, risk, needs, contacts, overdue):
    home = make.register_household(needs=needs, risk=risk)
    for days, outcome in contacts:
        make.contact(home, NOW - timedelta(days=days), channel="visit", outcome=outcome)
    assert (digest.overdue_households(make.session, None, NOW, SETTINGS) == [home]) is overdue


def test_overdue_households_are_those_of_the_places_given_longest_overdue_first(make):
    north, south = make.gacha(name="北嘎查"), make.gacha(name="南嘎查")
    late = make.register_household(place=north, name="晚")
    make.contact(late, NOW - timedelta(days=12), outcome="well")
    never = make.register_household(place=north, name="从未")
    make.register_household(place=south, name="南")
    assert digest.overdue_households(make.session, {north.id}, NOW, SETTINGS) == [never, late]


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_the_digest_fits_two_sms_with_long_names_and_many_overdue(make, language):
    leader = make.leader(make.gacha(name=GACHA_20), language=language)
    names = ["乌云其木格·巴特尔"] * 40
    text = digest.digest_text(leader, date(2026, 12, 31), {"open": 123, "escalated": 45, "done": 678}, names)
    assert texts.segments(text) <= 2, text
    assert GACHA_20 in text and "12-31" in text and "123" in text and "678" in text and "40" in text
    assert "乌云其木格·巴特尔" in text  # as many names as fit, and how many more
    assert re.search(r"(另|бас |\u182a\u1820\u1830 )\d+", text)


def test_the_digest_without_overdue_households_is_one_line(make):
    leader = make.leader(make.gacha(name=GACHA_20))
    text = digest.digest_text(leader, date(2026, 3, 20), {"open": 0, "escalated": 0, "done": 2}, [])
    assert text == f"【日报03-20】{GACHA_20}：未结0件，其中升级0件；昨日办结2件；逾期未联系0户。"
    assert texts.segments(text) == 1


def test_each_leader_gets_the_digest_of_their_scope_through_the_console_gateway(app, town, make):
    make.leader(town.north_secretary.place.parent, role=LeaderRole.admin)  # holds no calls: no digest
    next_morning = datetime.combine(day(town.done.closed_at) + timedelta(days=1), time(10), tzinfo=ZONE)
    assert run_and_commit(lambda s, now: digest.send_digests(s, next_morning, app.config, key="t")) == 3
    run_queued_jobs(app)
    north, = digests(town.north_secretary.phone)
    south, = digests(town.south_secretary.phone)
    township, = digests(town.township_leader.phone)
    stamp = next_morning.strftime("%m-%d")
    assert north.body == f"【日报{stamp}】北嘎查：未结0件，其中升级0件；昨日办结1件；逾期未联系0户。"
    assert south.body == f"【日报{stamp}】南嘎查：未结1件，其中升级1件；昨日办结0件；逾期未联系1户。\n逾期户：南孕户"
    # The township's leader sees the unknown caller's open request too, and every gacha's overdue households.
    assert township.body.startswith(f"【日报{stamp}】昂素镇：未结2件，其中升级1件；昨日办结1件；逾期未联系1户。")
    assert {m.status for m in digests()} == {OutboundStatus.sent} and len(digests()) == 3


def test_the_daily_task_sends_once_a_day_from_the_sweep(app, town):
    queue = app.extensions["hotline.queue"]
    now = datetime.now(timezone.utc)
    settings = dict(app.config, DIGEST_HOUR=0)  # due whatever the hour the test runs at
    sweep_once(db.session, queue, now, settings)
    run_queued_jobs(app)
    assert len(digests()) == 3
    assert db.session.get(DailyRun, ("digest", now.astimezone(ZONE).date())) is not None
    sweep_once(db.session, queue, now, settings)
    run_queued_jobs(app)
    assert len(digests()) == 3  # once a day, however often the sweep runs


def test_the_digest_reaches_twilio(app, town):
    with FakeTwilio() as fake:
        console = app.extensions["hotline.sms_gateway"]
        app.extensions["hotline.sms_gateway"] = TwilioGateway(fake.account_sid, fake.auth_token, "+864778512345",
                                                              app.config["PUBLIC_BASE_URL"], fake.base_url)
        try:
            run_and_commit(lambda s, now: digest.send_digests(s, now, app.config, key="twilio"))
            run_queued_jobs(app)
            sent = {m["to"]: m for m in fake.wait_for_messages(3)}
        finally:
            app.extensions["hotline.sms_gateway"] = console
    assert set(sent) == {town.north_secretary.phone, town.south_secretary.phone, town.township_leader.phone}
    assert "南孕户" in sent[town.south_secretary.phone]["body"]
    assert {m.provider_sid for m in digests()} == {m["sid"] for m in sent.values()}
