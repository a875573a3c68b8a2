"""The five ledgers as downloads, and the charts page: each within the signed-in leader's scope."""
import io
import zipfile
from datetime import datetime, time, timedelta

from flask import abort, g, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from dispatch.leaders import charts
from dispatch.ledgers import choice, export, figures
from dispatch.ledgers.period import LedgerError, read_period
from dispatch.register.access import record_access
from dispatch.runtime.unit_of_work import run_and_commit
from models import Place, db

from . import bp
from .auth import login_required
from .labels import CATEGORY, word
from .views import zone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIGURE_NAMES = {"served": _l("服务群众（人）"), "visits": _l("走访（次）"), "medicine": _l("送药（次）"),
                "doctor": _l("送医（次）"), "hazards": _l("排除隐患（处）"), "mutual_aid": _l("邻里互助配对（次）"),
                "escalations": _l("升级（次）"), "median_minutes": _l("接单用时中位数（分钟）")}
LEDGER_NOTES = {"teams": _l("每支服务队：队长、按角色和身份的人数、车辆（名册现状）"),
                "households": _l("重点人群每户：类别、风险颜色、包联人、最近联系；另附按类别和颜色的合计"),
                "activities": _l("期间的走访、电话和短信问候、办结的求助"),
                "requests": _l("期间的每件求助：谁求助、谁接单、每次升级、何时办结、群众是否解决"),
                "shifts": _l("期间的每个值班班次：带班、值班人员、应急车辆")}
WEEK_CHOICES = (4, 8, 12, 26, 52)


def chosen_place(places) -> Place | None:
    """The place picked in `?place=` (or `?gacha=`), which must be one of `places`; 404 otherwise."""
    raw = request.args.get("place") or request.args.get("gacha")
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        abort(400)
    place = next((p for p in places if p.id == int(raw)), None)
    if place is None:
        abort(404)  # not a place in this leader's scope
    return place


def ledger_choice():
    """The leader's choice from the query string: (period, scope, place or None, name for the title row)."""
    try:
        period = read_period(request.args.get("since"), request.args.get("until"), datetime.now(zone()).date(), zone())
    except LedgerError:
        abort(400)
    place = chosen_place(choice.places_to_choose(db.session, g.scope))
    scope = choice.narrowed(db.session, g.scope, place) if place else g.scope
    name = place.name if place else (_("全部") if g.scope.everything else g.leader.place.name)
    return period, scope, place, name


@bp.get("/ledgers")
@login_required
def ledgers():
    """The five ledgers for a chosen range (and place), as downloads."""
    period, _scope, place, _name = ledger_choice()
    query = {"since": period.since.isoformat(), "until": period.until.isoformat()} | (
        {"place": place.id} if place else {})
    return render_template("dashboard/ledgers.html", period=period, place=place, query=query,
                           places=choice.places_to_choose(db.session, g.scope), ledgers=export.LEDGERS,
                           notes=LEDGER_NOTES)


@bp.get("/ledgers/<slug>.xlsx")
@login_required
def ledger_download(slug):
    """One ledger of the leader's scope as an .xlsx workbook."""
    if slug not in export.LEDGERS:
        abort(404)
    period, scope, place, name = ledger_choice()
    data = run_and_commit(lambda s, now: recorded(s, now, f"ledger:{slug}", place,
                                                  export.ledger_bytes(s, slug, scope, period, name)))
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=export.file_name(slug))


@bp.get("/ledgers/all.zip")
@login_required
def ledgers_zip():
    """All five ledgers in one .zip file."""
    period, scope, place, name = ledger_choice()
    run_and_commit(lambda s, now: recorded(s, now, "ledgers:all", place, None))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for slug in export.LEDGERS:
            data = run_and_commit(lambda s, now: export.ledger_bytes(s, slug, scope, period, name))
            archive.writestr(export.file_name(slug), data)
    out.seek(0)
    return send_file(out, mimetype="application/zip", as_attachment=True,
                     download_name=f"{name}五张台账{period.label()}.zip")


def recorded(session, now, what: str, place, result):
    """Write the access record of a download (the ledgers carry the register's people); return `result`."""
    record_access(session, g.leader, what, place.id if place else scope_place_id(), now=now)
    return result


def scope_place_id() -> int | None:
    """The place a download without `?place=` covers: the leader's own, or None (every place) for an admin."""
    return None if g.scope.everything else g.leader.place_id


@bp.get("/charts")
@login_required
def charts_page():
    """The figures leaders report, per week and per gacha, and the committee's three charts; tables beside each."""
    weeks = request.args.get("weeks", "12")
    if not weeks.isdigit() or int(weeks) not in WEEK_CHOICES:
        abort(400)
    weeks = int(weeks)
    places = choice.places_to_choose(db.session, g.scope)
    place = chosen_place(places)
    scope = choice.narrowed(db.session, g.scope, place) if place else g.scope
    data = run_and_commit(lambda s, now: report_figures(s, scope, now, weeks))
    return render_template("dashboard/charts.html", data=data, weeks=weeks, week_choices=WEEK_CHOICES,
                           places=places, place=place, figure_names=FIGURE_NAMES, categories=charts.CATEGORIES,
                           category_names=CATEGORY, word=word, chart_data=chart_data(data))


def report_figures(session, scope, now, weeks: int) -> dict:
    """The figures of the last `weeks` weeks (this one included) and the committee's charts, for the scope."""
    first = charts.week_of(now, zone()) - timedelta(weeks=weeks - 1)
    facts = figures.figure_facts(session, scope, datetime.combine(first, time(), tzinfo=zone()), now)
    return {"weekly": figures.by_week(facts, zone(), first, weeks), "places": figures.by_place(facts),
            "committee": charts.committee_figures(session, scope, now, zone()), "since": first}


def chart_data(data: dict) -> dict:
    """What charts.js draws: per chart, its labels and its series in order ([name, values]), every name already
    in the reader's language (the page's JSON has its keys sorted, so series are a list, not a mapping)."""
    committee = data["committee"]

    def series(rows, keys, label=lambda key: str(FIGURE_NAMES[key]), value=lambda row, key: row[key]):
        return [[label(key), [value(row, key) for row in rows]] for key in keys]

    weeks = [w["week"].strftime("%m-%d") for w in committee["acceptance"]]
    return {
        "weekly": {"labels": [w["week"].strftime("%m-%d") for w in data["weekly"]], "line": len(figures.COUNTED),
                   "series": series(data["weekly"], figures.FIGURES)},
        "places": {"labels": [p["place"] for p in data["places"]], "series": series(data["places"], figures.COUNTED)},
        "perDay": {"labels": [d["day"].strftime("%m-%d") for d in committee["per_day"]],
                   "series": series(committee["per_day"], charts.CATEGORIES, lambda c: word(CATEGORY, c),
                                    lambda row, c: row["counts"][c])},
        "acceptance": {"labels": weeks, "series": [
            [_("中位数"), [w["median_minutes"] for w in committee["acceptance"]]],
            [_("第90百分位"), [w["p90_minutes"] for w in committee["acceptance"]]]]},
        "escalated": {"labels": [w["week"].strftime("%m-%d") for w in committee["escalated"]],
                      "series": [[_("升级比例（%）"), [round(w["share"] * 100, 1) for w in committee["escalated"]]]]},
    }
