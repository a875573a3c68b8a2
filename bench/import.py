"""Importing a league-size roster: seconds and peak memory of `flask --app wsgi import-roster` on a CSV folder.

    createdb -h 127.0.0.1 -U postgres test_bench_import
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_bench_import python -m bench.import [--households 100000]

It writes a league (bench/league.py: 3,734 teams, 11,202 members, 100,000 households by default) to a temporary
folder, empties and migrates DATABASE_URL (its name must contain "test"), then runs the import command as an
operator does, in a process of its own, and prints its wall time and peak resident memory (the kernel's
figure for that process), then imports the same folder again (every row unchanged) and prints those too.
Targets: under 60 s and under 1 GiB.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from bench import bench_database_url, empty_and_migrate
from bench.league import write_league
from hotline import create_app
from models import db
from tests.conftest import _settings
from tests.support.stack import ROOT, environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=3734)
    parser.add_argument("--members", type=int, default=11202)
    parser.add_argument("--households", type=int, default=100_000)
    args = parser.parse_args()
    url = bench_database_url(parser)
    work = Path(tempfile.mkdtemp(prefix="hotline-import-"))
    counts = write_league(work / "roster", teams=args.teams, members=args.members, households=args.households)
    print("roster:", ", ".join(f"{name} {n:,}" for name, n in counts.items()), flush=True)
    settings = _settings(DATABASE_URL=url, REDIS_URL=None, INSTANCE_DIR=str(work))
    with create_app(settings).app_context():
        empty_and_migrate(db)
        db.session.remove()
    for label in ("first import", "again, unchanged"):
        seconds, peak_kib, output = _run(settings, work / "roster")
        print(f"{label}: {seconds:.1f} s, peak RSS {peak_kib / 1024:.0f} MiB "
              f"(targets: < 60 s, < 1024 MiB)", flush=True)
        print("  " + "\n  ".join(line for line in output.splitlines() if line.strip()), flush=True)


def _run(settings, folder: Path) -> tuple[float, int, str]:
    """Run the import command; its wall time, its peak resident memory in KiB, and what it printed on stdout."""
    env = dict(environment(settings), SMS_BACKEND="console")
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "import-roster", str(folder)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"the import failed (status {status}):\n{output}")
    return time.monotonic() - began, usage.ru_maxrss, output


if __name__ == "__main__":
    main()
