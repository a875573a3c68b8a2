"""End to end, on each provider: the web app over HTTP (Twilio) or the real gammu-smsd on its dummy phone
(Gammu), a real `python worker.py`, real Redis and PostgreSQL. On Twilio the real twilio client talks to a
local server that speaks Twilio's Messages API; on Gammu every SMS leaves through gammu-smsd's tables."""
import os

import pytest
from sqlalchemy import select

from models import OutboundMessage, Request, RequestStatus, db
from tests.conftest import _settings
from tests.support.fake_twilio import FakeTwilio
from tests.support.gammu_smsd import gammu_settings
from tests.support.networks import GammuNetwork, TwilioNetwork
from tests.support.stack import ServedApp, WorkerProcess, wait_until

# Seconds: long enough for a reply, short enough for the test to watch the ladder move. A modem sends about one
# SMS a second, and a reply takes a second to reach gammu's inbox, so the ladder gets more time there.
OFFER_TIMEOUT = {"twilio": 3, "gammu": 8}


@pytest.fixture(params=["twilio", "gammu"])
def network(request, app, tmp_path):
    """The phones' network on this provider, and one worker process configured for it."""
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        pytest.skip("end to end needs REDIS_URL and DATABASE_URL (make test sets them)")
    if request.param == "gammu":
        smsd = request.getfixturevalue("smsd")
        settings = gammu_settings(smsd.url, OFFER_TIMEOUT_SECONDS=OFFER_TIMEOUT["gammu"], INSTANCE_DIR=str(tmp_path))
        worker = WorkerProcess(settings, tmp_path / "worker.log")
        try:
            yield GammuNetwork(smsd)
        finally:
            worker.stop()
            print(worker.log()[-3000:], smsd.log_text()[-2000:])
        return
    with FakeTwilio() as fake:
        web = ServedApp(_settings(SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=fake.account_sid,
                                  TWILIO_AUTH_TOKEN=fake.auth_token, TWILIO_API_BASE=fake.base_url,
                                  OFFER_TIMEOUT_SECONDS=OFFER_TIMEOUT["twilio"], INSTANCE_DIR=str(tmp_path)))
        worker = WorkerProcess(web.settings, tmp_path / "worker.log")
        try:
            yield TwilioNetwork(web, fake)
        finally:
            worker.stop()
            web.stop()
            print(worker.log()[-3000:])


def test_sms_to_accepted_assignment_end_to_end(network, make):
    gacha = make.gacha()
    herder = make.household(place=gacha, name="其木格")
    near = make.team(name="近处小分队", place=gacha, lat=38.11, lon=108.1, members=2)
    far = make.team(name="远处小分队", place=gacha, lat=38.5, lon=108.1)
    db.session.commit()
    herder_phone = herder.phones[0].phone

    answer = network.text(herder_phone, "送药")
    ref = db.session.scalar(select(Request.ref))
    assert f"编号{ref}" in answer

    # The worker ranks, offers and sends through the provider.
    wait_until(lambda: all(network.received(m.phone) for m in near.members), what="the offer SMS")
    for member in near.members:  # (on a modem, where nobody can be rung, a reminder SMS follows at half time)
        offer = network.received(member.phone)[0]
        assert ref in offer and "其木格" in offer and "送药" in offer

    # Nobody answers: the RQ scheduler fires the timeout and the far team gets the offer.
    wait_until(lambda: network.received(far.members[0].phone), OFFER_TIMEOUT[network.name] + 15, "the second offer")
    assert ref in network.received(far.members[0].phone)[0]

    # A near-team member accepts late; that still wins, and the herder hears who is coming.
    echo = network.text(near.members[0].phone, f"1 {ref}")
    assert f"您已接单{ref}" in echo
    wait_until(lambda: network.received(herder_phone), what="the herder's SMS")
    [assigned] = network.received(herder_phone)
    assert "近处小分队" in assigned and near.members[0].phone in assigned and "蒙K" in assigned
    wait_until(lambda: any(near.members[0].name in text for text in network.received(far.members[0].phone)),
               what="the far team told who took it")
    network.check_sent()

    # The network reports delivery; the message keeps its history.
    network.report_delivered(herder_phone)

    def assigned_status():
        db.session.expire_all()
        return db.session.scalar(select(OutboundMessage).where(OutboundMessage.template == "assigned"))

    wait_until(lambda: assigned_status().status == "delivered", what="the delivery report")
    # A report may beat our record of the provider id; it is then kept and applied, so its row can come first.
    assert "delivered" in [h.status for h in assigned_status().history]
    assert db.session.scalar(select(Request.status)) == RequestStatus.accepted
