"""Scale-out: two `python worker.py` processes on one PostgreSQL and one Redis share a burst of requests, and
every offer SMS leaves exactly once (each job is claimed in the database, not by which process takes it)."""
import os
from collections import Counter

import pytest
from sqlalchemy import select

from models import Request, RequestStatus, db
from tests.factories import Factory
from tests.support.stack import ServedApp, WorkerProcess, wait_until

from .conftest import twilio_settings

BURST = 12


def test_two_workers_share_a_burst_and_no_offer_leaves_twice(app, ctx, fake_twilio, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (make test sets it)")
    web = ServedApp(twilio_settings(fake_twilio, REDIS_URL=os.environ["REDIS_URL"], SWEEP_SECONDS=1,
                                    INSTANCE_DIR=str(tmp_path)))
    make = Factory(db.session)
    gacha = make.gacha()
    for n in range(BURST):  # one one-member team per request, spread so each request has its own nearest team
        make.team(place=gacha, lat=38.0 + n * 0.05, lon=108.0)
    herders = [make.household(place=gacha, lat=38.0 + n * 0.05, lon=108.01).phones[0].phone for n in range(BURST)]
    db.session.commit()
    fake_twilio.delay(0.2)  # a provider that takes its time, so the two workers' jobs overlap
    workers = [WorkerProcess(web.settings, tmp_path / f"worker{n}.log") for n in (1, 2)]
    try:
        answers = [web.post_sms(phone, "送药") for phone in herders]
        assert [a.status_code for a in answers] == [200] * BURST
        refs = list(db.session.scalars(select(Request.ref).order_by(Request.id)))

        def offered():
            db.session.expire_all()
            return [r.status for r in db.session.scalars(select(Request))] == [RequestStatus.offered] * BURST

        wait_until(offered, 60, "both workers to offer every request")
        wait_until(lambda: len(fake_twilio.messages) >= BURST, 30, "an offer SMS for every request")
        assert all(w.process.poll() is None for w in workers)  # both still running
    finally:
        for worker in workers:
            worker.stop()
        web.stop()
    offers_per_ref = Counter(ref for m in fake_twilio.messages for ref in refs if ref in m["body"])
    assert offers_per_ref == {ref: 1 for ref in refs}
