"""/dashboard/register: the register of vulnerable residents in the leader's scope (重点人群台账), filterable by
gacha, colour, category and overdue, the overdue households at the top. Sensitive personal information: only
within scope, and nothing of it is logged."""
from flask import current_app, flash, g, render_template, request
from flask_babel import gettext as _

from dispatch.register import view
from dispatch.register.access import record_access
from dispatch.runtime.unit_of_work import run_and_commit
from models import NEEDS, db

from . import bp
from .auth import login_required
from .labels import CONTACT, NEED, OUTCOME, RISK, word
from .reporting import scope_place_id


@bp.get("/register")
@login_required
def register():
    """The register, overdue first; filters that are not the page's own are dropped with a note."""
    places = view.places_to_filter(db.session, g.scope)
    chosen, bad = _filters({p.id for p in places})
    if bad:
        flash(_("筛选条件无效，已忽略。"), "error")
    scope, settings, leader = g.scope, current_app.config, g.leader
    place_id = chosen.get("place_id", scope_place_id())

    def read(session, now):  # every view of the register is on the access record, with the leader and the time
        record_access(session, leader, "register", place_id, now=now)
        return view.register_rows(session, scope, now, settings, **chosen)

    rows = run_and_commit(read)
    return render_template("dashboard/register.html", rows=rows, places=places, chosen=chosen, needs=NEED,
                           risks=RISK, contact=CONTACT, outcome=OUTCOME, word=word,
                           overdue=sum(1 for r in rows if r["overdue"]))


def _filters(place_ids: set[int]) -> tuple[dict, bool]:
    """The page's filters from the query (a place in scope, a colour, a category, overdue only) and whether
    any given value was not one of them."""
    args, chosen, bad = request.args, {}, False
    place = args.get("place", "")
    if place:
        if place.isascii() and place.isdigit() and int(place) in place_ids:
            chosen["place_id"] = int(place)
        else:
            bad = True
    for name, allowed, key in (("colour", view.COLOURS, "colour"), ("need", NEEDS, "need")):
        value = args.get(name, "")
        if value and value in allowed:
            chosen[key] = value
        elif value:
            bad = True
    chosen["overdue_only"] = args.get("overdue") == "1"
    return chosen, bad
