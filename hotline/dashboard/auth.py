"""Signing in: a one-time code by SMS (the first time, and whenever wanted), or a password once set.

Flask-Login keeps the signed-in leader in the session as "<leader id>:<session version>"; signing out or a new
password raises the version, so every older cookie (copied or not) signs nobody in. `login_required`, `g.leader`
and `g.scope` are what the dashboard's pages use.

Every number gets the same words and the same work (dispatch/leaders/signin.py). Limits here, per address and
overall (Flask-Limiter): a stranger can hold back their own address, never a leader's own sign-in.
"""
import hashlib
import secrets
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

import flask_login
from flask import current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded

from dispatch.leaders import signin
from dispatch.leaders.scope import scope_for
from dispatch.messaging.phones import to_e164
from dispatch.runtime.unit_of_work import run_and_commit
from models import Leader, db

from .. import ratelimit
from . import bp

# Per address, for both sign-in forms together; and for everyone together (the SMS bill, the hashing work).
PER_ADDRESS = "10 per minute;60 per hour"
OVERALL = "120 per minute;2000 per hour"
# Per address and typed number: wrong passwords, and codes asked for. A leader's own device is another address.
PASSWORDS_PER_ADDRESS_AND_PHONE = "5 per 15 minutes"
CODES_PER_ADDRESS_AND_PHONE = "3 per hour"
login_manager = flask_login.LoginManager()


class SignedIn(flask_login.UserMixin):
    """The signed-in leader as Flask-Login keeps them: their id and session version."""

    def __init__(self, leader: Leader):
        self.leader = leader

    def get_id(self) -> str:
        """What the session cookie carries: '<leader id>:<session version>'."""
        return f"{self.leader.id}:{self.leader.session_version}"


@login_manager.user_loader
def load_signed_in(user_id: str) -> SignedIn | None:
    """The leader of a session cookie, unless the leader has signed out (or set a password) since."""
    leader_id, _, version = str(user_id).partition(":")
    if not leader_id.isdigit() or not version.isdigit() or int(leader_id) >= 2**31:
        return None
    leader = db.session.get(Leader, int(leader_id))
    return SignedIn(leader) if leader is not None and leader.session_version == int(version) else None


@login_manager.unauthorized_handler
def ask_to_sign_in():
    """Anonymous: 401 for the JSON API, else a redirect to the sign-in page that comes back here."""
    if request.path.startswith("/dashboard/api/"):
        return jsonify(error="login required"), 401
    return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))


login_required = flask_login.login_required


@bp.before_request
def load_leader():
    """Find the signed-in leader; end a session that is too old, idle too long, or signed out elsewhere."""
    g.leader = g.scope = None
    user = flask_login.current_user
    if not user.is_authenticated:
        if session.get("_user_id") is not None:  # a cookie from before a sign-out or a new password
            _end_session(_("登录已失效，请重新登录。"))
        return
    now, config = time.time(), current_app.config
    too_old = now - session.get("signed_in", 0) > config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    idle = now - session.get("seen", 0) > config["DASHBOARD_IDLE_MINUTES"] * 60
    if too_old or idle:
        _end_session(_("登录已过期，请重新登录。"))
        return
    if not request.path.startswith("/dashboard/api/"):  # the board's own polling is not a person's activity
        session["seen"] = now
    g.leader, g.scope = user.leader, scope_for(db.session, user.leader)


def _end_session(message: str) -> None:
    flask_login.logout_user()
    session.clear()
    flash(message)


def _safe_next(target: str | None) -> str:
    """Only a path inside the dashboard; never another site, never a character that could split a header."""
    parts = urlsplit(target or "")
    plain = target and all(32 < ord(c) < 127 and c != "\\" for c in target)
    if plain and not parts.scheme and not parts.netloc and parts.path.startswith("/dashboard"):
        return target
    return url_for("dashboard.board")


def _sign_in(leader: Leader, by_code: bool):
    next_url, lang = session.get("next"), session.get("lang")
    session.clear()  # a fresh session (and CSRF token) at sign-in: no fixation
    flask_login.login_user(SignedIn(leader))
    session.permanent = True
    session.update(signed_in=time.time(), seen=time.time())
    if by_code:
        session["code_signed_in"] = time.time()  # the phone vouches for a new password for a while
    if lang:
        session["lang"] = lang
    if not leader.password_hash:
        flash(_("已登录。您可以设置一个密码，下次用手机号和密码登录。"))
        return redirect(url_for("dashboard.password"))
    return redirect(_safe_next(next_url))


