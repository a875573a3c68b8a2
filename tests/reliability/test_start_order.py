"""Processes in any order: the web app (gunicorn, as deployed), the worker and its sweeper are started before
PostgreSQL and Redis exist, live through a restart of each, and carry on by themselves each time they come
back. No supervisor restarts anything here: the same processes, the same pids, from start to end."""
import time
from collections import Counter

import flask_migrate
import pytest
from sqlalchemy import select

from hotline import create_app
from models import HouseholdPhone, Request, RequestStatus, db
from tests.factories import Factory
from tests.support.stack import PostgresCluster, RedisServer, WebProcess, WorkerProcess, descendants, wait_until

from .conftest import twilio_settings

HERDERS = [f"+86135{n:08d}" for n in range(1, 6)]  # not the factory's +86139…, which the member gets


def health(web):
    answer = web.get("/healthz")
    return None if answer is None else (answer.status_code, answer.json())


def seed(phones):
    """One gacha, an on-duty team of one, and a household for each phone; returns the member's phone."""
    make = Factory(db.session)
    gacha = make.gacha()
    member = make.team(place=gacha, members=1).members[0].phone
    for phone in phones:
        make.household(place=gacha).phones[0].phone = phone
    db.session.commit()
    assert db.session.scalar(select(HouseholdPhone.phone).where(HouseholdPhone.phone == phones[0]))
    return member


def offered(count):
    def check():
        db.session.expire_all()
        try:
            found = [r.status for r in db.session.scalars(select(Request))]
        except Exception:  # the database is coming back
            db.session.rollback()
            return False
        return found == [RequestStatus.offered] * count
    return check


def test_web_worker_and_sweeper_start_before_postgres_and_redis_and_outlive_their_restarts(fake_twilio, tmp_path):
    pg = PostgresCluster()
    if not pg.available:
        pytest.skip("PostgreSQL server binaries and runuser are needed to run a cluster of the test's own")
    pg.init()  # made, not started: nothing listens on its port yet
    redis = RedisServer(tmp_path)  # its port chosen, nothing listening
    settings = twilio_settings(fake_twilio, DATABASE_URL=pg.url, REDIS_URL=redis.url, SWEEP_SECONDS=1,
                               INSTANCE_DIR=str(tmp_path))
    web = WebProcess(settings, tmp_path / "web.log")
    worker = WorkerProcess(web.settings, tmp_path / "worker.log")
    try:
        # Both up before their database and Redis: the web answers, honestly, and keeps what it is sent.
        wait_until(lambda: health(web) is not None, 30, "gunicorn to answer")
        status, parts = health(web)
        assert status == 503 and parts["redis"] == "unreachable" and parts["database"].startswith("error")
        early = web.post_sms(HERDERS[0], "送药")
        assert early.status_code == 200 and "稍后把求助编号发给您" in early.text  # spooled to disk
        time.sleep(3)
        assert web.process.poll() is None and worker.process.poll() is None
        gunicorn_workers, helpers = set(descendants(web.process.pid)), set(descendants(worker.process.pid))
        assert len(helpers) == 2  # the scheduler and the sweeper

        # PostgreSQL and Redis come up (the schema as at a release): everything carries on by itself.
        pg.start()
        redis.start()
        app = create_app(web.settings)
        with app.app_context():
            flask_migrate.upgrade()
            member = seed(HERDERS)
            wait_until(lambda: health(web) == (200, {"database": "ok", "redis": "ok"}), 30, "a healthy /healthz")
            assert "编号" in web.post_sms(HERDERS[1], "送药").text  # ...and the spooled text is replayed
            wait_until(offered(2), 60, "both requests offered by the worker")

            redis.stop()  # a Redis restart, empty: whatever was queued is gone
            assert "编号" in web.post_sms(HERDERS[2], "送药").text
            redis.start()
            wait_until(offered(3), 60, "the sweep to offer what Redis lost")

            pg.stop()  # a PostgreSQL restart
            assert "稍后把求助编号发给您" in web.post_sms(HERDERS[3], "送药").text
            pg.start()
            assert "编号" in web.post_sms(HERDERS[4], "送药").text
            wait_until(offered(5), 60, "every request offered after the restarts")
            wait_until(lambda: sum(m["to"] == member for m in fake_twilio.messages) >= 5, 30, "five offer SMS")
            wait_until(lambda: sum(m["to"] in (HERDERS[0], HERDERS[3]) for m in fake_twilio.messages) >= 2, 30,
                       "the spooled herders' references by SMS")
            db.session.remove()

        # The same processes all along: nobody restarted them.
        assert web.process.poll() is None and worker.process.poll() is None
        assert gunicorn_workers <= set(descendants(web.process.pid))  # not even gunicorn's own workers
        assert helpers <= set(descendants(worker.process.pid))  # the scheduler and sweeper lived through it all
        offers = Counter(m["to"] for m in fake_twilio.messages if m["to"] == member)
        assert offers[member] == 5  # each request offered once
        late = [m["body"] for m in fake_twilio.messages if m["to"] in (HERDERS[0], HERDERS[3])]
        assert len(late) == 2 and all("编号" in body for body in late)  # the spooled herders got their reference
    finally:
        worker.stop()
        web.stop()
        redis.stop()
        if pg.dir.exists():
            try:
                pg.stop()
            except Exception:
                pass
            pg.remove()
        print(web.log()[-3000:], worker.log()[-3000:])
