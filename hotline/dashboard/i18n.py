"""The dashboard's language: Chinese source strings through Flask-Babel, so Mongolian (and others) can follow.

Catalogues live in hotline/translations/<lang>/LC_MESSAGES/messages.po. Only the .po files are kept in git:
the app compiles a missing or stale .mo at start-up, and `flask --app wsgi compile-translations` does the same
for a read-only deployment (run it at release, beside `db upgrade`). To add strings (`_l` too: labels.py's lazy ones):
    pybabel extract -F babel.cfg -k _l -k lazy_gettext -o /tmp/messages.pot . && \
    pybabel update -i /tmp/messages.pot -d hotline/translations
tests/hotline/dashboard/test_translations.py fails until every new string has its Mongolian translation.

`mn` is Mongolian in the traditional script (the page says lang="mn-Mong"). There is no Cyrillic catalogue: Babel
would drop a "mn-Cyrl" tag to "mn", every leader reads Chinese, and a leader whose roster language is mn-Cyrl gets
the Chinese dashboard (a Cyrillic one would need its own locale name, such as mn_MN, and its ~330 strings).
"""
import logging
import os
from pathlib import Path

import click
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, session
from flask_babel import Babel

LANGUAGES = ("zh", "mn")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
log = logging.getLogger(__name__)


def select_locale() -> str:
    """The language the reader chose, else their roster language, else Chinese."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    leader = g.get("leader")
    return str(leader.language) if leader is not None and str(leader.language) in LANGUAGES else "zh"


def compile_catalogues(force: bool = False) -> list[Path]:
    """Write each .po's .mo beside it when missing or older; returns the files written."""
    written = []
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        os.replace(partial, mo_path)  # atomic: another worker never reads half a file
        written.append(mo_path)
    return written


@click.command("compile-translations")
def compile_translations_command() -> None:
    """Compile the dashboard's translation catalogues (.po -> .mo)."""
    for path in compile_catalogues(force=True):
        click.echo(f"wrote {path}")


def init_app(app) -> None:
    """Set up Flask-Babel for the dashboard: defaults, catalogues compiled when possible, the compile command."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "zh")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    try:
        compile_catalogues()
    except OSError:  # a read-only install: the release step compiles them
        log.warning("could not compile the dashboard's translations; run flask compile-translations", exc_info=True)
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.cli.add_command(compile_translations_command)
