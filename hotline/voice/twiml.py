"""Building TwiML for the voice line: prompts played (or said in Chinese), numbers read digit by digit,
keypads gathered, absolute URLs that verify behind a proxy."""
from urllib.parse import urlencode

import phonenumbers
from flask import Response, current_app, request, url_for
from twilio.twiml.voice_response import VoiceResponse

from dispatch.messaging.keypad import spoken_digits

from . import prompts

SAY = {"voice": "Polly.Zhiyu", "language": "cmn-CN"}  # the fallback voice: Twilio has no Mongolian one
GATHER_SECONDS = 8  # elderly callers: time to find the key
BOTH = ("mn", "zh")  # before the caller has chosen: Mongolian first, then Chinese


def external(path: str) -> str:
    """An absolute URL for `path`: PUBLIC_BASE_URL when set (what Twilio signs behind a proxy), else this host."""
    base = current_app.config["PUBLIC_BASE_URL"] or request.host_url.rstrip("/")
    return base + path


def action(path: str, **query) -> str:
    """The absolute URL of a later step, its state (attempt, call id) carried in the query."""
    return external(path + ("?" + urlencode(query) if query else ""))


def prompt(verb, key: str, languages) -> None:
    """Play `key` in each language; a prompt with no recording is said from its Chinese text instead."""
    for language in (languages,) if isinstance(languages, str) else languages:
        path = prompts.audio_file(key, language)
        if path is not None:
            verb.play(external(url_for("static", filename=f"voice/{path.parent.name}/{path.name}")))
        else:
            verb.say(prompts.text(key, "zh"), **SAY)


def number(verb, digits: str, language: str) -> None:
    """Read a number digit by digit ('4821': four, eight, two, one)."""
    for digit in spoken_digits(digits):
        prompt(verb, f"digit_{digit}", language)


def reference(verb, ref: str, languages) -> None:
    """The reference twice: in one language with 'again' between, or once in each of two languages."""
    languages = (languages,) if isinstance(languages, str) else tuple(languages)
    for language in languages:
        prompt(verb, "ref_is", language)
        number(verb, ref, language)
        verb.pause(length=1)
    if len(languages) == 1:
        prompt(verb, "ref_again", languages[0])
        number(verb, ref, languages[0])


def national(phone: str) -> str:
    """A phone number as a person dials it at home (no +86)."""
    try:
        return str(phonenumbers.parse(phone, None).national_number)
    except phonenumbers.NumberParseException:
        return phone


def gather(response: VoiceResponse, url: str, **options):
    """A keypad gather that posts to `url` even on silence, and a redirect there too should it not."""
    keypad = response.gather(action=url, method="POST", timeout=GATHER_SECONDS, action_on_empty_result=True,
                             **options)
    return keypad


def after_gather(response: VoiceResponse, url: str) -> None:
    """What Twilio does when a gather ends without posting: post the same step, as silence."""
    response.redirect(url, method="POST")


def goodbye(response: VoiceResponse, languages) -> Response:
    """Say goodbye and hang up cleanly."""
    prompt(response, "goodbye", languages)
    response.hangup()
    return twiml(response)


def twiml(response: VoiceResponse) -> Response:
    """The TwiML document of `response` as a Flask response."""
    return Response(str(response), mimetype="application/xml")
