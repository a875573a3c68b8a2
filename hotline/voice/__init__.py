"""The voice line: Twilio Voice webhooks and TwiML (routes, offer), prompts, the `voice-prompts` command, and
the simulator's keypad. Call-flow decisions live in dispatch/voice/menu.py; acting on them in dispatch/voice/ivr.py."""
from . import cli, keypad, routes


def init_app(app):
    """Register the voice webhooks and the `voice-prompts` command; the keypad only with the console backend.
    A modem (SMS_BACKEND=gammu) has no voice line: no webhooks, and the command says so."""
    cli.init_app(app)
    if app.config["SMS_BACKEND"] == "gammu":
        return
    app.register_blueprint(routes.bp)
    if app.config["SMS_BACKEND"] == "console":
        keypad.init_app(app)
