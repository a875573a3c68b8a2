"""The weekly round on a fake clock: who is due, one numbered list per paired member, a report answers it,
overdue after the grace days, and overdue twice in a row goes to the township leader (once a stretch)."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from dispatch.ledgers import digest
from dispatch.register import round as register_round
from dispatch.register import rules, visits
from dispatch.register.grammar import read_visit_report
from models import Call, CallKind, Checkin, CheckinItem, Contact, LeaderRole, OutboundMessage, db

DAY1 = datetime(2026, 3, 2, 1, 30, tzinfo=timezone.utc)  # 09:30 in Beijing, a Monday


def texts_of(template, phone=None):
    db.session.expire_all()
    query = select(OutboundMessage).where(OutboundMessage.template == template).order_by(OutboundMessage.id)
    return list(db.session.scalars(query if phone is None else query.where(OutboundMessage.to_phone == phone)))


def run(app, now):
    summary = register_round.run_round(db.session, now, app.config)
    db.session.commit()
    return summary


def report(member, text, now):
    answer = visits.answer_report(db.session, member, read_visit_report(text), now)
    db.session.commit()
    return answer


@pytest.fixture
def town(make):
    gacha = make.gacha(name="哈日根图嘎查")
    team = make.team(place=gacha, members=2)
    township_leader = make.leader(gacha.parent, role=LeaderRole.township_leader)
    return gacha, team.members[0], team.members[1], township_leader


def test_each_paired_member_gets_one_numbered_list_of_their_due_households(app, town, make):
    gacha, first, second, _ = town
    red = make.register_household(place=gacha, needs="", risk="red", contact=first, name="红户")
    alone = make.register_household(place=gacha, contact=first, name="独居户")
    seen = make.register_household(place=gacha, contact=second, name="刚访户")
    make.contact(seen, DAY1 - timedelta(days=1), member=second)
    make.register_household(place=gacha, needs="", risk="green", contact=second, name="绿户")  # not on the register
    db.session.commit()
    summary = run(app, DAY1)
    [sms] = texts_of("checkin_list")
    assert sms.to_phone == first.phone
    assert sms.body == "【每周联系03-02】请联系：1红户、2独居户。联系后回复“V 序号 结果”：1平安 2需帮助 3未联系上。"
    items = db.session.scalars(select(CheckinItem).order_by(CheckinItem.number)).all()
    assert [(i.number, i.household_id) for i in items] == [(1, red.id), (2, alone.id)]
    assert (summary.members, summary.households, summary.checkins) == (1, 2, 2)  # both have a phone: called
    assert run(app, DAY1 + timedelta(hours=3)).members == 0  # again the same day: nothing twice
    assert len(texts_of("checkin_list")) == 1


def test_a_long_list_fits_two_sms_and_counts_the_rest(app, town, make):
    gacha, first, _, _ = town
    for n in range(30):
        make.register_household(place=gacha, contact=first, name=f"乌云其木格{n:02d}")
    db.session.commit()
    run(app, DAY1)
    [sms] = texts_of("checkin_list")
    assert len(sms.body.encode("utf-16-le")) // 2 <= 134 and "1乌云其木格" in sms.body
    shown = sms.body.count("乌云其木格")
    assert f"另{30 - shown}户" in sms.body
    assert db.session.query(CheckinItem).count() == 30  # every one numbered, so `V 27 1` works too
    assert "乌云其木格26" in report(first, "V 27 1", DAY1)


def test_a_round_on_a_fake_clock_due_answered_overdue_escalated(app, town, make):
    gacha, member, _, township_leader = town
    home = make.register_household(place=gacha, contact=member, name="乌云")  # elderly alone: every 7 days
    db.session.commit()
    run(app, DAY1)
    assert len(texts_of("checkin_list", member.phone)) == 1  # never reached: due now, and overdue
    assert digest.overdue_households(db.session, None, DAY1, app.config) == [home]

    assert "乌云" in report(member, "V 1 1", DAY1 + timedelta(hours=2))  # answered: all well
    assert digest.overdue_households(db.session, None, DAY1 + timedelta(hours=2), app.config) == []
    for days in range(1, 7):  # not due again before a week has passed
        run(app, DAY1 + timedelta(days=days))
    assert len(texts_of("checkin_list", member.phone)) == 1
    run(app, DAY1 + timedelta(days=7))  # due on the seventh day
    assert len(texts_of("checkin_list", member.phone)) == 2

    # Nobody reports: overdue once past the two grace days, then twice when the next week is missed too.
    assert digest.overdue_households(db.session, None, DAY1 + timedelta(days=9), app.config) == []
    assert digest.overdue_households(db.session, None, DAY1 + timedelta(days=9, hours=3), app.config) == [home]
    run(app, DAY1 + timedelta(days=10))
    assert texts_of("register_alert") == []
    run(app, DAY1 + timedelta(days=16, hours=3))
    [alert] = texts_of("register_alert")
    assert alert.to_phone == township_leader.phone
    assert alert.body == "【联系逾期】昂素镇有1户连续两次逾期未联系：乌云。请督促包联人。"
    run(app, DAY1 + timedelta(days=17))
    assert len(texts_of("register_alert")) == 1  # told once for this stretch

    # Reached again, then missed twice again: a new stretch, told again.
    report(member, "V 1 2 2 发烧", DAY1 + timedelta(days=17, hours=1))
    run(app, DAY1 + timedelta(days=34))
    assert len(texts_of("register_alert")) == 2


def test_a_red_household_is_due_every_three_days_and_a_household_never_listed_is_never_overdue_twice(app, town, make):
    gacha, member, _, _ = town
    red = make.register_household(place=gacha, needs="", risk="red", contact=member, name="红户")
    make.contact(red, DAY1 - timedelta(days=3, hours=-1), member=member)  # 3 days ago, an hour later in the day
    db.session.commit()
    [state] = rules.states(db.session, [red], DAY1, app.config).values()
    assert state.due_today and not state.overdue and not state.twice
    late = rules.states(db.session, [red], DAY1 + timedelta(days=30), app.config)[red.id]
    assert late.overdue and late.twice
    lonely = make.register_household(place=gacha, contact=None, name="无人户")
    db.session.commit()
    never = rules.states(db.session, [lonely], DAY1 + timedelta(days=60), app.config)[lonely.id]
    assert never.overdue and not never.twice  # nobody was ever asked: overdue time starts at the first round


def test_visits_count_as_contacts_in_the_activity_record(app, town, make):
    gacha, member, _, _ = town
    home = make.register_household(place=gacha, contact=member, name="乌云")
    db.session.commit()
    run(app, DAY1)
    report(member, "访 1 3", DAY1 + timedelta(hours=1))
    [contact] = db.session.scalars(select(Contact)).all()
    assert (contact.household_id, str(contact.channel), str(contact.outcome), contact.member_id) == \
        (home.id, "visit", "not_reached", member.id)


def test_the_demo_roster_has_a_round_for_the_readme_tour(app, ctx):
    """README tour step 9: 包那木拉 is paired with five households on the register; 王桂兰 (red) comes first."""
    from dispatch.roster import load_demo
    from models import Member

    load_demo(db.session, region="CN", timezone=app.config["TIMEZONE"], now=DAY1)
    db.session.commit()
    run(app, DAY1)
    captain = db.session.scalar(select(Member).where(Member.phone == "+8613900000011"))
    [sms] = texts_of("checkin_list", captain.phone)
    # He reads the traditional script (language mn): the list in it, the households' names as the roster has them.
    assert sms.body.startswith("[ᠳᠣᠯᠤᠭᠠᠨ ᠬᠣᠨᠤᠭ ᠤᠨ ᠬᠣᠯᠪᠣᠭ\u180eᠠ 03-02] 1 王桂兰, 2 巴图孟和, 3 ")
    assert report(captain, "V 2 1", DAY1).startswith("ᠪᠦᠷᠢᠳᠬᠡᠪᠡ: 巴图孟和 (H0001)")
    checkins = {c.household.head_name: str(c.channel) for c in db.session.scalars(select(Checkin))}
    assert (checkins["巴图孟和"], checkins["王桂兰"]) == ("call", "sms")  # she reads: an SMS


def test_the_worker_runs_the_round_once_a_day_after_checkin_hour(app, town, make):
    from dispatch.runtime.sweep import sweep_once
    from dispatch.runtime.unit_of_work import utcnow
    from models import DailyRun
    from tests.support.webhooks import run_queued_jobs

    gacha, member, _, _ = town
    make.register_household(place=gacha, contact=member, name="乌云")
    db.session.commit()
    settings = dict(app.config, CHECKIN_HOUR=0)  # due whatever the hour the test runs at
    for _ in range(2):  # however often the sweep runs
        sweep_once(db.session, app.extensions["hotline.queue"], utcnow(), settings)
        run_queued_jobs(app)
    assert len(texts_of("checkin_list", member.phone)) == 1
    assert db.session.scalar(select(DailyRun.task).where(DailyRun.task == "checkin")) == "checkin"


def test_the_rounds_calls_are_spread_minute_by_minute(app, town, make):
    """A first round must not ring every household at once: CHECKIN_CALLS_PER_MINUTE at a time, the rest later
    (the call row says when, so the sweep leaves it until then)."""
    gacha, first, _, _ = town
    for n in range(5):
        make.register_household(place=gacha, contact=first, name=f"户{n}")
    db.session.commit()
    before = app.config["CHECKIN_CALLS_PER_MINUTE"]
    app.config["CHECKIN_CALLS_PER_MINUTE"] = 2
    try:
        assert run(app, DAY1).checkins == 5
    finally:
        app.config["CHECKIN_CALLS_PER_MINUTE"] = before
    starts = sorted(c.started_at for c in db.session.scalars(select(Call).where(Call.kind == CallKind.checkin)))
    assert [(at - DAY1).total_seconds() // 60 for at in starts] == [0, 0, 1, 1, 2]


def statements_of_a_round(app, now):
    """The SQL statements one round sends, by their first word (SELECT, INSERT, UPDATE)."""
    from collections import Counter

    from sqlalchemy import event

    seen = Counter()

    def count(conn, cursor, statement, parameters, context, executemany):
        seen[statement.split(None, 1)[0].upper()] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        run(app, now)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return seen


@pytest.mark.parametrize("reads", [False, True])  # called, or texted
def test_the_rounds_look_ups_do_not_grow_with_the_register(app, town, make, reads):
    """A league's round covers 100,000 households: whether each already has today's check-in, and each member
    today's list, is read once for all of them, not once a household. Its second run still sends nothing twice."""
    gacha, first, second, _ = town

    def households(count, prefix):
        for n in range(count):
            home = make.register_household(place=gacha, contact=(first, second)[n % 2], name=f"{prefix}{n}")
            home.sms_language = "zh" if reads else None
        db.session.commit()

    households(4, "少")
    few = statements_of_a_round(app, DAY1)
    households(30, "多")
    day2 = DAY1 + timedelta(days=1)  # nobody answered: the first four are due again, with the thirty
    many = statements_of_a_round(app, day2)
    assert many["SELECT"] == few["SELECT"]
    checkins = db.session.scalars(select(Checkin).where(Checkin.day == day2.date())).all()
    assert len({c.household_id for c in checkins}) == len(checkins) == 34
    assert len(texts_of("checkin_herder" if reads else "checkin_list")) == (4 + 34 if reads else 4)
    again = statements_of_a_round(app, day2 + timedelta(hours=2))
    assert again["INSERT"] == 0 and len(texts_of("checkin_list")) == 4  # each member's list once a day
    assert db.session.query(Checkin).count() == 4 + 34


