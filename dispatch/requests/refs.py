"""Short numeric references a herder can key in: four digits while they last, then five, then six."""
import secrets

from sqlalchemy import select

from models import Request, SharePost


def new_reference(session) -> str:
    """A reference no request and no neighbour-sharing post has used yet: any number a resident holds means
    one thing."""
    for digits in (4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 6):
        ref = str(secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1))  # no leading zero
        # One round trip for both tables: this runs on the webhook's hot path.
        taken = select(Request.id).where(Request.ref == ref).union_all(select(SharePost.id).where(SharePost.ref == ref))
        if session.execute(taken.limit(1)).first() is None:
            return ref
    raise RuntimeError("no free request reference; the six-digit space is nearly full")
