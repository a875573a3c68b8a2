"""Leaders sign in to the dashboard: a one-time code by SMS, then (if they set one) a password.

Codes and passwords are kept only as werkzeug hashes. A code lives CODE_TTL, allows MAX_ATTEMPTS guesses,
works once, and only in the browser session that asked for it (`requester`), so a stranger typing a leader's
number cannot spend the guesses of the code the leader holds. A leader can ask for a new code every
RESEND_AFTER, at most CODES_PER_HOUR an hour. Every number, a leader's or not, costs the same hashing and gets
the same answer, so neither the words nor the time taken say who is a leader.

Limits per address and overall belong to the edge (hotline/dashboard/auth.py, Flask-Limiter). These are the
limits per leader: after PASSWORD_FAILURES wrong passwords in a row, from anywhere, passwords wait
PASSWORD_LOCKOUT; a second lock-out within LOCKOUT_MEMORY is texted to the leader.
"""
import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from models import Leader, LoginCode

from ..messaging import outbox
from ..messaging.phones import to_e164

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
PASSWORD_FAILURES = 20  # per leader, from every address together; one address is held back far sooner (the edge)
PASSWORD_LOCKOUT = timedelta(minutes=15)
RESEND_AFTER = timedelta(seconds=60)
CODES_PER_HOUR = 5
MIN_PASSWORD = 8
LOCKOUT_MEMORY = timedelta(hours=24)  # two lock-outs within this time: the leader is told
CODE_SIGN_IN_VOUCHES = timedelta(minutes=10)  # a code sign-in this recent stands in for the current password


@cache
def _stand_in_hash() -> str:
    """A hash nothing matches, checked when there is no real one, so every number costs the same work."""
    return generate_password_hash(secrets.token_urlsafe(16))


def leader_by_phone(session, raw_phone: str, region: str) -> Leader | None:
    """The roster's leader for a typed phone number, if any."""
    phone = to_e164(raw_phone, region)
    return None if phone is None else session.scalar(select(Leader).where(Leader.phone == phone))


def send_login_code(session, raw_phone: str, now, settings, requester: str) -> str:
    """Text a fresh code, usable only by `requester`, to the leader with this phone: 'sent', 'unknown'
    (not a leader) or 'wait' (asked too often). The caller shows the same page for all three."""
    code = f"{secrets.randbelow(10 ** 6):06d}"
    code_hash = generate_password_hash(code)  # before anything is known of the number: the same work for all
    leader = leader_by_phone(session, raw_phone, settings["DEFAULT_REGION"])
    if leader is None:
        return "unknown"
    count, latest = session.execute(
        select(func.count(), func.max(LoginCode.created_at))
        .where(LoginCode.leader_id == leader.id, LoginCode.created_at > now - timedelta(hours=1))
    ).one()
    if count >= CODES_PER_HOUR:
        note_lockout(session, leader, now)  # someone keeps asking: the leader may be locked out of codes
        return "wait"
    if latest is not None and latest > now - RESEND_AFTER:
        return "wait"
    login = LoginCode(leader=leader, code_hash=code_hash, created_at=now, expires_at=now + CODE_TTL, attempts=0,
                      requester=requester)
    session.add(login)
    session.flush()
    outbox.record_sms(session, key=f"login-{login.id}", to=leader.phone, template="login_code",
                      language=leader.text_language, now=now, code=code)
    return "sent"


def check_login_code(session, raw_phone: str, code: str, now, settings, requester: str) -> tuple[str, Leader | None]:
    """Check a typed code: ('ok', leader), or ('wrong' | 'expired' | 'locked', None). Each guess is counted."""
    leader = leader_by_phone(session, raw_phone, settings["DEFAULT_REGION"])
    login = None if leader is None else session.scalar(
        select(LoginCode).where(LoginCode.leader_id == leader.id, LoginCode.requester == requester)
        .order_by(LoginCode.created_at.desc(), LoginCode.id.desc()).limit(1).with_for_update())
    matches = check_password_hash(login.code_hash if login else _stand_in_hash(), "".join((code or "").split()))
    if login is None or login.used_at is not None or now >= login.expires_at:
        return "expired", None
    if login.attempts >= MAX_ATTEMPTS:
        return "locked", None
    login.attempts += 1
    if not matches:
        return ("locked" if login.attempts >= MAX_ATTEMPTS else "wrong"), None
    login.used_at = now
    return "ok", leader


def check_password(session, raw_phone: str, password: str, settings, now) -> Leader | None:
    """The leader whose phone and password these are, or None (also while their passwords are locked)."""
    leader = leader_by_phone(session, raw_phone, settings["DEFAULT_REGION"])
    if leader is None or not leader.password_hash:
        check_password_hash(_stand_in_hash(), password or "")  # the same work as a leader's wrong password
        return None
    return leader if _password_matches(session, leader, password, now) else None


def _password_matches(session, leader: Leader, password: str, now) -> bool:
    """Whether `password` is the leader's; wrong ones are counted, and PASSWORD_FAILURES in a row lock it."""
    matches = check_password_hash(leader.password_hash, password or "")
    if leader.password_locked_until and now < leader.password_locked_until:
        return False
    if not matches:
        leader.password_failures += 1
        if leader.password_failures >= PASSWORD_FAILURES:
            leader.password_failures, leader.password_locked_until = 0, now + PASSWORD_LOCKOUT
            note_lockout(session, leader, now)
        return False
    leader.password_failures = 0
    return True


def note_lockout(session, leader: Leader, now) -> None:
    """Count a sign-in lock-out (the same one noted again within PASSWORD_LOCKOUT is one); from the second
    within LOCKOUT_MEMORY the leader is texted, once a day, that someone is trying to sign in as them."""
    last = leader.last_lockout_at
    if last is not None and now - last < PASSWORD_LOCKOUT:
        return
    leader.lockouts = leader.lockouts + 1 if last is not None and now - last < LOCKOUT_MEMORY else 1
    leader.last_lockout_at = now
    if leader.lockouts >= 2:
        outbox.record_sms(session, key=f"signin-locked-{leader.id}-{now:%Y%m%d}", to=leader.phone,
                          template="signin_locked", language=str(leader.language), now=now)


def set_password(session, leader_id: int, current: str, password: str, repeated: str, now,
                 code_signed_in_at=None) -> str | None:
    """Keep the leader's new password hashed and end every other session of theirs; None when done, else
    'current' (the current password is wrong or missing), 'short' or 'mismatch'. The current password is
    not asked for when none is set, or right after a code sign-in (`code_signed_in_at`): the phone vouches,
    and that is how a forgotten password is replaced."""
    leader = session.get(Leader, leader_id)
    vouched = code_signed_in_at is not None and now - code_signed_in_at < CODE_SIGN_IN_VOUCHES
    if leader.password_hash and not vouched and not _password_matches(session, leader, current, now):
        return "current"
    if len(password or "") < MIN_PASSWORD:
        return "short"
    if password != repeated:
        return "mismatch"
    leader.password_hash = generate_password_hash(password)
    end_sessions(session, leader_id)
    return None


def end_sessions(session, leader_id: int) -> int:
    """End every dashboard session of the leader (sign-out, a new password); returns the new session version."""
    leader = session.get(Leader, leader_id)
    leader.session_version += 1
    return leader.session_version
