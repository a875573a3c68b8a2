"""The SMS webhook under load beside a bare route, a floor and a hand-written lean intake, under one gunicorn and wrk.

    apt-get install -y wrk
    createdb -h 127.0.0.1 -U postgres test_bench_webhook
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_bench_webhook python -m bench.webhook [--seconds 15]

All four run as `gunicorn -w 2 --threads 4`, each with the app's settings:
- `wsgi:app`, the hotline, on PostgreSQL (DATABASE_URL, emptied: its name must contain "test") and a
  redis-server of its own;
- `bench.bare_app:app`, which returns the same TwiML and touches nothing: the ceiling;
- `bench.floor_app:app`, which checks the signature, stores the raw form with one INSERT and pushes its id to
  Redis, reading nothing: the floor, the least an intake that stores before it answers can do;
- `bench.lean_app:app`, the hotline's intake of a herder's first need written by hand in two SQL statements
  and no ORM (who the phone is; the request, message, event and answer in one transaction), then RQ: how fast
  any intake that keeps design.md's rules can go on this stack.
wrk drives each in turn (not at once: they would share the two cores) at `--connections` (50) with
bench/webhook.lua, posting correctly signed Twilio forms: each a household of the roster texting "1" for the
first time, a MessageSid of its own. It prints, for each: requests a second, p50 and p99, non-2xx; and the
shares of the bare ceiling. Nothing sends SMS here (no worker runs): the queues only fill.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text
from twilio.request_validator import RequestValidator
from urllib.parse import urlencode

from bench import bench_database_url, empty_and_migrate, floor_app
from hotline import create_app
from models import db
from tests.conftest import _settings
from tests.factories import Factory
from tests.support.stack import ROOT, RedisServer, WebProcess, environment, free_port, wait_until

LUA = Path(__file__).with_name("webhook.lua")
WRK_THREADS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="how long wrk drives each server (default 15)")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--households", type=int, default=30_000,
                        help="herders on the roster, one text each (default 30,000; more than the app can take)")
    args = parser.parse_args()
    url = bench_database_url(parser)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    work = Path(tempfile.mkdtemp(prefix="hotline-webhook-"))
    redis = RedisServer(work).start()
    settings = _settings(REDIS_URL=redis.url, DATABASE_URL=url, INSTANCE_DIR=str(work), SMS_DAILY_BUDGET=100_000)
    phones = _load_roster(create_app(settings), args.households)
    web = WebProcess(settings, work / "web.log", workers=2, threads=4)
    bare = _plain_server("bench.bare_app:app", settings, work / "bare.log")
    floor = _plain_server("bench.floor_app:app", settings, work / "floor.log")
    lean = _plain_server("bench.lean_app:app", settings, work / "lean.log")
    try:
        wait_until(lambda: (r := web.get("/healthz")) is not None and r.status_code < 500, 30, "gunicorn to answer")
        wait_until(lambda: _answers(bare), 30, "the bare route to answer")
        wait_until(lambda: _answers(floor), 30, "the floor route to answer")
        wait_until(lambda: _answers(lean), 30, "the lean route to answer")
        print(f"webhook: wrk -t{WRK_THREADS} -c{args.connections} -d{args.seconds}s, gunicorn -w 2 --threads 4 "
              f"each; {len(phones)} herders, each texting once; logs in {work}", flush=True)
        results = {}
        # The hotline and the lean route store requests in the same tables: the lean one takes the herders from
        # the far end of the roster, so no herder of either has a request open already.
        for name, base, herders in (("bare Flask", bare[0], phones), ("floor", floor[0], phones),
                                    ("/twilio/sms", web.base_url, phones), ("lean", lean[0], phones[::-1])):
            bodies = _signed_bodies(work / f"bodies-{len(results)}.lua", base, web.settings, herders, len(results))
            results[name] = _wrk(base, bodies, args.seconds, args.connections)
            print(f"{name:>12}: {results[name]['rps']:8.1f} req/s, p50 {results[name]['p50']:7.1f} ms, "
                  f"p99 {results[name]['p99']:7.1f} ms, non-2xx {results[name]['non2xx']}, "
                  f"socket errors {results[name]['errors']}", flush=True)
        ceiling = results["bare Flask"]["rps"]
        print("share of the bare ceiling: " + ", ".join(
            f"{name} {results[name]['rps'] / ceiling:.1%}" for name in ("floor", "lean", "/twilio/sms"))
            + " (target for /twilio/sms: >= 20%, p99 < 100 ms, no non-2xx)")
    finally:
        web.stop()
        for _, process in (bare, floor, lean):
            process.terminate()
            process.wait(timeout=30)
        redis.stop()


def _load_roster(app, households: int) -> list[str]:
    """An empty database, migrated, with one gacha, 50 teams on duty and `households` herders (bulk SQL)."""
    with app.app_context():
        empty_and_migrate(db)
        make = Factory(db.session)
        gacha = make.gacha()
        for n in range(50):
            make.team(place=gacha, lat=38 + n / 100, lon=108, members=3)
        db.session.commit()
        db.session.execute(text(
            "INSERT INTO household (ref, head_name, place_id, lat, lon, language, needs) "
            "SELECT 'W' || g, '巴特尔', :place, 38.2, 108.2, 'zh', '' FROM generate_series(1, :n) g"),
            {"place": gacha.id, "n": households})
        db.session.execute(text(
            "INSERT INTO household_phone (household_id, phone) "
            "SELECT id, '+86158' || lpad(id::text, 8, '0') FROM household WHERE ref LIKE 'W%'"))
        db.session.execute(text(f"CREATE TABLE {floor_app.TABLE} (id serial PRIMARY KEY, sid text UNIQUE, "
                                "from_phone text, body text, form jsonb, received_at timestamptz DEFAULT now())"))
        db.session.commit()
        phones = list(db.session.scalars(text("SELECT phone FROM household_phone ORDER BY id")))
        db.session.remove()
    return phones


def _plain_server(app: str, settings, log_path):
    """`app` under the same gunicorn as wsgi:app, with the app's settings (the floor signs for its own URL)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}", app],
        cwd=ROOT, env=environment(dict(settings, PUBLIC_BASE_URL=base)), start_new_session=True,
        stdout=open(log_path, "a"), stderr=subprocess.STDOUT)
    return base, process


