"""Storm surge: herders text at R a second for D seconds against the real stack; how soon does each offer go out?

    createdb -h 127.0.0.1 -U postgres test_bench_surge
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_bench_surge python -m bench.surge [--seconds 60]

The stack: gunicorn (-w 2 --threads 4) serving wsgi:app, `--workers` real `python worker.py` processes,
PostgreSQL (DATABASE_URL, emptied: its name must contain "test"), a redis-server of its own, and the local
Twilio stand-in answering every API call after `--delay` seconds (a real provider's latency, 300 ms by default).
A roster of `--teams` teams (3 members each) on duty in one gacha, spread over about 50 km, one household per
text; the households are spread over the same ground (a storm over a banner: each herder's nearest team differs),
or with `--one-place` all at one spot (the worst case: every request ranks the same teams and one team gets every
offer, so its members' histories, and the queries over them, grow with the surge).

It prints: every text answered with a reference, requests lost, SMS doubled, the first SMS for each request
after intake (p50/p95/max: the offer, or the leaders' SMS when no team was left), the webhook's latency, and
the jobs the workers ran a second. Bounded: after the surge it waits at most `--settle` seconds.
"""
import argparse
import random
import re
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rq import Worker
from sqlalchemy import func, select, text

from bench import bench_database_url, empty_and_migrate
from hotline import create_app
from models import OutboundMessage, OutboundStatus, Request, RequestStatus, db
from tests.conftest import _settings
from tests.factories import Factory
from tests.support.fake_twilio import DEFAULT_PROCESS_DELAY_SECONDS, FakeTwilio
from tests.support.stack import RedisServer, WebProcess, WorkerProcess, wait_until

