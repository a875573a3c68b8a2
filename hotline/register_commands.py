"""`flask --app wsgi checkin-round`: the register's weekly round now (the worker also runs it daily at
CHECKIN_HOUR). A second run the same day sends nothing twice."""
import click
from flask import current_app
from flask.cli import with_appcontext

from dispatch.register.round import run_round
from dispatch.runtime.unit_of_work import run_and_commit


def init_app(app) -> None:
    """Register the round's command on `app`."""
    app.cli.add_command(checkin_round_command)


@click.command("checkin-round")
@with_appcontext
def checkin_round_command() -> None:
    """Text each paired member their due households, check in by call or SMS, tell township leaders of
    households overdue twice."""
    summary = run_and_commit(lambda s, now: run_round(s, now, current_app.config))
    click.echo(f"Lists sent to {summary.members} paired member(s), {summary.households} household(s) in them; "
               f"{summary.checkins} hotline check-in(s) begun; {summary.alerts} township leader(s) told of "
               "households overdue twice.")
