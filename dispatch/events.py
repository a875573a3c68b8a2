"""The event trail of a request: every transition, with who and why."""
from models import Event


def record(session, request, kind: str, now, actor: str = "system", detail: str = "") -> Event:
    """Add one event row to the request's timeline."""
    event = Event(request=request, kind=kind, at=now, actor=actor, detail=detail)
    session.add(event)
    return event


def member_actor(member) -> str:
    return f"{member.name}（{member.team.name}）"
