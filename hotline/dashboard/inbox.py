"""Messages that never became requests, shown to the leaders whose scope they fall in."""
from flask import g, render_template

from dispatch.leaders.unhandled import unhandled_messages
from dispatch.runtime.unit_of_work import run_and_commit

from . import bp
from .auth import login_required


@bp.get("/messages")
@login_required
def messages():
    """Inbound SMS stored raw because handling them failed (the sweep keeps trying for a day)."""
    rows = run_and_commit(lambda s, now: unhandled_messages(s, g.scope, now))
    return render_template("dashboard/messages.html", rows=rows)
