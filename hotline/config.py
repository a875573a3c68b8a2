"""Settings: defaults, then the environment, then a caller's overrides; checked once at start-up."""
import os
import zoneinfo
from pathlib import Path

import phonenumbers

from dispatch.messaging.phones import to_e164

DEFAULTS = {
    "DATABASE_URL": None,  # None: the embedded SQLite file
    "REDIS_URL": None,  # None: the in-process Redis stand-in
    "SECRET_KEY": None,
    "TWILIO_ACCOUNT_SID": None,
    "TWILIO_AUTH_TOKEN": None,
    "TWILIO_FROM_NUMBER": None,
    "TWILIO_API_BASE": None,
    "PUBLIC_BASE_URL": None,
    "SMS_BACKEND": "console",
    "OFFER_TIMEOUT_SECONDS": 300,
    "MAX_OFFERS": 3,
    "DETOUR_FACTOR": 1.3,
    "DEFAULT_REGION": "CN",
    "TIMEZONE": "Asia/Shanghai",
    "SMS_DAILY_BUDGET": 60,  # texts one phone may receive from us in a day: stops loops, not a busy duty member
    "SIGNIN_SMS_DAILY_BUDGET": 10,  # sign-in codes (and lock-out notes) to one phone a day: a budget of their own
    "SEND_RETRY_DELAYS": "10,30,120",  # seconds between attempts to hand an SMS to the provider
    "SEND_TIMEOUT_SECONDS": 10,  # how long to wait for the provider's answer to one send
    "SWEEP_SECONDS": 30,  # how often the sweep looks for work a lost job left behind
    "INSTANCE_DIR": str(Path(__file__).resolve().parent.parent / "instance"),
    # The leaders' dashboard (checked in hotline/dashboard): map tiles, e.g. https://tile.example/{z}/{x}/{y}.png
    # (none: outlines and points only), sign-in lifetime and idle timeout.
    "MAP_TILE_URL": None,
    "DASHBOARD_SESSION_HOURS": 12,
    "DASHBOARD_IDLE_MINUTES": 60,
    "EMERGENCY_OFFER_TIMEOUT_SECONDS": 120,  # how long a team has to accept an emergency (category 9)
    # The register: contact at least every CHECKIN_DAYS (red households every CHECKIN_DAYS_RED); overdue once
    # past due by CHECKIN_GRACE_DAYS. The round runs daily at CHECKIN_HOUR, the leaders' digest at DIGEST_HOUR.
    "CHECKIN_DAYS": 7,
    "CHECKIN_DAYS_RED": 3,
    "CHECKIN_GRACE_DAYS": 2,
    "CHECKIN_HOUR": 9,
    # The hotline's own check-in: an SMS waits this long for its 平安 before a second try; a call nobody answered
    # is tried again after this many minutes. Two tries without an answer: the paired contact is asked to visit.
    "CHECKIN_REPLY_HOURS": 24,
    "CHECKIN_RETRY_MINUTES": 60,
    # Check-in calls the round starts per minute: a township's first round must not ring thousands at once
    # (the provider queues them, the line is busy for herders calling in). The rest follow minute by minute.
    "CHECKIN_CALLS_PER_MINUTE": 20,
    "DIGEST_HOUR": 8,
    # The modem route (SMS_BACKEND=gammu, docs/gammu.md): gammu-smsd's database, how often the worker reads it,
    # which daemon sends (its PhoneID; empty: any), the SIM's daily SMS cap in parts (0: none), how long a
    # waiting outbox with nothing sent counts as a stalled modem, and for training on Gammu's dummy driver its
    # phone folder (the simulator texts through it).
    "GAMMU_DATABASE_URL": None,
    "GAMMU_POLL_SECONDS": 2,
    "GAMMU_PHONE_ID": "",
    "GAMMU_DAILY_LIMIT": 500,
    "GAMMU_STALL_MINUTES": 10,
    "GAMMU_DUMMY_DIR": None,
    "SHARE_OPEN_DAYS": 14,  # a neighbour's have or need is matched for this many days; a reserve has no end
    "MAX_REQUEST_KB": 64,  # the largest request body taken: Twilio's forms are a few KB (hotline/security.py)
    "PROXY_HOPS": 0,  # proxies in front whose X-Forwarded-For/-Proto/-Host are trusted (0: none)
    # The duty number printed on contact cards and in the CARD text (empty: TWILIO_FROM_NUMBER, the number that
    # takes the texts and calls; set it when the public number forwards to another one).
    "DUTY_NUMBER": None,
    # The most contact cards one dashboard download renders (about 0.06 s a card, docs/cards.md): a gacha's fit;
    # a whole township's thousands would outlast the request, so its leader picks a gacha, or runs the command.
    "CARDS_PER_DOWNLOAD": 240,
}

