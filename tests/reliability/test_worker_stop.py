"""Stopping a worker on purpose (SIGTERM, as systemd does) ends it at once and hands RQ's scheduler lock to the next
worker, so an offer timed out after the stop still moves on to the next team."""
import os
import signal

import pytest
from rq.scheduler import RQScheduler
from sqlalchemy import select

from dispatch.runtime.queue import QUEUE_NAMES
from models import Request, db
from tests.factories import Factory
from tests.support.stack import ServedApp, WorkerProcess, wait_until

from .conftest import twilio_settings


def test_a_stopped_worker_exits_and_its_scheduler_lock_passes_on(app, ctx, fake_twilio, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (make test sets it)")
    web = ServedApp(twilio_settings(fake_twilio, REDIS_URL=os.environ["REDIS_URL"], OFFER_TIMEOUT_SECONDS=3,
                                    INSTANCE_DIR=str(tmp_path)))
    redis = app.extensions["hotline.queue"].connection
    locks = [RQScheduler.get_locking_key(name) for name in QUEUE_NAMES]
    make = Factory(db.session)
    gacha = make.gacha()
    near = make.team(place=gacha, lat=38.11, lon=108.1)
    far = make.team(place=gacha, lat=38.5, lon=108.1)
    herder = make.household(place=gacha, lat=38.1, lon=108.1).phones[0].phone
    db.session.commit()

    def received(phone):
        return [m["body"] for m in fake_twilio.messages if m["to"] == phone]

    first = WorkerProcess(web.settings, tmp_path / "first.log")
    second = None
    try:
        wait_until(lambda: all(redis.get(key) for key in locks), 30, "the first worker's scheduler to take the lock")
        assert "编号" in web.post_sms(herder, "送药").text
        wait_until(lambda: received(near.members[0].phone), 30, "the near team's offer")

        os.killpg(first.process.pid, signal.SIGTERM)  # the whole group, as `systemctl stop` does
        assert first.process.wait(timeout=15) == 0  # a clean exit, not a restart killed after a grace period
        assert "starting again" not in first.log()
        assert not any(redis.get(key) for key in locks)  # the lock is handed over now, not in a minute

        second = WorkerProcess(web.settings, tmp_path / "second.log")
        wait_until(lambda: received(far.members[0].phone), 30, "the timed-out offer to move on")
        assert db.session.scalar(select(Request.ref)) in received(far.members[0].phone)[0]
    finally:
        first.stop()
        if second is not None:
            second.stop()
        web.stop()
