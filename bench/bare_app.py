"""The ceiling `bench/webhook.py` compares against: a bare Flask route answering POST /twilio/sms with the same
TwiML as the hotline's acknowledgement, no database, no Redis, no signature check (`gunicorn bench.bare_app:app`)."""
from flask import Flask, Response
from twilio.twiml.messaging_response import MessagingResponse

from dispatch.messaging.texts import render

app = Flask(__name__)


@app.post("/twilio/sms")
def inbound_sms():
    """The hotline's answer to a new request, as a constant."""
    response = MessagingResponse()
    response.message(render("ack", "zh", ref="4821"))
    return Response(str(response), mimetype="application/xml")
