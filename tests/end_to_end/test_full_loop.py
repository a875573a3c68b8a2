"""End to end: the web app over HTTP, a real `python worker.py`, real Redis and PostgreSQL, and the real
twilio client talking to a local server that speaks Twilio's Messages API and records what it received."""
import os

import pytest
from sqlalchemy import select

from models import OutboundMessage, Request, RequestStatus, db
from tests.conftest import _settings
from tests.support.fake_twilio import FakeTwilio
from tests.support.stack import ServedApp, WorkerProcess, wait_until

OFFER_TIMEOUT = 3  # seconds: long enough for a reply, short enough for the test to watch the ladder move


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def stack(app, fake_twilio, tmp_path):
    """The web app served over HTTP and one worker process, both configured for the fake Twilio."""
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        pytest.skip("end to end needs REDIS_URL and DATABASE_URL (make test sets them)")
    web = ServedApp(_settings(SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
                              TWILIO_AUTH_TOKEN=fake_twilio.auth_token, TWILIO_API_BASE=fake_twilio.base_url,
                              OFFER_TIMEOUT_SECONDS=OFFER_TIMEOUT, INSTANCE_DIR=str(tmp_path)))
    worker = WorkerProcess(web.settings, tmp_path / "worker.log")
    try:
        yield web
    finally:
        worker.stop()
        web.stop()
        print(worker.log()[-3000:])


def bodies_to(fake, phone):
    return [m["body"] for m in fake.messages if m["to"] == phone]


def test_sms_to_accepted_assignment_end_to_end(stack, fake_twilio, make):
    gacha = make.gacha()
    herder = make.household(place=gacha, name="其木格")
    near = make.team(name="近处小分队", place=gacha, lat=38.11, lon=108.1, members=2)
    far = make.team(name="远处小分队", place=gacha, lat=38.5, lon=108.1)
    db.session.commit()
    herder_phone = herder.phones[0].phone

    answer = stack.post_sms(herder_phone, "送药").text
    ref = db.session.scalar(select(Request.ref))
    assert f"编号{ref}" in answer

    # The worker ranks, offers and sends through the real twilio client to the fake.
    wait_until(lambda: all(bodies_to(fake_twilio, m.phone) for m in near.members), what="the offer SMS")
    for member in near.members:
        [offer] = bodies_to(fake_twilio, member.phone)
        assert ref in offer and "其木格" in offer and "送药" in offer
    assert all(m["status_callback"] == stack.base_url + "/twilio/status" for m in fake_twilio.messages)

    # Nobody answers: the RQ scheduler fires the timeout and the far team gets the offer.
    wait_until(lambda: bodies_to(fake_twilio, far.members[0].phone), OFFER_TIMEOUT + 15, "the second offer")
    assert ref in bodies_to(fake_twilio, far.members[0].phone)[0]

    # A near-team member accepts late; that still wins, and the herder hears who is coming.
    echo = stack.post_sms(near.members[0].phone, f"1 {ref}").text
    assert f"您已接单{ref}" in echo
    wait_until(lambda: bodies_to(fake_twilio, herder_phone), what="the herder's SMS")
    [assigned] = bodies_to(fake_twilio, herder_phone)
    assert "近处小分队" in assigned and near.members[0].phone in assigned and "蒙K" in assigned
    wait_until(lambda: len(bodies_to(fake_twilio, far.members[0].phone)) == 2, what="the far team told")
    assert near.members[0].name in bodies_to(fake_twilio, far.members[0].phone)[1]

    # Twilio reports delivery; the message keeps its history.
    sid = next(m["sid"] for m in fake_twilio.messages if m["to"] == herder_phone)
    assert fake_twilio.send_status(sid, "delivered") == 204
    db.session.expire_all()
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.provider_sid == sid))
    assert message.status == "delivered" and [h.status for h in message.history][-1] == "delivered"
    assert db.session.scalar(select(Request.status)) == RequestStatus.accepted