def _answers(server) -> bool:
    """Whether the server is up: the bare route answers an empty post, the floor refuses it unsigned."""
    import requests

    try:
        return requests.post(server[0] + "/twilio/sms", timeout=5).status_code in (200, 403)
    except requests.ConnectionError:
        return False


def _signed_bodies(path: Path, base: str, settings, phones, server: int) -> Path:
    """A Lua table of (form body, X-Twilio-Signature): a first "1" from each herder, signed for `base`; the
    MessageSids differ from `server` to server (the floor's and the lean route's rows share the database)."""
    validator, url = RequestValidator(settings["TWILIO_AUTH_TOKEN"]), base + "/twilio/sms"
    lines = ["return {"]
    for n, phone in enumerate(phones):
        form = {"MessageSid": f"SMbench{server}{n:025d}", "AccountSid": settings["TWILIO_ACCOUNT_SID"], "From": phone,
                "To": settings["TWILIO_FROM_NUMBER"], "Body": "1", "NumSegments": "1"}
        lines.append(f'{{"{urlencode(form)}", "{validator.compute_signature(url, form)}"}},')
    path.write_text("\n".join(lines + ["}"]))
    return path


def _wrk(base: str, bodies: Path, seconds: int, connections: int) -> dict:
    """Run wrk with the Lua script; its figures parsed from the --latency report."""
    out = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
         "-s", str(LUA), base + "/twilio/sms"],
        env=dict(os.environ, WEBHOOK_BODIES=str(bodies), WEBHOOK_THREADS=str(WRK_THREADS)),
        capture_output=True, text=True, check=True).stdout

    def latency(pct):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency(50),
            "p99": latency(99), "non2xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1]),
            "errors": errors.group(1) if errors else "none", "raw": out}


if __name__ == "__main__":
    main()
