"""Command-line tools for operators: `flask --app wsgi import-roster PATH`, `flask --app wsgi load-demo` (the
ledgers' commands: ledger_commands.py; the contact cards: card_commands.py)."""
import sys
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from dispatch.roster import DEMO_ROSTER, RosterError, import_roster, load_demo
from models import db

LARGE = 2000  # rows in a sheet above which progress is shown


def init_app(app) -> None:
    """Register the roster commands on `app`."""
    app.cli.add_command(import_roster_command)
    app.cli.add_command(load_demo_command)
    from . import card_commands, ledger_commands, register_commands

    ledger_commands.init_app(app)
    card_commands.init_app(app)
    register_commands.init_app(app)


class ProgressBars:
    """click's progress bar for each large sheet as it is written (on stderr, so the summary stays clean)."""

    def __init__(self):
        self.bar, self.sheet, self.done = None, None, 0

    def __call__(self, sheet: str, done: int, total: int) -> None:
        """The import's progress callback: `done` of `total` rows of `sheet` written."""
        if total < LARGE:
            return
        if sheet != self.sheet:
            self.close()
            self.bar = click.progressbar(length=total, label=f"{sheet:<10}", file=sys.stderr)
            self.bar.__enter__()
            self.sheet, self.done = sheet, 0
        self.bar.update(done - self.done)
        self.done = done
        if done >= total:
            self.close()

    def close(self) -> None:
        """End the bar in progress, if any."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        self.bar, self.sheet = None, None


@click.command("import-roster")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def import_roster_command(path: Path) -> None:
    """Check a roster (.xlsx workbook or folder of CSV files) and import it; nothing is written if a row is wrong."""
    progress = ProgressBars()
    try:
        summary = import_roster(path, db.session, region=current_app.config["DEFAULT_REGION"],
                                timezone=current_app.config["TIMEZONE"], progress=progress)
    except RosterError as exc:
        db.session.rollback()
        for line in exc.errors:
            click.echo(line, err=True)
        count = len(exc.errors)
        click.echo(f"{count} error{'s' if count != 1 else ''}: nothing was imported. Fix them and run again.",
                   err=True)
        raise SystemExit(1)
    except Exception:
        db.session.rollback()
        raise
    finally:
        progress.close()
    db.session.commit()
    click.echo(f"Imported {path}:")
    for line in summary.lines():
        click.echo(f"  {line}")


@click.command("load-demo")
@click.option("--allow-twilio", is_flag=True,
              help="Load even when SMS_BACKEND is twilio (the demo's made-up phone numbers may be real people's).")
@with_appcontext
def load_demo_command(allow_twilio: bool) -> None:
    """Load the demo roster (synthetic people and points) into an empty database, its shifts starting today."""
    if current_app.config["SMS_BACKEND"] == "twilio" and not allow_twilio:
        click.echo("SMS_BACKEND is twilio: the demo's made-up phone numbers could be real people's. "
                   "Use the console backend, or pass --allow-twilio.", err=True)
        raise SystemExit(1)
    try:
        summary = load_demo(db.session, region=current_app.config["DEFAULT_REGION"],
                            timezone=current_app.config["TIMEZONE"], now=datetime.now(timezone.utc),
                            progress=ProgressBars())
    except RosterError as exc:
        db.session.rollback()
        for line in exc.errors:
            click.echo(line, err=True)
        raise SystemExit(1)
    if summary is None:
        click.echo("The database already has places; the demo roster was not loaded.")
        return
    db.session.commit()
    click.echo(f"Loaded the demo roster from {DEMO_ROSTER} (shifts start today):")
    for line in summary.lines():
        click.echo(f"  {line}")
