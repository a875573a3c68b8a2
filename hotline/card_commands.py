"""`flask --app wsgi contact-cards PLACE_CODE OUT.pdf`: one printable contact card per household of a place
(and the places under it), recorded in the access record since the cards carry the register's people."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from dispatch.ledgers.period import LedgerError, place_scope
from dispatch.register.access import record_access
from dispatch.register.cards import PER_PAGE, scope_cards
from dispatch.runtime.unit_of_work import utcnow
from models import Place, db


def init_app(app) -> None:
    """Register the contact-cards command on `app`."""
    app.cli.add_command(contact_cards_command)


@click.command("contact-cards")
@click.argument("place_code")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def contact_cards_command(place_code: str, out: Path) -> None:
    """Write the contact cards (便民服务联系卡) of a gacha or township (its roster code) into OUT, a PDF."""
    config = current_app.config
    try:
        if not place_code.strip():  # place_scope reads "no code" as every place; a card run names one
            raise LedgerError("PLACE_CODE is empty; give a gacha's or township's code from the roster's places.")
        scope, name = place_scope(db.session, place_code)
    except LedgerError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        raise SystemExit(2)
    pdf, count = scope_cards(db.session, scope, config["DUTY_NUMBER"], config["DEFAULT_REGION"])
    if pdf is None:
        db.session.rollback()
        click.echo(f"{name} ({place_code.strip()}) has no households in the roster: no cards were written.", err=True)
        raise SystemExit(1)
    try:
        out.write_bytes(pdf)
    except OSError as error:
        db.session.rollback()
        click.echo(f"Cannot write {out}: {error.strerror or error}.", err=True)
        raise SystemExit(1)
    place_id = db.session.query(Place.id).filter(Place.code == place_code.strip()).scalar()
    record_access(db.session, None, "contact_cards", place_id, now=utcnow())
    db.session.commit()
    pages = -(-count // PER_PAGE)
    click.echo(f"Wrote {count} contact card{'s' if count != 1 else ''} of {name} on {pages} "
               f"page{'s' if pages != 1 else ''} into {out}.")