INTEGER_SETTINGS = ("OFFER_TIMEOUT_SECONDS", "MAX_OFFERS", "SMS_DAILY_BUDGET", "SWEEP_SECONDS",
                    "SEND_TIMEOUT_SECONDS", "EMERGENCY_OFFER_TIMEOUT_SECONDS", "CHECKIN_DAYS", "CHECKIN_DAYS_RED",
                    "CHECKIN_REPLY_HOURS", "CHECKIN_RETRY_MINUTES", "SHARE_OPEN_DAYS", "SIGNIN_SMS_DAILY_BUDGET",
                    "MAX_REQUEST_KB", "CARDS_PER_DOWNLOAD", "CHECKIN_CALLS_PER_MINUTE")
HOUR_SETTINGS = ("CHECKIN_HOUR", "DIGEST_HOUR")  # a local hour of the day, 0 to 23
# The embedded default's own secret: it is in this repository, so it signs cookies only where nobody else can
# reach the app (the console backend on a newcomer's machine).
DEVELOPMENT_SECRET = "embedded-development-only"
MIN_SECRET = 16


class ConfigError(Exception):
    """A setting is missing or wrong; the message names it in one sentence."""


def load_config(overrides: dict | None = None, environ=os.environ) -> dict:
    """Merge defaults, environment and overrides, and check the result."""
    config = dict(DEFAULTS)
    for name in DEFAULTS:
        if environ.get(name, "") != "":
            config[name] = environ[name]
    config.update(overrides or {})
    chosen = {name for name in DEFAULTS if environ.get(name, "") != ""} | set(overrides or {})
    if config["DATABASE_URL"] and "SMS_BACKEND" not in chosen:
        # A deployment must say how it sends: the console backend mounts /simulator, which shows every SMS
        # (sign-in codes included) to anyone who can reach it.
        raise ConfigError("SMS_BACKEND must be set ('twilio', 'gammu' for a modem, or 'console' for a training install) "
                          "when DATABASE_URL is set.")
    _check(config)
    return config


def _check(config: dict) -> None:
    for name in INTEGER_SETTINGS:
        config[name] = _number(config, name, int, minimum=1)
    config["CHECKIN_GRACE_DAYS"] = _number(config, "CHECKIN_GRACE_DAYS", int, minimum=0)
    for name in HOUR_SETTINGS:
        config[name] = _number(config, name, int, minimum=0)
        if config[name] > 23:
            raise ConfigError(f"{name} must be an hour of the day from 0 to 23, not {config[name]}.")
    config["PROXY_HOPS"] = _number(config, "PROXY_HOPS", int, minimum=0)
    config["DETOUR_FACTOR"] = _number(config, "DETOUR_FACTOR", float, minimum=1.0)
    config["SEND_RETRY_DELAYS"] = _delays(config["SEND_RETRY_DELAYS"])
    try:
        zoneinfo.ZoneInfo(str(config["TIMEZONE"]))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"TIMEZONE {config['TIMEZONE']!r} is not a known time zone, e.g. Asia/Shanghai.")
    region = str(config["DEFAULT_REGION"]).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"DEFAULT_REGION {config['DEFAULT_REGION']!r} is not a two-letter region such as CN.")
    config["DEFAULT_REGION"] = region
    backend = config["SMS_BACKEND"]
    if backend not in ("twilio", "console", "gammu"):
        raise ConfigError(f"SMS_BACKEND must be 'twilio', 'gammu' or 'console', not {backend!r}.")
    _check_gammu(config)
    if backend == "twilio":
        for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER"):
            if not config[name]:
                raise ConfigError(f"{name} is required when SMS_BACKEND is 'twilio'.")
        if not str(config["TWILIO_ACCOUNT_SID"]).startswith("AC"):
            raise ConfigError("TWILIO_ACCOUNT_SID must start with 'AC' (see the Twilio console).")
        if not config["PUBLIC_BASE_URL"]:
            raise ConfigError("PUBLIC_BASE_URL is required when SMS_BACKEND is 'twilio': Twilio calls back "
                              "to it (status callbacks, voice steps), and signatures are checked against it.")
    for name in ("PUBLIC_BASE_URL", "TWILIO_API_BASE"):
        value = config[name]
        if value and not str(value).startswith(("http://", "https://")):
            raise ConfigError(f"{name} must be an http(s) URL, not {value!r}.")
        if value:
            config[name] = str(value).rstrip("/")
    _check_secret(config)
    if not config["TWILIO_AUTH_TOKEN"]:
        # The console backend still checks webhook signatures; the simulator signs with this token.
        config["TWILIO_AUTH_TOKEN"] = "console-auth-token"
    if not config["TWILIO_FROM_NUMBER"]:
        config["TWILIO_FROM_NUMBER"] = "+864778500000"
    config["DUTY_NUMBER"] = _duty_number(config)


