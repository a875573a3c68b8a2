"""Short numeric references a herder can key in: four digits while they last, then five, then six."""
import functools
import secrets

from sqlalchemy import bindparam, select

from models import Request, SharePost


def new_reference(session) -> str:
    """A reference no request and no neighbour-sharing post has used yet: any number a resident holds means
    one thing."""
    for digits in (4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 6):
        ref = str(secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1))  # no leading zero
        if session.execute(_taken(), {"ref": ref}).first() is None:
            return ref
    raise RuntimeError("no free request reference; the six-digit space is nearly full")


@functools.cache
def _taken():
    """One round trip for both tables, built once: this runs on the webhook's hot path."""
    ref = bindparam("ref", type_=Request.ref.type)
    return select(Request.id).where(Request.ref == ref).union_all(select(SharePost.id).where(SharePost.ref == ref)) \
        .limit(1)
