"""The gateways: one module per provider (twilio, console). dispatch/ sees only the interface in
dispatch/messaging/gateway.py; SMS_BACKEND picks the provider here, once, at start-up."""


def init_app(app):
    """Build the configured provider's gateway and keep it where jobs and webhooks find it."""
    if app.config["SMS_BACKEND"] == "twilio":
        from .twilio import TwilioGateway

        gateway = TwilioGateway(app.config["TWILIO_ACCOUNT_SID"], app.config["TWILIO_AUTH_TOKEN"],
                                app.config["TWILIO_FROM_NUMBER"], app.config["PUBLIC_BASE_URL"],
                                app.config["TWILIO_API_BASE"], app.config["SEND_TIMEOUT_SECONDS"])
    else:
        from .console import ConsoleGateway

        gateway = ConsoleGateway()
    app.extensions["hotline.sms_gateway"] = gateway
