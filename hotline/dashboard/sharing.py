"""The neighbour-sharing page (邻里互助): what residents can spare or need, each place's reserve (储备药物), the
matches and their deliveries. Leaders set a reserve's level, try the waiting needs again, close a post that is
gone. Every action stays within the leader's scope (else 404), one dispatch call, one commit."""
import re

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.leaders.actions import leader_actor
from dispatch.runtime.unit_of_work import run_and_commit
from dispatch.sharing import board, matching, stock
from models import Place, SharePost, db

from . import bp
from .auth import login_required
from .labels import ITEM, STATUS, word


@bp.get("/sharing")
@login_required
def sharing():
    """Needs waiting, haves on offer, reserves, the latest matches and what became of them."""
    view = run_and_commit(lambda s, now: board.sharing_view(s, g.scope, now, current_app.config))
    return render_template("dashboard/sharing.html", view=view, places=board.reserve_places(db.session, g.scope),
                           items=ITEM, status=STATUS, word=word)


@bp.post("/sharing/reserve")
@login_required
def set_reserve():
    """Set a place's reserve of one item; needs waiting under the place are matched to it at once."""
    item, level, place_id = request.form.get("item", ""), _number("level"), _number("place_id")
    if item not in ITEM or level is None or place_id is None or level > stock.MAX_RESERVE:
        abort(400)
    place = db.session.get(Place, place_id) if place_id < 2**31 else None
    if place is None or not g.scope.allows_place(place.id):
        abort(404)
    actor, settings = leader_actor(g.leader), current_app.config
    made = run_and_commit(lambda s, now: len(matching.restock(s, s.get(Place, place.id), item, level, actor,
                                                              now, settings)))
    flash(_("%(place)s的%(item)s储备已设为%(level)s。", place=place.name, item=word(ITEM, item), level=level)
          + (_("已为%(n)d位等待的居民配上，正在派单。", n=made) if made else ""))
    return redirect(url_for("dashboard.sharing"))


@bp.post("/sharing/match")
@login_required
def match_again():
    """Try every waiting need in scope again (after a delivery was cancelled, or new stock came in)."""
    scope, settings = g.scope, current_app.config
    made = run_and_commit(lambda s, now: len(matching.match_waiting(s, scope.located(SharePost.place_id), now,
                                                                    settings)))
    flash(_("新配上%(n)d件，正在派单。", n=made) if made else _("没有新的匹配。"))
    return redirect(url_for("dashboard.sharing"))


@bp.post("/sharing/posts/<int:post_id>/close")
@login_required
def close_post(post_id):
    """A have that is gone, or a need met elsewhere: it is matched no more."""
    if post_id >= 2**31 or board.post_in_scope(db.session, g.scope, post_id) is None:
        abort(404)
    actor = leader_actor(g.leader)
    outcome = run_and_commit(lambda s, now: stock.close_post(s, post_id, actor, now))
    if outcome == "closed":
        flash(_("已撤下。"))
    else:
        flash(_("未能执行：此登记已撤下或已变化，请刷新后再试。"), "error")
    return redirect(url_for("dashboard.sharing"))


def _number(field: str) -> int | None:
    """A whole number the form gives in `field` (plain digits only), or None."""
    value = request.form.get(field, "").strip()
    return int(value) if re.fullmatch(r"[0-9]{1,10}", value) else None
