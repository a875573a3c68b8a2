"""One request's page (timeline, ranking, recording) and what a leader does to it.

Every action: the request must be in the leader's scope (else 404, as if it did not exist), one function of
dispatch.leader_actions does the work with `now`, one commit, then back to the page with what happened.
"""
from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.leaders import actions, reports
from dispatch.leaders.scope import request_in_scope, team_in_scope
from dispatch.register import view as register_view
from dispatch.runtime.unit_of_work import run_and_commit
from models import db

from . import bp
from .auth import login_required
from .labels import (CATEGORY, CHANNEL, CONTACT, DELIVERY, EVENT, NEED, OFFER, OUTCOME, RISK, ROLE, STATUS,
                     SUBCATEGORY, TEMPLATE, age, word)


@bp.get("/requests/<ref>")
@login_required
def request_page(ref):
    """The request's whole story and the leader's actions."""
    settings = current_app.config

    def read(session, now):
        view = reports.request_view(session, g.scope, ref, now)
        if view is not None:  # a caller on the register is shown as such
            view["register"] = register_view.household_card(session, view["request"].household, now, settings)
        return view

    view = run_and_commit(read)
    if view is None:
        abort(404)
    labels = {"status": STATUS, "category": CATEGORY, "channel": CHANNEL, "delivery": DELIVERY, "event": EVENT,
              "offer": OFFER, "role": ROLE, "template": TEMPLATE, "subcategory": SUBCATEGORY, "need": NEED,
              "risk": RISK, "contact": CONTACT, "outcome": OUTCOME}
    return render_template("dashboard/request.html", view=view, r=view["request"], labels=labels, word=word,
                           age=age(view["age_minutes"]))


@bp.get("/requests/<ref>/recording")
@login_required
def recording(ref):
    """The caller's voice message, fetched from the provider with our credentials (its URL needs them)."""
    found = request_in_scope(db.session, g.scope, ref)
    if found is None or not found.recording_url:
        abort(404)
    audio = current_app.extensions["hotline.sms_gateway"].fetch_recording(found.recording_url)
    if audio is None:
        abort(404)
    # Audio only (the gateway refuses anything else), played in the page or saved, never run as a page.
    extension = "wav" if "wav" in audio[1] else "mp3"
    return Response(audio[0], mimetype=audio[1], headers={
        "Cache-Control": "private, max-age=3600",
        "Content-Disposition": f'inline; filename="{found.ref}.{extension}"'})


def _scoped_request_id(ref: str) -> int:
    found = request_in_scope(db.session, g.scope, ref)
    if found is None:
        abort(404)
    return found.id


def _back(ref: str, outcome: str, messages: dict):
    message = messages.get(outcome)
    if message is None:
        flash(_("未能执行：此求助已结束或已变化，请刷新后再试。"), "error")
    else:
        flash(message)
    return redirect(url_for("dashboard.request_page", ref=ref))


@bp.post("/requests/<ref>/reassign")
@login_required
def reassign(ref):
    """Give the request to a team the leader chose."""
    request_id = _scoped_request_id(ref)
    try:
        team_id = int(request.form.get("team_id", ""))
    except ValueError:
        abort(400)
    if not 0 < team_id < 2**31:
        abort(400)
    team = team_in_scope(db.session, g.scope, team_id)
    if team is None:
        abort(403)  # a team outside the leader's scope
    leader, settings = g.leader, current_app.config
    outcome = run_and_commit(lambda s, now: actions.reassign(s, request_id, team_id, leader, now, settings))
    return _back(ref, outcome, {"reassigned": _("已改派给%(team)s，已短信通知该队队员和住户。", team=team.name),
                                "same_team": _("%(team)s已经在处理此求助。", team=team.name)})


@bp.post("/requests/<ref>/cancel")
@login_required
def cancel(ref):
    """Cancel the request; the herder and the teams involved are told."""
    request_id, leader, note = _scoped_request_id(ref), g.leader, request.form.get("note", "")
    outcome = run_and_commit(lambda s, now: actions.cancel_request(s, request_id, leader, note, now))
    return _back(ref, outcome, {"cancelled": _("已取消此求助，已短信告知住户。")})


@bp.post("/requests/<ref>/close")
@login_required
def close(ref):
    """Close the request as done, with a note."""
    return _with_note(ref, actions.close_request, _("办结需要填写说明。"),
                      {"done": _("已办结，已短信请住户确认是否解决。")})


@bp.post("/requests/<ref>/note")
@login_required
def note(ref):
    """Add a note to the request's timeline."""
    return _with_note(ref, actions.add_note, _("备注不能为空。"), {"noted": _("备注已记录。")})


@bp.post("/requests/<ref>/subcategory")
@login_required
def subcategory(ref):
    """File the request under a service of the catalogue (or none)."""
    request_id, leader, code = _scoped_request_id(ref), g.leader, request.form.get("subcategory") or None
    if code is not None and code not in SUBCATEGORY:
        abort(400)
    outcome = run_and_commit(lambda s, now: actions.set_subcategory(s, request_id, code, leader, now))
    return _back(ref, outcome, {"set": _("细类已更改。"), "unchanged": _("细类没有变化。")})


def _with_note(ref: str, action, empty: str, messages: dict):
    """Run a leader's action that needs a note; an empty note is sent back with `empty`."""
    request_id, leader, text = _scoped_request_id(ref), g.leader, request.form.get("note", "")
    outcome = run_and_commit(lambda s, now: action(s, request_id, leader, text, now))
    if outcome == "no_note":
        flash(empty, "error")
        return redirect(url_for("dashboard.request_page", ref=ref))
    return _back(ref, outcome, messages)
