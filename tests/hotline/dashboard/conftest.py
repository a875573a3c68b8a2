"""A small township for the dashboard tests: two gachas, a leader of each kind, a team and a call in each gacha."""
import re
import time
from dataclasses import dataclass

import pytest
from itsdangerous import URLSafeTimedSerializer

from dispatch.requests.intake import open_request_for
from dispatch.runtime.unit_of_work import utcnow
from models import Leader, LeaderRole, Request, Team, db


@dataclass
class Scene:
    north_secretary: Leader
    south_secretary: Leader
    township_leader: Leader
    admin: Leader
    north_team: Team
    north_spare: Team
    south_team: Team
    north_call: Request
    south_call: Request
    stranger_call: Request  # from a phone the roster does not know: no place


@pytest.fixture
def scene(make):
    north, south = make.gacha(name="北嘎查", lat=38.0, lon=108.0), make.gacha(name="南嘎查", lat=37.5, lon=108.0)
    township = north.parent
    north_herder = make.household(place=north, name="北牧民", lat=38.05, lon=108.05)
    south_herder = make.household(place=south, name="南牧民", lat=37.55, lon=108.05)
    scene = Scene(
        north_secretary=make.leader(north), south_secretary=make.leader(south),
        township_leader=make.leader(township, role=LeaderRole.township_leader),
        admin=make.leader(township, role=LeaderRole.admin),
        north_team=make.team(name="北一队", place=north, lat=38.02, lon=108.0, members=2),
        north_spare=make.team(name="北二队", place=north, lat=38.1, lon=108.1, members=2),
        south_team=make.team(name="南一队", place=south, lat=37.5, lon=108.0),
        north_call=None, south_call=None, stranger_call=None,
    )
    now = utcnow()
    scene.north_call = open_request_for(db.session, caller=north_herder.phones[0].phone, category=1, text="",
                                        household=north_herder, now=now, channel="sms")
    scene.south_call = open_request_for(db.session, caller=south_herder.phones[0].phone, category=2, text="",
                                        household=south_herder, now=now, channel="sms")
    scene.stranger_call = open_request_for(db.session, caller="+8613700000009", category=5, text="帮帮忙",
                                           household=None, now=now, channel="sms")
    db.session.commit()
    return scene


def sign_in(client, leader) -> str:
    """Put the leader's signed-in session in the test client's cookie (the sign-in itself is tested elsewhere):
    Flask-Login's '<id>:<session version>', the clock keys, a CSRF secret. Returns the forms' CSRF token."""
    with client.session_transaction() as session:
        session.clear()
        session.update({"_user_id": f"{leader.id}:{leader.session_version}", "_fresh": True,
                        "signed_in": time.time(), "seen": time.time(), "csrf_token": "test-csrf-secret"})
    return token(client)


def token(client) -> str:
    """The CSRF token the client's session would put in a form (GET a page first, or sign_in): Flask-WTF's
    signed form of the secret the session holds."""
    with client.session_transaction() as session:
        secret = session.get("csrf_token")
    if secret is None:
        return ""
    return URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token").dumps(secret)


def post(client, path, data=None, **kwargs):
    """POST with the session's CSRF token, as the dashboard's forms do."""
    return client.post(path, data={"csrf_token": token(client), **(data or {})}, **kwargs)


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