def test_a_register_read_in_several_batches_checks_in_with_everyone_once(app, town, make, monkeypatch):
    """A register larger than one query's parameters is read a BATCH at a time (here 2): every household still
    gets its check-in and its member's list, and one another worker began today gets no second one."""
    monkeypatch.setattr(rules, "BATCH", 2)
    gacha, first, second, _ = town
    homes = [make.register_household(place=gacha, contact=(first, second)[n % 2], name=f"户{n}") for n in range(5)]
    earlier = Checkin(household=homes[3], day=DAY1.date(), channel="call", phone=homes[3].phones[0].phone, tries=1)
    db.session.add(earlier)
    db.session.commit()
    summary = run(app, DAY1)
    assert (summary.members, summary.households, summary.checkins) == (2, 5, 4)
    by_household = {c.household_id: c.id for c in db.session.scalars(select(Checkin))}
    assert sorted(by_household) == sorted(h.id for h in homes) and by_household[homes[3].id] == earlier.id
    assert run(app, DAY1 + timedelta(hours=1)).checkins == 0 and len(texts_of("checkin_list")) == 2
    assert rules.overdue_households(db.session, None, DAY1, app.config) == sorted(homes, key=lambda h: h.ref)
    assert all(state.overdue for state in rules.states(db.session, homes, DAY1, app.config).values())
