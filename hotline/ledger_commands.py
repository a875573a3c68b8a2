"""The ledger commands: `flask --app wsgi export-ledgers OUT_DIR [--place CODE] [--since] [--until]` writes the
notice's five workbooks; `flask --app wsgi send-digest` sends each leader the daily digest now."""
import zoneinfo
from datetime import datetime
from pathlib import Path

import click
from sqlalchemy import select
from flask import current_app
from flask.cli import with_appcontext

from dispatch.ledgers import digest
from dispatch.ledgers.export import write_ledgers
from dispatch.ledgers.period import LedgerError, place_scope, read_period
from dispatch.register.access import record_access
from dispatch.runtime.unit_of_work import run_and_commit, utcnow
from models import Place, db


def init_app(app) -> None:
    """Register the ledger commands on `app`."""
    app.cli.add_command(export_ledgers_command)
    app.cli.add_command(send_digest_command)


@click.command("export-ledgers")
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--place", help="A place's roster code: that place and everything under it (default: all).")
@click.option("--since", help="First day, YYYY-MM-DD (default: the first of the month of --until, or of today).")
@click.option("--until", help="Last day, YYYY-MM-DD (default: the last of the month of --since, or of today).")
@with_appcontext
def export_ledgers_command(out_dir: Path, place: str | None, since: str | None, until: str | None) -> None:
    """Write the five ledgers (团队统计表 … 应急值班安排表) as .xlsx workbooks into OUT_DIR."""
    zone = zoneinfo.ZoneInfo(current_app.config["TIMEZONE"])
    try:
        period = read_period(since, until, datetime.now(zone).date(), zone)
        scope, place_name = place_scope(db.session, place)
        written = write_ledgers(db.session, out_dir, scope, period, place_name)
    except LedgerError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        raise SystemExit(2)
    except OSError as error:
        db.session.rollback()
        click.echo(f"Cannot write into {out_dir}: {error.strerror or error}.", err=True)
        raise SystemExit(1)
    db.session.rollback()  # the export reads only; what it wrote is the access record's one row
    # The ledgers carry the register's people: every export is recorded (dispatch/register/access.py).
    place_id = db.session.scalar(select(Place.id).where(Place.code == place.strip())) if place else None
    record_access(db.session, None, "ledgers:all", place_id, now=utcnow())
    db.session.commit()
    click.echo(f"Wrote the ledgers of {place_name}, {period.since} to {period.until}:")
    for path in written:
        click.echo(f"  {path}")


@click.command("send-digest")
@with_appcontext
def send_digest_command() -> None:
    """Send each gacha secretary and township leader the daily digest now, by SMS."""
    config = current_app.config
    count = run_and_commit(lambda s, now: digest.send_digests(s, now, config, key=now.strftime("%Y%m%dT%H%M%S")))
    click.echo(f"The digest is on its way to {count} leader{'s' if count != 1 else ''} "
               "(the worker sends the SMS).")
