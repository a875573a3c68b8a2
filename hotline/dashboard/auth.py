"""Signing in: a one-time code by SMS (the first time, and whenever wanted), or a password once set."""
import functools
import time
from urllib.parse import urlsplit

from flask import current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from dispatch.leaders import signin
from dispatch.leaders.scope import scope_for
from dispatch.runtime.unit_of_work import run_and_commit
from models import Leader, db

from . import bp, csrf_token


@bp.before_request
def load_leader():
    """Find the signed-in leader; end a session that is too old or has been idle too long."""
    g.leader = g.scope = None
    leader_id = session.get("leader_id")
    if leader_id is None:
        return
    now, config = time.time(), current_app.config
    too_old = now - session.get("signed_in", 0) > config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    idle = now - session.get("seen", 0) > config["DASHBOARD_IDLE_MINUTES"] * 60
    leader = db.session.get(Leader, leader_id)
    if too_old or idle or leader is None:
        session.clear()
        flash(_("登录已过期，请重新登录。"))
        return
    if not request.path.startswith("/dashboard/api/"):  # the board's own polling is not a person's activity
        session["seen"] = now
    g.leader, g.scope = leader, scope_for(db.session, leader)


def login_required(view):
    """Anonymous: 401 for the JSON API, else a redirect to the sign-in page that comes back here."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        if g.leader is None:
            if request.path.startswith("/dashboard/api/"):
                return jsonify(error="login required"), 401
            return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return checked


def _safe_next(target: str | None) -> str:
    """Only a path inside the dashboard; never another site."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and parts.path.startswith("/dashboard"):
        return target
    return url_for("dashboard.board")


def _sign_in(leader: Leader):
    next_url = session.get("next")
    lang = session.get("lang")
    session.clear()  # a fresh session (and CSRF token) at sign-in: no fixation
    session.permanent = True
    session.update(leader_id=leader.id, signed_in=time.time(), seen=time.time())
    if lang:
        session["lang"] = lang
    csrf_token()
    if not leader.password_hash:
        flash(_("已登录。您可以设置一个密码，下次用手机号和密码登录。"))
        return redirect(url_for("dashboard.password"))
    return redirect(_safe_next(next_url))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Ask for a code by SMS, or sign in with phone and password."""
    if request.method == "GET":
        session["next"] = request.args.get("next")
        return render_template("dashboard/login.html", phone=request.args.get("phone", ""))
    phone = request.form.get("phone", "").strip()[:40]
    config = current_app.config
    if request.form.get("password"):
        password = request.form["password"]
        leader = run_and_commit(lambda s, now: signin.check_password(s, phone, password, config, now))
        if leader is None:
            flash(_("手机号或密码不对。"), "error")
            return render_template("dashboard/login.html", phone=phone), 401
        return _sign_in(leader)
    run_and_commit(lambda s, now: signin.send_login_code(s, phone, now, config))
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
    code = request.form.get("code", "")[:20]
    config = current_app.config
    outcome, leader = run_and_commit(lambda s, now: signin.check_login_code(s, phone, code, now, config))
    if outcome == "ok":
        return _sign_in(db.session.get(Leader, leader.id))
    flash({"wrong": _("验证码不对，请再试。"), "locked": _("错误次数太多，请重新获取验证码。"),
           "expired": _("验证码已失效，请重新获取。")}[outcome], "error")
    return render_template("dashboard/code.html", phone=phone), 401


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Set or change the leader's password."""
    if request.method == "GET":
        return render_template("dashboard/password.html")
    new, again = request.form.get("password", ""), request.form.get("again", "")
    problem = run_and_commit(lambda s, now: signin.set_password(s, g.leader.id, new, again, now))
    if problem is None:
        flash(_("密码已设置。"))
        return redirect(_safe_next(session.pop("next", None)))
    flash({"short": _("密码至少%(n)d位。", n=signin.MIN_PASSWORD), "mismatch": _("两次输入的密码不一致。")}[problem],
          "error")
    return render_template("dashboard/password.html"), 400


@bp.post("/logout")
def logout():
    """End the leader's dashboard session and go back to the sign-in page."""
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