def _requester() -> str:
    """A secret of this browser session, stored hashed with the codes it asks for."""
    if "code_requester" not in session:
        session["code_requester"] = secrets.token_urlsafe(32)
    return hashlib.sha256(session["code_requester"].encode()).hexdigest()


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Ask for a code by SMS, or sign in with phone and password."""
    if request.method == "GET":
        session["next"] = request.args.get("next")
        return render_template("dashboard/login.html", phone=request.args.get("phone", "")[:40])
    phone = request.form.get("phone", "").strip()[:40]
    config = current_app.config
    if request.form.get("password"):
        password = request.form["password"]
        leader = run_and_commit(lambda s, now: signin.check_password(s, phone, password, config, now))
        if leader is None:
            flash(_("手机号或密码不对。"), "error")
            return render_template("dashboard/login.html", phone=phone), 401
        return _sign_in(leader, by_code=False)
    requester = _requester()
    run_and_commit(lambda s, now: signin.send_login_code(s, phone, now, config, requester))
    session["login_phone"] = phone
    # The same words whether the phone is a leader's or not, and whether a code was just sent or not
    # ("wait"): the page must not reveal who is in the roster.
    flash(_("如果这个号码在领导名册中，验证码已通过短信发出，10分钟内有效。"))
    return redirect(url_for("dashboard.login_code"))


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """Type the code from the SMS."""
    phone = session.get("login_phone")
    if not phone:
        return redirect(url_for("dashboard.login"))
    if request.method == "GET":
        return render_template("dashboard/code.html", phone=phone)
    code, requester, config = request.form.get("code", "")[:20], _requester(), current_app.config
    outcome, leader = run_and_commit(lambda s, now: signin.check_login_code(s, phone, code, now, config, requester))
    if outcome == "ok":
        return _sign_in(db.session.get(Leader, leader.id), by_code=True)
    # One answer for a wrong, spent or missing code: which one it was would say whether the number is a leader's.
    flash(_("验证码不对或已失效。输错5次或超过10分钟，请重新获取验证码。"), "error")
    return render_template("dashboard/code.html", phone=phone), 401


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Set or change the leader's password (the current one is asked for, unless the phone vouched just now)."""
    vouched = time.time() - session.get("code_signed_in", 0) < signin.CODE_SIGN_IN_VOUCHES.total_seconds()
    asks_current = bool(g.leader.password_hash) and not vouched
    if request.method == "GET":
        return render_template("dashboard/password.html", asks_current=asks_current)
    form, leader_id = request.form, g.leader.id
    code_at = _when(session.get("code_signed_in"))
    problem = run_and_commit(lambda s, now: signin.set_password(
        s, leader_id, form.get("current", ""), form.get("password", ""), form.get("again", ""), now, code_at))
    if problem is None:
        flask_login.login_user(SignedIn(db.session.get(Leader, leader_id)))  # this device stays signed in
        session.pop("code_signed_in", None)
        flash(_("密码已设置。其他设备上的登录已结束。"))
        return redirect(_safe_next(session.pop("next", None)))
    flash({"current": _("当前密码不对。"), "short": _("密码至少%(n)d位。", n=signin.MIN_PASSWORD),
           "mismatch": _("两次输入的密码不一致。")}[problem], "error")
    return render_template("dashboard/password.html", asks_current=asks_current), 400


def _when(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc)


@bp.post("/logout")
def logout():
    """End the leader's dashboard sessions, on this device and every other, and go back to the sign-in page."""
    if g.leader is not None:
        leader_id = g.leader.id
        run_and_commit(lambda s, now: signin.end_sessions(s, leader_id))
    flask_login.logout_user()
    session.clear()
    flash(_("已退出。"))
    return redirect(url_for("dashboard.login"))


@bp.post("/language")
def language():
    """Switch the dashboard's language for this session."""
    chosen = request.form.get("lang")
    if chosen in ("zh", "mn"):
        session["lang"] = chosen
    return redirect(_safe_next(request.form.get("next")))


@bp.errorhandler(RateLimitExceeded)
def too_many(error):
    """Held back by a sign-in limit: the same page and words for every number."""
    flash(_("尝试次数太多，请稍后再试。"), "error")
    return render_template("dashboard/login.html", phone=""), 429


def _address_and_phone() -> str:
    typed = request.form.get("phone", "").strip()[:40]
    number = to_e164(typed, current_app.config["DEFAULT_REGION"]) or typed
    return f"{ratelimit.address()}|{number}"


def _asks_code() -> bool:
    return not request.form.get("password")


def init_app(app) -> None:
    """Flask-Login on `app`."""
    login_manager.init_app(app)


def limit_sign_in(app) -> None:
    """The sign-in forms' limits, once the blueprint is registered: per address, overall, per address and number."""
    for endpoint in ("dashboard.login", "dashboard.login_code"):
        ratelimit.guard(app, endpoint, PER_ADDRESS, shared="sign-in", methods=["POST"])
        ratelimit.guard(app, endpoint, OVERALL, shared="sign-in-overall", key_func=ratelimit.everyone,
                        methods=["POST"])
    ratelimit.guard(app, "dashboard.login", PASSWORDS_PER_ADDRESS_AND_PHONE, key_func=_address_and_phone,
                    methods=["POST"], exempt_when=_asks_code, deduct_when=lambda response: response.status_code == 401)
    ratelimit.guard(app, "dashboard.login", CODES_PER_ADDRESS_AND_PHONE, key_func=_address_and_phone,
                    methods=["POST"], exempt_when=lambda: not _asks_code())