def _duty_number(config: dict) -> str:
    """DUTY_NUMBER as E.164: a card must never print a number nobody can dial. Unset, TWILIO_FROM_NUMBER as
    it is (a provider's number, not ours to refuse at start-up)."""
    if not config.get("DUTY_NUMBER"):
        return str(config["TWILIO_FROM_NUMBER"])
    raw = str(config["DUTY_NUMBER"])
    number = to_e164(raw, config["DEFAULT_REGION"])
    if number is None:
        raise ConfigError(f"DUTY_NUMBER {raw!r} is not a phone number (it is printed on the contact cards), "
                          "e.g. +864778512345 or 0477 851 2345.")
    return number


def _check_gammu(config: dict) -> None:
    """The modem route's settings; VOICE_CALLS says whether the provider can ring people (a modem cannot)."""
    config["VOICE_CALLS"] = config["SMS_BACKEND"] != "gammu"
    config["GAMMU_POLL_SECONDS"] = _number(config, "GAMMU_POLL_SECONDS", float, minimum=0.1)
    config["GAMMU_STALL_MINUTES"] = _number(config, "GAMMU_STALL_MINUTES", int, minimum=1)
    config["GAMMU_DAILY_LIMIT"] = _number(config, "GAMMU_DAILY_LIMIT", int, minimum=0)
    config["GAMMU_PHONE_ID"] = str(config["GAMMU_PHONE_ID"] or "")
    if config["SMS_BACKEND"] != "gammu":
        return
    url = str(config["GAMMU_DATABASE_URL"] or "")
    if not url:
        raise ConfigError("GAMMU_DATABASE_URL is required when SMS_BACKEND is 'gammu': the PostgreSQL database "
                          "gammu-smsd keeps its inbox and outbox in (docs/gammu.md).")
    if not url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        raise ConfigError("GAMMU_DATABASE_URL must be a PostgreSQL URL such as postgresql://smsd@127.0.0.1/smsd.")
def _check_secret(config: dict) -> None:
    """Any deployment (a database named, or a backend that reaches real phones) must be given its own secret:
    whoever knows the secret can sign a dashboard cookie."""
    secret = str(config.get("SECRET_KEY") or "")
    deployment = bool(config["DATABASE_URL"]) or config["SMS_BACKEND"] != "console"
    if deployment and not config.get("TESTING"):
        if not secret:
            raise ConfigError("SECRET_KEY is required for a deployment (DATABASE_URL set, or SMS_BACKEND other than "
                              "'console'); set a long random value, e.g. python -c 'import secrets; "
                              "print(secrets.token_urlsafe(32))'.")
        if secret == DEVELOPMENT_SECRET or len(secret) < MIN_SECRET:
            raise ConfigError(f"SECRET_KEY must be a random value of at least {MIN_SECRET} characters of your own, "
                              "not the development default or a short word.")
    if not secret:
        config["SECRET_KEY"] = DEVELOPMENT_SECRET


def _delays(value) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    try:
        delays = tuple(int(part) for part in str(value).split(","))
    except ValueError:
        delays = ()
    if not delays or min(delays) < 1:
        raise ConfigError(f"SEND_RETRY_DELAYS must be whole seconds separated by commas, e.g. 10,30,120, not {value!r}.")
    return delays


def _number(config, name, kind, minimum):
    try:
        value = kind(config[name])
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, not {config[name]!r}.")
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def database_uri(config: dict) -> str:
    """The SQLAlchemy URL: DATABASE_URL, or the embedded SQLite file in the instance folder."""
    url = config["DATABASE_URL"]
    if not url:
        Path(config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{Path(config['INSTANCE_DIR']) / 'hotline.sqlite3'}"
    return sqlalchemy_url(url)


def sqlalchemy_url(url: str) -> str:
    """A database URL for SQLAlchemy: the common postgres:// and postgresql:// spellings use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
