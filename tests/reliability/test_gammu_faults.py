"""The modem route under real faults: a worker killed after storing an SMS but before marking gammu's inbox
row processed, and our database gone while SMS reach the modem. Nothing is lost, nothing doubled."""
import os

import flask_migrate
import psycopg
import pytest
from sqlalchemy import select

from hotline import create_app
from models import InboundMessage, OutboundMessage, Request, db
from tests.support.gammu_smsd import gammu_settings, gammu_url, smsd, wait_for  # noqa: F401 (fixtures)
from tests.support.stack import PostgresCluster, WorkerProcess

from .test_process_faults import seed_roster

MARKING = "SELECT pid FROM pg_stat_activity WHERE query LIKE 'UPDATE inbox%%' AND wait_event_type = 'Lock'"


def fresh(model):
    db.session.expire_all()
    return list(db.session.scalars(select(model).order_by(model.id)))


@pytest.fixture
def modem_settings(smsd, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (make test sets it)")
    return gammu_settings(smsd.url, REDIS_URL=os.environ["REDIS_URL"], SWEEP_SECONDS=1, INSTANCE_DIR=str(tmp_path))


def test_worker_killed_between_storing_and_marking_loses_and_doubles_nothing(app, ctx, smsd, modem_settings,
                                                                             tmp_path):
    member, [herder] = seed_roster(1)
    smsd.receive(herder, "送药")
    [row] = wait_for(smsd.inbox, what="gammu-smsd to store the SMS")
    # Another session holds the inbox row, so the worker's "processed" mark waits on it after our commit.
    holder = psycopg.connect(smsd.url)
    holder.execute('SELECT 1 FROM inbox WHERE "ID" = %s FOR UPDATE', (row["ID"],))
    worker = WorkerProcess(modem_settings, tmp_path / "worker1.log")
    try:
        wait_for(lambda: fresh(InboundMessage), 30, "the SMS stored on our side")
        wait_for(lambda: smsd.query(MARKING), 10, "the worker to be marking the row")
        worker.kill()  # between the two: stored by us, not marked by gammu
    finally:
        holder.rollback()
        holder.close()
    wait_for(lambda: not smsd.query(MARKING), 10, "the dead worker's mark to be gone")
    assert [r["Processed"] for r in smsd.inbox()] == [False]  # gammu still offers it

    again = WorkerProcess(modem_settings, tmp_path / "worker2.log")
    try:
        wait_for(lambda: [r["Processed"] for r in smsd.inbox()] == [True], 30, "the restarted worker's mark")
        wait_for(lambda: smsd.texts_to(herder) and smsd.texts_to(member), 30, "the answer and the offer")
        smsd.wait_drained()
    finally:
        again.stop()
        print(worker.log()[-2000:], again.log()[-3000:])
    assert len(fresh(InboundMessage)) == 1 and len(fresh(Request)) == 1
    [answer] = smsd.texts_to(herder)  # answered once, not twice
    assert f"编号{fresh(Request)[0].ref}" in answer
    assert len(smsd.texts_to(member)) == 1


def test_sms_reaching_the_modem_while_our_database_is_down_wait_in_its_inbox(smsd, gammu_url, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (make test sets it)")
    pg = PostgresCluster()
    if not pg.available:
        pytest.skip("PostgreSQL server binaries and runuser are needed to run a cluster of the test's own")
    pg.init().start()
    settings = gammu_settings(gammu_url, DATABASE_URL=pg.url, REDIS_URL=os.environ["REDIS_URL"], SWEEP_SECONDS=1,
                              INSTANCE_DIR=str(tmp_path))
    app, worker = create_app(settings), None
    app.extensions["hotline.queue"].connection.flushdb()  # no job of another test's database
    try:
        with app.app_context():
            flask_migrate.upgrade()
            member, herders = seed_roster(3)
            worker = WorkerProcess(settings, tmp_path / "worker.log")
            smsd.receive(herders[0], "送药")
            wait_for(lambda: smsd.texts_to(herders[0]), 30, "the first herder's answer")
            pg.stop()
            for phone in herders[1:]:
                smsd.receive(phone, "家里没电了")
            wait_for(lambda: len(smsd.inbox()) == 3, 15, "gammu-smsd to store both")
            db.session.remove()
            assert [r["Processed"] for r in smsd.inbox()] == [True, False, False]  # kept by gammu meanwhile
            pg.start()
            wait_for(lambda: all(r["Processed"] for r in smsd.inbox()), 60, "both taken once we are back")
            wait_for(lambda: all(smsd.texts_to(p) for p in herders), 30, "every herder answered")
            refs = {r.caller_phone: r.ref for r in db.session.scalars(select(Request))}
            assert sorted(refs) == sorted(herders)
            assert all(f"编号{refs[p]}" in smsd.texts_to(p)[0] for p in herders)
            assert db.session.query(OutboundMessage).filter_by(template="reply").count() == 3
    finally:
        if worker is not None:
            worker.stop()
            print(worker.log()[-3000:])
        pg.stop()
        pg.remove()
