"""A small township whose ledgers have something in every column: two gachas, teams with members of each kind,
register households with contacts, requests done, escalated and open, shifts now and tomorrow."""
import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from dispatch.ladder import offers
from dispatch.ledgers.period import Period
from dispatch.requests.intake import open_request_for
from dispatch.runtime.unit_of_work import utcnow
from models import Household, Leader, LeaderRole, MemberKind, MemberRole, Request, Team, db
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass
class Town:
    now: object
    period: Period
    north_secretary: Leader
    south_secretary: Leader
    township_leader: Leader
    north_team: Team
    south_team: Team
    red: Household  # north, red, elderly alone, paired with the north captain; visited and served
    yellow: Household  # north, yellow, disabled and seriously ill, paired with a non-member
    south: Household  # south, pregnant, never contacted
    green: Household  # north, green and no needs: not on the register
    done: Request  # the red household's medicine, done by the north team, solved
    escalated: Request  # the south household's heating, nobody took it
    stranger: Request  # an unknown caller, still open


def build_town(app, client, make) -> Town:
    """Make the town through the real ladder (offer, accept, done, the herder's answer by signed SMS)."""
    now = utcnow()
    north, south = make.gacha(name="北嘎查", lat=38.0, lon=108.0), make.gacha(name="南嘎查", lat=37.5, lon=108.0)
    north_team = make.team(name="北一队", place=north, lat=38.02, lon=108.0, members=2, doctor=True,
                           now=now - timedelta(hours=3))  # on duty from 5 hours ago to 3 hours from now
    captain, cadre, doctor = north_team.members
    captain.kind, cadre.kind, doctor.kind = MemberKind.grid_worker, MemberKind.cadre, MemberKind.doctor
    tomorrow = make.shift(north_team, now + timedelta(days=1), now + timedelta(days=1, hours=8))
    tomorrow.listed_members = [cadre]
    south_team = make.team(name="南一队", place=south, lat=37.5, lon=108.0, now=now)
    make.member(south_team, role=MemberRole.driver)
    red = make.register_household(place=north, needs="elderly_alone", risk="red", contact=captain, name="北红户")
    yellow = make.register_household(place=north, needs="disabled;seriously_ill", risk="yellow",
                                     contact="+8613800000077", contact_name="村医张三", name="北黄户")
    south_home = make.register_household(place=south, needs="pregnant", name="南孕户")
    green = make.register_household(place=north, needs="", risk="green", name="北绿户")
    make.contact(red, now - timedelta(days=3), channel="call", outcome="not_reached")
    make.contact(red, now - timedelta(hours=2), channel="visit", outcome="well", member=captain, note="血压正常")
    make.contact(yellow, now - timedelta(hours=5), channel="sms", outcome="needs_help")
    township = north.parent
    town = Town(now=now, period=Period(now.astimezone(ZONE).date() - timedelta(days=7),
                                       now.astimezone(ZONE).date() + timedelta(days=1), ZONE),
                north_secretary=make.leader(north), south_secretary=make.leader(south),
                township_leader=make.leader(township, role=LeaderRole.township_leader),
                north_team=north_team, south_team=south_team, red=red, yellow=yellow, south=south_home, green=green,
                done=None, escalated=None, stranger=None)

    done = open_request_for(db.session, caller=red.phones[0].phone, category=1, text="降压药", household=red,
                            now=now - timedelta(hours=3), channel="sms")
    offer = offers.offer_to_next_team(db.session, done.id, now - timedelta(hours=3), app.config)
    offers.accept_offer(db.session, offer.id, captain, now - timedelta(hours=3) + timedelta(minutes=6))
    offers.report_done(db.session, done, captain, now - timedelta(hours=1))
    # As the register records it: a request done for a household is a contact too (listed once, as the request).
    make.contact(red, now - timedelta(hours=1), channel="request", outcome="well", member=captain, request=done)
    escalated = open_request_for(db.session, caller=south_home.phones[0].phone, category=4, text="", now=now,
                                 household=south_home, channel="sms")
    offers.offer_to_next_team(db.session, escalated.id, now, dict(app.config, MAX_OFFERS=0))
    stranger = open_request_for(db.session, caller="+8613700000009", category=5, text="帮帮忙", household=None,
                                now=now, channel="sms")
    db.session.commit()
    assert signed_post(client, app, "/twilio/sms", sms_form(red.phones[0].phone, "Y")).status_code == 200  # solved
    run_queued_jobs(app)  # the SMS all this caused go out now, through the console gateway
    db.session.expire_all()
    town.done, town.escalated, town.stranger = done, escalated, stranger
    assert done.solved is True and escalated.status == "escalated"
    return town


@pytest.fixture
def town(app, client, make) -> Town:
    return build_town(app, client, make)


def day(moment) -> date:
    """The local day of a moment."""
    return moment.astimezone(ZONE).date()
