"""Leaders sign in to the dashboard: a one-time code by SMS, then (if they set one) a password.

Codes and passwords are kept only as werkzeug hashes. A code lives CODE_TTL, allows MAX_ATTEMPTS guesses
and works once; a leader can ask for a new one every RESEND_AFTER, at most CODES_PER_HOUR an hour.
"""
import secrets
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from models import Leader, LoginCode

from ..messaging import outbox
from ..messaging.phones import to_e164

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
PASSWORD_LOCKOUT = timedelta(minutes=15)
RESEND_AFTER = timedelta(seconds=60)
CODES_PER_HOUR = 5
MIN_PASSWORD = 8


def leader_by_phone(session, raw_phone: str, region: str) -> Leader | None:
    """The roster's leader for a typed phone number, if any."""
    phone = to_e164(raw_phone, region)
    return None if phone is None else session.scalar(select(Leader).where(Leader.phone == phone))


def send_login_code(session, raw_phone: str, now, settings) -> str:
    """Text a fresh code to the leader with this phone: 'sent', 'unknown' (not a leader) or 'wait' (asked too often)."""
    leader = leader_by_phone(session, raw_phone, settings["DEFAULT_REGION"])
    if leader is None:
        return "unknown"
    recent = session.execute(
        select(func.count(), func.max(LoginCode.created_at))
        .where(LoginCode.leader_id == leader.id, LoginCode.created_at > now - timedelta(hours=1))
    ).one()
    if recent[0] >= CODES_PER_HOUR or (recent[1] is not None and recent[1] > now - RESEND_AFTER):
        return "wait"
    code = f"{secrets.randbelow(10 ** 6):06d}"
    login = LoginCode(leader=leader, code_hash=generate_password_hash(code), created_at=now,
                      expires_at=now + CODE_TTL, attempts=0)
    session.add(login)
    session.flush()
    outbox.record_sms(session, key=f"login-{login.id}", to=leader.phone, template="login_code",
                      language=leader.text_language, now=now, code=code)
    return "sent"


def check_login_code(session, raw_phone: str, code: str, now, settings) -> tuple[str, Leader | None]:
    """Check a typed code: ('ok', leader), or ('wrong' | 'expired' | 'locked', None). Each guess is counted."""
    leader = leader_by_phone(session, raw_phone, settings["DEFAULT_REGION"])
    if leader is None:
        return "expired", None
    login = session.scalar(select(LoginCode).where(LoginCode.leader_id == leader.id)
                           .order_by(LoginCode.created_at.desc(), LoginCode.id.desc()).limit(1).with_for_update())
    if login is None or login.used_at is not None or now >= login.expires_at:
        return "expired", None
    if login.attempts >= MAX_ATTEMPTS:
        return "locked", None
    login.attempts += 1
    if not check_password_hash(login.code_hash, "".join((code or "").split())):
        return ("locked" if login.attempts >= MAX_ATTEMPTS else "wrong"), None
    login.used_at = now
    return "ok", leader


def check_password(session, raw_phone: str, password: str, settings, now) -> Leader | None:
    """The leader whose phone and password these are, or None. After MAX_ATTEMPTS wrong passwords in a row,
    passwords are refused for PASSWORD_LOCKOUT (a code by SMS still signs the leader in)."""
    leader = leader_by_phone(session, raw_phone, settings["DEFAULT_REGION"])
    if leader is None or not leader.password_hash:
        return None
    if leader.password_locked_until and now < leader.password_locked_until:
        return None
    if not check_password_hash(leader.password_hash, password or ""):
        leader.password_failures += 1
        if leader.password_failures >= MAX_ATTEMPTS:
            leader.password_failures, leader.password_locked_until = 0, now + PASSWORD_LOCKOUT
        return None
    leader.password_failures = 0
    return leader


def set_password(session, leader_id: int, password: str, repeated: str, now) -> str | None:
    """Keep the leader's new password hashed; None when done, else 'short' or 'mismatch'."""
    if len(password or "") < MIN_PASSWORD:
        return "short"
    if password != repeated:
        return "mismatch"
    session.get(Leader, leader_id).password_hash = generate_password_hash(password)
    return None
