"""An offer's texts go out as one job that claims them together and sends them side by side; a worker SIGKILLed
while they are on the wire leaves them all `sending`, and afterwards every member has exactly one."""
import os
from collections import Counter

import pytest
from sqlalchemy import select

from models import OutboundMessage, OutboundStatus, db
from tests.factories import Factory
from tests.support.stack import ServedApp, WorkerProcess, wait_until

from .conftest import twilio_settings

MEMBERS = 6


def test_worker_killed_mid_batch_every_offer_text_leaves_once(app, ctx, fake_twilio, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (make test sets it)")
    web = ServedApp(twilio_settings(fake_twilio, REDIS_URL=os.environ["REDIS_URL"], SWEEP_SECONDS=1,
                                    SEND_TIMEOUT_SECONDS=8, INSTANCE_DIR=str(tmp_path)))
    make = Factory(db.session)
    gacha = make.gacha()
    team = make.team(place=gacha, members=MEMBERS)
    members = [m.phone for m in team.members]
    herder = make.household(place=gacha).phones[0].phone
    db.session.commit()
    fake_twilio.hang_after_create(60)  # Twilio takes each text, then keeps the worker waiting for its answer
    # One job thread: texts side by side come from the batch, not from several jobs at once.
    worker = WorkerProcess({**web.settings, "WORKER_THREADS": 1}, tmp_path / "worker1.log")
    try:
        assert web.post_sms(herder, "送药").status_code == 200
        fake_twilio.wait_for_messages(1, timeout=20)
        # Sent one after another, the second text would wait for the first one's timeout: side by side, it is
        # already there.
        fake_twilio.wait_for_messages(MEMBERS, timeout=4)
        worker.kill()
        fake_twilio.hang_after_create(0)
        db.session.expire_all()
        left = Counter(m.status for m in db.session.scalars(select(OutboundMessage).where(
            OutboundMessage.to_phone.in_(members))))
        assert left == {OutboundStatus.sending: MEMBERS}

        again = WorkerProcess(web.settings, tmp_path / "worker2.log")  # its sweep finds what the batch left
        try:
            def all_sent():
                db.session.expire_all()
                return [m.status for m in db.session.scalars(select(OutboundMessage).where(
                    OutboundMessage.to_phone.in_(members)))] == [OutboundStatus.sent] * MEMBERS

            wait_until(all_sent, 40, "the sweep to settle every text of the killed batch")
        finally:
            again.stop()
    finally:
        if worker.process.poll() is None:
            worker.stop()
        web.stop()
    assert Counter(m["to"] for m in fake_twilio.messages) == {phone: 1 for phone in members}
    sent = db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_phone.in_(members))).all()
    by_sid = {m["sid"]: m["to"] for m in fake_twilio.messages}
    assert all(by_sid[m.provider_sid] == m.to_phone for m in sent)
    # The texts that were on the wire were found at the provider, not sent again.
    assert sum(1 for m in sent if "found" in [h.error_code for h in m.history]) == MEMBERS
