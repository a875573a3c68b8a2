"""Contact cards (便民服务联系卡) as a PDF download within the leader's scope, and the admin's page listing the
access record: the register is sensitive personal information, so every card download is written down."""
import io

from flask import abort, current_app, flash, g, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from dispatch.ledgers import choice, export
from dispatch.register.access import record_access, recent_access
from dispatch.register.cards import scope_cards
from dispatch.runtime.unit_of_work import run_and_commit
from models import LeaderRole, db

from . import bp
from .auth import login_required
from .reporting import chosen_place, scope_place_id

SHOWN = 500  # rows of the access record on its page, newest first


@bp.get("/cards.pdf")
@login_required
def contact_cards():
    """The contact cards of every household in the leader's scope (or of `?place=` under it), as one PDF."""
    place = chosen_place(choice.places_to_choose(db.session, g.scope))  # 404 outside the scope
    scope = choice.narrowed(db.session, g.scope, place) if place else g.scope
    config = current_app.config
    most = config["CARDS_PER_DOWNLOAD"]

    def cards(session, now):
        pdf, count = scope_cards(session, scope, config["DUTY_NUMBER"], config["DEFAULT_REGION"], most=most)
        if pdf is not None:
            record_access(session, g.leader, "contact_cards", place.id if place else scope_place_id(), now=now)
        return pdf, count

    pdf, count = run_and_commit(cards)
    if pdf is None:
        flash(_("这里还没有住户，没有联系卡可打印。") if not count else
              _("共%(count)d户，一次最多打印%(most)d张：请选一个嘎查下载。", count=count, most=most), "error")
        return redirect(url_for("dashboard.teams") + "#cards")
    name = place.name if place else (_("全部") if g.scope.everything else g.leader.place.name)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{name}便民服务联系卡.pdf")


@bp.get("/access")
@login_required
def access_record():
    """The access record, newest first: who downloaded cards or exported ledgers, when, for which place."""
    if g.leader.role != LeaderRole.admin:
        abort(404)  # only an admin may read who read the register; to others the page does not exist
    rows, total = recent_access(db.session, SHOWN)
    return render_template("dashboard/access.html", rows=rows, total=total, shown=SHOWN, what=what_was_read)


def what_was_read(what: str) -> str:
    """An access row's `what` as a leader reads it: 联系卡, 五张台账, 台账：团队统计表 …"""
    slug = what.partition(":")[2]
    if what.startswith("ledger:") and slug in export.LEDGERS:
        return _("台账：%(title)s", title=export.LEDGERS[slug][0])
    return {"contact_cards": _("联系卡"), "ledgers:all": _("五张台账"), "register": _("重点人群名册")}.get(what, what)
