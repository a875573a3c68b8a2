"""Fault soak: texts keep arriving while Redis is stopped, Twilio fails and workers are SIGKILLed.
Counts what a herder would notice: requests lost, SMS doubled.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_bench_soak python -m bench.fault_soak [--requests 120]

It uses (and empties) the database named by DATABASE_URL, a redis-server and a fake Twilio of its own.
Bounded: it stops after --requests texts and a fixed wait for the system to settle.
"""
import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select, text

from bench import bench_database_url, empty_and_migrate
from hotline import create_app
from models import OutboundMessage, Request, RequestStatus, db
from tests.conftest import _settings
from tests.factories import Factory
from tests.support.fake_twilio import FakeTwilio
from tests.support.stack import RedisServer, ServedApp, WorkerProcess, wait_until


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = bench_database_url(parser)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="hotline-soak-"))
    fake = FakeTwilio().start()
    redis = RedisServer(work).start()
    settings = _settings(SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=fake.account_sid, TWILIO_AUTH_TOKEN=fake.auth_token,
                         TWILIO_API_BASE=fake.base_url, REDIS_URL=redis.url, SWEEP_SECONDS=1,
                         SEND_TIMEOUT_SECONDS=2, SEND_RETRY_DELAYS="1,2,4,8", OFFER_TIMEOUT_SECONDS=600,
                         SMS_DAILY_BUDGET=10_000,  # every offer goes to the same two members here
                         DATABASE_URL=url, INSTANCE_DIR=str(work))
    app = create_app(settings)
    with app.app_context():
        empty_and_migrate(db)
        make = Factory(db.session)
        gacha = make.gacha()
        teams = [make.team(place=gacha, lat=38 + i / 50, lon=108.0, members=2) for i in range(6)]
        herders = [make.household(place=gacha).phones[0].phone for _ in range(args.requests)]
        members = {m.phone for t in teams for m in t.members}
        db.session.commit()
    web = ServedApp(settings)
    workers = [WorkerProcess(web.settings, work / "worker0.log")]
    faults, answered, started = Counter(), 0, time.monotonic()
    for n, phone in enumerate(herders):
        roll = rng.random()
        if roll < 0.05 and redis.process is not None:
            redis.stop()
            faults["redis stopped"] += 1
        elif roll < 0.10 and redis.process is None:
            redis.start()
        elif roll < 0.14:
            fake.fail_next(status=rng.choice([500, 503, 429]), code=20500, count=rng.randint(1, 3))
            faults["twilio 5xx/429 burst"] += 1
        elif roll < 0.16:
            workers[-1].kill()
            workers.append(WorkerProcess(web.settings, work / f"worker{len(workers)}.log"))
            faults["worker SIGKILL"] += 1
        elif roll < 0.18:
            fake.hang_after_create(3)  # Twilio takes the next SMS, the worker times out
            faults["twilio timeout after taking"] += 1
        elif roll < 0.25:
            fake.hang_after_create(0)
        response = web.post_sms(phone, rng.choice(["1", "送药", "2 发烧", "家里停电了", "эм хэрэгтэй", "9"]))
        answered += response.status_code == 200 and "编号" in response.text
        time.sleep(0.02)
    if redis.process is None:
        redis.start()
    fake.hang_after_create(0)
    with app.app_context():
        def settled():
            db.session.expire_all()
            waiting = db.session.scalar(select(db.func.count()).select_from(Request).where(
                Request.status != RequestStatus.offered))
            unsent = db.session.scalar(select(db.func.count()).select_from(OutboundMessage).where(
                OutboundMessage.status.in_(("pending", "sending"))))
            return waiting == 0 and unsent == 0
        try:
            wait_until(settled, 240, "every request offered and every SMS sent")
        except AssertionError as error:
            print(error)
        refs = {r.caller_phone: r.ref for r in db.session.scalars(select(Request))}
        offered = sum(1 for r in db.session.scalars(select(Request)) if r.status == RequestStatus.offered)
        unsent = db.session.scalar(select(db.func.count()).select_from(OutboundMessage).where(
            OutboundMessage.status.in_(("pending", "sending"))))
    wait_until(lambda: True, 1)
    copies = Counter((m["to"], m["body"]) for m in fake.messages if m["to"] in members)
    doubled = sum(count - 1 for count in copies.values() if count > 1)
    lost = len([p for p in herders if p not in refs])
    for worker in workers:
        worker.stop()
    web.stop()
    redis.stop()
    fake.stop()
    print(f"texts sent: {len(herders)}; answered with a reference at once: {answered}")
    print(f"faults injected: {sum(faults.values())} ({dict(faults)})")
    print(f"requests stored: {len(refs)}; offered within the wait: {offered}; requests lost: {lost}")
    print(f"offer SMS received by members: {sum(copies.values())}; SMS doubled: {doubled}; still unsent: {unsent}")
    print(f"wall time: {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
