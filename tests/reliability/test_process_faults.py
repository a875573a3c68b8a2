"""Faults caused for real: Redis stopped, a worker SIGKILLed mid-send, PostgreSQL restarted under a worker.
Every request ends where it should; no SMS leaves twice."""
import os
import time
from collections import Counter

import flask_migrate
import pytest
from sqlalchemy import select

from hotline import create_app
from models import OutboundMessage, OutboundStatus, Request, RequestStatus, db
from tests.factories import Factory
from tests.support.stack import PostgresCluster, RedisServer, ServedApp, WorkerProcess, wait_until

from .conftest import twilio_settings


def statuses():
    db.session.expire_all()
    return [r.status for r in db.session.scalars(select(Request).order_by(Request.id))]


def seed_roster(households=5):
    """One gacha, one on-duty team with one member, and `households` herders; returns their phones."""
    make = Factory(db.session)
    gacha = make.gacha()
    member = make.team(place=gacha, members=1).members[0].phone
    phones = [make.household(place=gacha).phones[0].phone for _ in range(households)]
    db.session.commit()
    return member, phones


def test_redis_down_while_texts_arrive(app, ctx, fake_twilio, tmp_path):
    redis = RedisServer(tmp_path).start()
    web = ServedApp(twilio_settings(fake_twilio, REDIS_URL=redis.url, SWEEP_SECONDS=1, INSTANCE_DIR=str(tmp_path)))
    member, herders = seed_roster(5)
    worker = WorkerProcess(web.settings, tmp_path / "worker.log")  # running all along: it must outlive the outage
    redis.stop()
    answers = [web.post_sms(phone, "送药") for phone in herders]
    refs = list(db.session.scalars(select(Request.ref).order_by(Request.id)))
    assert [a.status_code for a in answers] == [200] * 5
    assert all(f"编号{ref}" in a.text for a, ref in zip(answers, refs))  # every herder has a reference
    assert statuses() == [RequestStatus.received] * 5

    redis.start()  # same port, empty: every job that was to be enqueued is gone
    try:
        wait_until(lambda: statuses() == [RequestStatus.offered] * 5, 30, "the sweep to offer every request")
        wait_until(lambda: len(fake_twilio.messages) == 5, 20, "five offer SMS")
        assert worker.process.poll() is None  # the same worker, still running
    finally:
        worker.stop()
        web.stop()
        redis.stop()
    offers_per_ref = Counter(ref for m in fake_twilio.messages for ref in refs if ref in m["body"])
    assert offers_per_ref == {ref: 1 for ref in refs}  # each request offered once, nothing doubled


def test_worker_killed_while_sending_sends_no_second_copy(app, ctx, fake_twilio, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (make test sets it)")
    web = ServedApp(twilio_settings(fake_twilio, REDIS_URL=os.environ["REDIS_URL"], SWEEP_SECONDS=1,
                                    SEND_TIMEOUT_SECONDS=2, INSTANCE_DIR=str(tmp_path)))
    member, [herder] = seed_roster(1)
    fake_twilio.hang_after_create(60)  # Twilio takes the offer SMS, then the worker waits for its answer...
    worker = WorkerProcess(web.settings, tmp_path / "worker1.log")
    web.post_sms(herder, "1")
    fake_twilio.wait_for_messages(1, timeout=20)
    worker.kill()  # ...and dies before hearing it
    fake_twilio.hang_after_create(0)
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == member))
    assert message.status == OutboundStatus.sending and message.provider_sid is None

    again = WorkerProcess(web.settings, tmp_path / "worker2.log")
    try:
        wait_until(lambda: db.session.get(OutboundMessage, message.id, populate_existing=True).status
                   == OutboundStatus.sent, 30, "the restarted worker to settle the message")
    finally:
        again.stop()
        web.stop()
        print(worker.log()[-2000:], again.log()[-4000:])
    assert [m["to"] for m in fake_twilio.messages] == [member]  # one copy, not two
    assert message.provider_sid == fake_twilio.messages[0]["sid"]
    assert "found" in [h.error_code for h in message.history]


def test_postgres_restart_under_a_running_worker(fake_twilio, tmp_path):
    pg = PostgresCluster()
    if not pg.available:
        pytest.skip("PostgreSQL server binaries and runuser are needed to run a cluster of the test's own")
    pg.init().start()
    redis = RedisServer(tmp_path).start()
    settings = twilio_settings(fake_twilio, DATABASE_URL=pg.url, REDIS_URL=redis.url, SWEEP_SECONDS=1,
                               OFFER_TIMEOUT_SECONDS=2, MAX_OFFERS=1, INSTANCE_DIR=str(tmp_path))
    app = create_app(settings)
    web = worker = None
    try:
        with app.app_context():
            flask_migrate.upgrade()
            member, herders = seed_roster(4)
            web = ServedApp(settings)
            worker = WorkerProcess(web.settings, tmp_path / "worker.log")
            before = [web.post_sms(phone, "1") for phone in herders[:2]]
            assert all("编号" in a.text for a in before)
            pg.stop()  # offers are out; their timeouts fire while the database is gone
            during = [web.post_sms(phone, "2") for phone in herders[2:]]
            assert [a.status_code for a in during] == [200, 200]
            assert all("稍后把求助编号发给您" in a.text for a in during)  # kept on disk, told honestly
            time.sleep(3)
            pg.start()
            web.post_sms(herders[0], "还没来")  # the next webhook replays what was spooled
            wait_until(lambda: statuses() == [RequestStatus.escalated] * 4, 60, "every request escalated")
            wait_until(lambda: sum(1 for m in fake_twilio.messages if m["to"] in herders[2:]) >= 4, 30,
                       "the spooled herders' late answers and escalation texts")
            late = [m["body"] for m in fake_twilio.messages if m["to"] in herders[2:] and "编号" in m["body"]]
            refs = {r.caller_phone: r.ref for r in db.session.scalars(select(Request))}
            assert all(any(refs[phone] in body for body in late) for phone in herders[2:])
            offers_to_member = Counter(m["body"] for m in fake_twilio.messages if m["to"] == member)
            assert len(offers_to_member) == 4 and set(offers_to_member.values()) == {1}
    finally:
        for part in (worker, web):
            if part is not None:
                part.stop()
        redis.stop()
        pg.stop()
        pg.remove()
