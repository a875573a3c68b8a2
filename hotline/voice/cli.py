"""`flask --app wsgi voice-prompts`: which prompt recordings are missing (said in Chinese instead), and which
are still placeholders awaiting a native speaker."""
import click
from flask import current_app
from flask.cli import with_appcontext

from . import prompts


@click.command("voice-prompts")
@click.option("--placeholders", "show_placeholders", is_flag=True,
              help="Also list every file still to be re-recorded by a native speaker.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any file is missing.")
@with_appcontext
def voice_prompts_command(show_placeholders: bool, strict: bool) -> None:
    """List the voice prompts whose audio file is missing; Twilio says those in Chinese instead."""
    if current_app.config["SMS_BACKEND"] == "gammu":
        click.echo("SMS_BACKEND is gammu: a modem has no voice line, so no prompt is played. A call to the modem "
                   "becomes a call-back request, and offers nobody answers are sent again by SMS (docs/gammu.md).")
        return
    missing = prompts.missing()
    total = len(prompts.keys()) * len(prompts.LANGUAGES)
    for language, key in missing:
        click.echo(f"missing  {language}/{key}.wav  ({prompts.text(key, language)})")
    placeholders = prompts.placeholders()
    if show_placeholders:
        for language, key in placeholders:
            click.echo(f"placeholder  {language}/{key}  ({prompts.text(key, language)})")
    click.echo(f"{total - len(missing)} of {total} prompt files present in {prompts.FOLDER}; {len(missing)} missing; "
               f"{len(placeholders)} are placeholders to re-record (docs/voice.md).")
    if strict and missing:
        raise SystemExit(1)


def init_app(app) -> None:
    """Register the `voice-prompts` command on `app`."""
    app.cli.add_command(voice_prompts_command)