REFERENCE = re.compile(r"\d{4,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20, help="texts a second (default 20)")
    parser.add_argument("--seconds", type=float, default=300, help="length of the surge (default 300)")
    parser.add_argument("--teams", type=int, default=600, help="teams on duty (default 600)")
    parser.add_argument("--workers", type=int, default=2, help="python worker.py processes (default 2)")
    parser.add_argument("--delay", type=float, default=DEFAULT_PROCESS_DELAY_SECONDS,
                        help="the Twilio stand-in's answer delay in seconds (default 0.3)")
    parser.add_argument("--settle", type=float, default=120, help="wait at most this long after the surge")
    parser.add_argument("--one-place", action="store_true",
                        help="every household at one spot (one team gets every offer) instead of spread out")
    args = parser.parse_args()
    url = bench_database_url(parser)
    texts = int(args.rate * args.seconds)
    work = Path(tempfile.mkdtemp(prefix="hotline-surge-"))
    fake = FakeTwilio().start()
    fake.delay(args.delay)
    redis = RedisServer(work).start()
    settings = _settings(SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=fake.account_sid, TWILIO_AUTH_TOKEN=fake.auth_token,
                         TWILIO_API_BASE=fake.base_url, REDIS_URL=redis.url, DATABASE_URL=url, INSTANCE_DIR=str(work),
                         OFFER_TIMEOUT_SECONDS=3600, SMS_DAILY_BUDGET=100_000)
    app = create_app(settings)
    herders = _load_roster(app, args.teams, texts, one_place=args.one_place)
    web = WebProcess(settings, work / "web.log", workers=2, threads=4)
    wait_until(lambda: (r := web.get("/healthz")) is not None and r.status_code < 500, 30, "gunicorn to answer")
    workers = [WorkerProcess(web.settings, work / f"worker{n}.log") for n in range(args.workers)]
    wait_until(lambda: len(Worker.all(connection=app.extensions["hotline.queue"].connection)) >= args.workers,
               30, "the workers to listen")
    print(f"surge: {texts} texts at {args.rate:g}/s for {args.seconds:g}s; {args.teams} teams on duty; "
          f"herders {'at one place' if args.one_place else 'spread out'}; "
          f"{args.workers} workers; provider answers in {args.delay * 1000:.0f} ms; logs in {work}", flush=True)
    answers, started = _surge(web, herders, args.rate)
    surge_end = time.monotonic()
    with app.app_context():
        try:
            wait_until(lambda: _unsettled(app) == 0, args.settle, "every request offered and every SMS sent")
        except AssertionError as error:
            print(error)
        settled_after = time.monotonic() - surge_end
        jobs = sum(w.successful_job_count + w.failed_job_count
                   for w in Worker.all(connection=app.extensions["hotline.queue"].connection))
        _report(app, fake, herders, answers, texts, jobs, time.monotonic() - started, settled_after)
    for worker in workers:
        worker.stop()
    web.stop()
    redis.stop()
    fake.stop()


def _load_roster(app, teams: int, households: int, one_place: bool = False) -> list[str]:
    """An empty database, migrated, with `teams` teams on duty in one gacha and a household per text: spread
    over the teams' ground (the same spots on every run), or all at one spot."""
    rng = random.Random(11)
    with app.app_context():
        empty_and_migrate(db)
        make = Factory(db.session)
        gacha = make.gacha()
        for n in range(teams):  # spread over about 50 km, so the ranking has distances to weigh
            make.team(place=gacha, lat=38 + (n % 25) / 50, lon=108 + (n // 25) / 50, members=3)
        north, east = 38 + min(teams, 25) / 50, 108 + (teams + 24) // 25 / 50
        spots = [(38.2, 108.2) if one_place else (rng.uniform(38, north), rng.uniform(108, east))
                 for _ in range(households)]
        herders = [make.household(place=gacha, lat=lat, lon=lon).phones[0].phone for lat, lon in spots]
        db.session.commit()
        db.session.remove()
    return herders


def _surge(web, herders: list[str], rate: float):
    """Post one signed text per herder, at `rate` a second on a fixed schedule (a slow answer does not slow it)."""
    answers: dict[str, tuple[int, str, float]] = {}
    lock = threading.Lock()

    def post(phone: str):
        began = time.monotonic()
        try:
            response = web.post_sms(phone, "1")
            outcome = (response.status_code, response.text, time.monotonic() - began)
        except Exception as error:  # a refused or timed-out connection counts as unanswered
            outcome = (0, repr(error), time.monotonic() - began)
        with lock:
            answers[phone] = outcome

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for n, phone in enumerate(herders):
            time.sleep(max(0.0, started + n / rate - time.monotonic()))
            pool.submit(post, phone)
    return answers, started


def _unsettled(app) -> int:
    """Requests not yet offered or escalated, plus SMS not yet handed to the provider."""
    db.session.expire_all()
    waiting = db.session.scalar(select(func.count()).select_from(Request).where(
        Request.status == RequestStatus.received))
    unsent = db.session.scalar(select(func.count()).select_from(OutboundMessage).where(
        OutboundMessage.status.in_((OutboundStatus.pending, OutboundStatus.sending))))
    return waiting + unsent


def _report(app, fake, herders, answers, texts, jobs, wall, settled_after) -> None:
    received = {m["sid"]: m["time"] for m in fake.messages}
    requests = db.session.scalars(select(Request)).all()
    by_phone = {r.caller_phone: r for r in requests}
    first_sms, statuses = [], Counter(str(r.status) for r in requests)
    out: dict[int, list[float]] = {}
    for message in db.session.scalars(select(OutboundMessage).where(OutboundMessage.request_id.is_not(None))):
        if message.provider_sid in received and message.status != OutboundStatus.replied:
            out.setdefault(message.request_id, []).append(received[message.provider_sid])
    for request in requests:
        if request.id in out:
            first_sms.append(min(out[request.id]) - request.created_at.timestamp())
    answered = sum(1 for code, body, _ in answers.values() if code == 200 and REFERENCE.search(body))
    copies = Counter((m["to"], m["body"]) for m in fake.messages)
    doubled = sum(count - 1 for count in copies.values() if count > 1)
    webhook = sorted(seconds for _, _, seconds in answers.values())
    print(f"texts posted: {texts}; answered with a reference: {answered}; non-2xx: "
          f"{sum(1 for code, _, _ in answers.values() if not 200 <= code < 300)}")
    print(f"webhook latency: p50 {_pct(webhook, 50) * 1000:.0f} ms, p95 {_pct(webhook, 95) * 1000:.0f} ms, "
          f"p99 {_pct(webhook, 99) * 1000:.0f} ms")
    print(f"requests stored: {len(requests)}; lost: {sum(1 for p in herders if p not in by_phone)}; "
          f"by status: {dict(statuses)}")
    print(f"SMS handed to the provider: {len(fake.messages)}; doubled: {doubled}; "
          f"still unsent: {_unsettled(app)}; settled {settled_after:.1f}s after the surge ended")
    if first_sms:
        first_sms.sort()
        print(f"first SMS after intake ({len(first_sms)} of {len(requests)} requests): "
              f"p50 {_pct(first_sms, 50):.2f}s, p95 {_pct(first_sms, 95):.2f}s, max {first_sms[-1]:.2f}s")
    print(f"jobs run: {jobs}, {jobs / wall:.1f} a second over {wall:.0f}s")


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1] if len(values) > 1 else values[0]


if __name__ == "__main__":
    main()
