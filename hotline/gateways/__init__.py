"""The gateways: one module per provider (twilio, console, gammu). dispatch/ sees only the interface in
dispatch/messaging/gateway.py; SMS_BACKEND picks the provider here, once, at start-up."""
import logging

log = logging.getLogger(__name__)


def init_app(app):
    """Build the configured provider's gateway and keep it where jobs and webhooks find it."""
    backend = app.config["SMS_BACKEND"]
    if backend == "twilio":
        from .twilio import TwilioGateway

        gateway = TwilioGateway(app.config["TWILIO_ACCOUNT_SID"], app.config["TWILIO_AUTH_TOKEN"],
                                app.config["TWILIO_FROM_NUMBER"], app.config["PUBLIC_BASE_URL"],
                                app.config["TWILIO_API_BASE"], app.config["SEND_TIMEOUT_SECONDS"])
    elif backend == "gammu":
        from .gammu import GammuDatabase, GammuGateway

        gateway = GammuGateway(GammuDatabase(app.config["GAMMU_DATABASE_URL"]), app.config)
        log.info("SMS through a modem (gammu-smsd): no voice line; a call becomes a call-back request, and an "
                 "offer nobody answers is sent again by SMS and its shift lead told")
    else:
        from .console import ConsoleGateway

        gateway = ConsoleGateway()
    app.extensions["hotline.sms_gateway"] = gateway
    from .gammu_cli import gammu

    app.cli.add_command(gammu)
