"""The open-calls board (page and JSON), teams on duty, the day's duty schedule (the charts: reporting.py)."""
import zoneinfo
from datetime import date, datetime

from flask import abort, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.leaders import duty, mapdata, reports
from dispatch.ledgers import choice
from dispatch.runtime.unit_of_work import run_and_commit
from models import db

from . import bp
from .auth import login_required
from .modem import modem_line
from .labels import CATEGORY, DELIVERY, ROLE, STATUS, SUBCATEGORY, TEMPLATE, age, word

POLL_MS = 2500


def zone():
    """The time zone people read times in (TIMEZONE)."""
    return zoneinfo.ZoneInfo(current_app.config["TIMEZONE"])


def local(moment: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    """A moment as the reader's clock shows it (TIMEZONE)."""
    return moment.astimezone(zone()).strftime(fmt) if moment else ""


@bp.app_template_filter("local")
def local_filter(moment, fmt="%m-%d %H:%M"):
    """The `local` template filter: a moment on the reader's clock, formatted with `fmt`."""
    return local(moment, fmt)


def board_row(row: dict) -> dict:
    """A board row with words and links for the page and its polling script."""
    last = row["last_message"]
    trouble = []
    if row["failed_messages"]:
        trouble.append(_("%(n)d条短信未送达", n=row["failed_messages"]))
    if row["escalation_reason"]:
        trouble.append(row["escalation_reason"])
    elif row["status"] == "escalated" and not row["holder"]:
        trouble.append(_("无人接单，待领导安排"))
    holder = row["holder"] or (_("%(team)s（待接）", team=row["waiting_on"]) if row["waiting_on"] else "—")
    return {
        "ref": row["ref"], "status": row["status"], "status_label": word(STATUS, row["status"]),
        "category": row["category"], "category_label": word(CATEGORY, row["category"]),
        "subcategory_label": word(SUBCATEGORY, row["subcategory"]) if row["subcategory"] else "",
        "emergency": row["category"] == 9, "red": row.get("risk") == "red", "age": age(row["age_minutes"]), "age_minutes": row["age_minutes"],
        "created": local(row["created_at"]), "place": row["place"] or _("位置未知"),
        "caller": row["caller"] or _("名册外"), "phone": row["phone"], "holder": holder,
        "last_message": None if last is None else {
            "status": last["status"], "label": word(DELIVERY, last["status"]) + (
                f"（{last['error_code']}）" if last["error_code"] else ""),
            "what": word(TEMPLATE, last["template"]), "at": local(last["at"], "%H:%M")},
        "trouble": "；".join(trouble), "lat": row["lat"], "lon": row["lon"],
        "url": url_for("dashboard.request_page", ref=row["ref"]),
    }


def board_filter() -> dict:
    """The board's filter from the query string: a category and a sub-category, each optional; 400 when bad."""
    category, subcategory = request.args.get("category") or None, request.args.get("sub") or None
    if category is not None and (not category.isdigit() or int(category) not in CATEGORY):
        abort(400)
    if subcategory is not None and subcategory not in SUBCATEGORY:
        abort(400)
    return {"category": int(category) if category else None, "subcategory": subcategory}


def board_data(session, now, wanted=None) -> dict:
    """Everything the board shows and polls: the open calls (of one category or sub-category when `wanted`
    says so) and the on-duty teams' points."""
    rows = [board_row(r) for r in reports.open_calls(session, g.scope, now, **(wanted or {}))]
    teams = [{"name": t["name"], "lat": t["lat"], "lon": t["lon"], "vehicle": t["vehicle"],
              "busy": bool(t["held"] or t["offered"])} for t in duty.teams_now(session, g.scope, now) if t["on_duty"]]
    return {"calls": rows, "teams": teams, "count": len(rows), "at": local(now, "%H:%M:%S"),
            "limit": reports.BOARD_LIMIT, "modem": modem_line()}


@bp.get("/")
@login_required
def board():
    """The open-calls board: escalated and oldest first, with a map; it refreshes itself."""
    wanted = board_filter()
    data, outlines = run_and_commit(lambda s, now: (board_data(s, now, wanted), mapdata.place_outlines(s, g.scope)))
    return render_template("dashboard/board.html", data=data, outlines=outlines, poll_ms=POLL_MS,
                           tiles=current_app.config.get("MAP_TILE_URL"), wanted=wanted, categories=CATEGORY,
                           subcategories=SUBCATEGORY,
                           api=url_for("dashboard.board_api", category=wanted["category"], sub=wanted["subcategory"]))


@bp.get("/api/board")
@login_required
def board_api():
    """The board as JSON, polled by the page every few seconds (with the page's filter)."""
    wanted = board_filter()
    return jsonify(run_and_commit(lambda s, now: board_data(s, now, wanted)))


@bp.get("/teams")
@login_required
def teams():
    """Each team: on duty now or not, vehicle, lead, members, what it holds."""
    rows = run_and_commit(lambda s, now: duty.teams_now(s, g.scope, now))
    return render_template("dashboard/teams.html", teams=rows, roles=ROLE, word=word,
                           places=choice.places_to_choose(db.session, g.scope))


@bp.get("/schedule")
@login_required
def schedule():
    """A day's duty schedule, per gacha (all in scope, or one)."""
    try:
        day = date.fromisoformat(request.args["day"]) if request.args.get("day") else datetime.now(zone()).date()
        gacha = int(request.args["gacha"]) if request.args.get("gacha") else None
    except ValueError:
        abort(400)
    if not 2000 <= day.year <= 2100 or (gacha is not None and not 0 < gacha < 2**31):
        abort(400)  # a day or id no schedule can have (and that the database cannot take)
    gachas = duty.gachas_in(db.session, g.scope)
    if gacha is not None and gacha not in {p.id for p in gachas}:
        abort(404)  # not a place with teams in this leader's scope
    groups = run_and_commit(lambda s, now: duty.day_schedule(s, g.scope, day, zone(), gacha))
    return render_template("dashboard/schedule.html", groups=groups, day=day, gachas=gachas, gacha=gacha)

