"""`flask --app wsgi gammu …`: set up gammu-smsd for this app, see how the modem is doing, and take the calls
it reports (gammu-smsd's RunOnIncomingCall runs `gammu incoming-call NUMBER`)."""
import json
import uuid

import click
from flask import current_app
from flask.cli import AppGroup

from dispatch.runtime.unit_of_work import run_and_commit, utcnow
from dispatch.voice import ivr

from . import gammu_setup

gammu = AppGroup("gammu", help="The modem route (SMS_BACKEND=gammu): gammu-smsd's schema, its smsdrc, the modem.")


def _url() -> str:
    url = current_app.config["GAMMU_DATABASE_URL"]
    if not url:
        raise click.ClickException("GAMMU_DATABASE_URL is not set: name gammu-smsd's PostgreSQL database.")
    return url


@gammu.command("schema")
def schema_command() -> None:
    """Create gammu-smsd's tables (version 17) in GAMMU_DATABASE_URL, unless they are there."""
    try:
        done = gammu_setup.load_schema(_url())
    except gammu_setup.SetupError as error:
        raise click.ClickException(str(error))
    click.echo("gammu-smsd's tables " + ("created (version 17)." if done == "loaded" else "are already there."))


@gammu.command("smsdrc")
@click.option("--device", default="/dev/ttyUSB2", show_default=True, help="The modem's AT port.")
@click.option("--dummy", "dummy_dir", type=click.Path(file_okay=False), help="Gammu's dummy phone folder instead.")
@click.option("--log", "log_file", default="syslog", show_default=True, help="gammu-smsd's log file.")
def smsdrc_command(device: str, dummy_dir: str | None, log_file: str) -> None:
    """Print gammu-smsd's configuration for this app (a modem on --device, or the dummy phone in --dummy)."""
    from pathlib import Path

    if dummy_dir:
        Path(dummy_dir).mkdir(parents=True, exist_ok=True)  # the dummy needs its folder to exist
        device = str(Path(dummy_dir).resolve())
    click.echo(gammu_setup.smsdrc_text(_url(), phone_id=current_app.config["GAMMU_PHONE_ID"], device=device,
                                       connection="none" if dummy_dir else "at", log_file=log_file), nl=False)


@gammu.command("incoming-call")
@click.argument("number")
def incoming_call_command(number: str) -> None:
    """A call reached the modem (gammu-smsd hung up): it becomes a call-back request, as a missed call does."""
    config = current_app.config

    def act(session, now):
        call = ivr.call_ended(session, "gammu-call-" + uuid.uuid4().hex, number, config["TWILIO_FROM_NUMBER"],
                              "busy", now, config)
        return call.request.ref if call.request is not None else None

    ref = run_and_commit(act)
    click.echo(f"call from {number}: " + (f"call-back request {ref}" if ref else "no number to call back"))


@gammu.command("status")
def status_command() -> None:
    """How the modem is doing: messages waiting, the last send, today's SMS against GAMMU_DAILY_LIMIT."""
    gateway = current_app.extensions["hotline.sms_gateway"]
    if not hasattr(gateway, "modem_state"):
        raise click.ClickException("SMS_BACKEND is not gammu.")
    state = gateway.modem_state(utcnow())
    click.echo(json.dumps(state.as_dict(), ensure_ascii=False, indent=2))
    if state.state != "ok":
        raise SystemExit(1)
