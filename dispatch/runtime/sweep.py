"""The sweep: finds what a lost job, a Redis outage or a killed worker left behind, and enqueues it again.

It runs in its own loop beside every worker (worker.py) and in the embedded worker thread, every SWEEP_SECONDS
and once at start, so it does not depend on RQ's scheduler (whose lock outlives a killed worker by a minute).
Everything it enqueues is idempotent, so sweeping twice, or beside a live job, is safe. It also starts the
daily tasks (daily.py) once their hour has come.
"""
import logging
from datetime import timedelta

from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from models import (Call, CallKind, CallStep, Checkin, CheckinStatus, ContactChannel, Event, InboundMessage, Offer,
                    OfferStatus, OutboundMessage, OutboundStatus, Request, RequestStatus)

from . import daily

log = logging.getLogger(__name__)


def stuck_work(session, now, *, stale, offer_timeout: timedelta,
               checkin_waits=(timedelta(hours=24), timedelta(minutes=60))) -> dict[str, list]:
    """Requests never offered, offers past their deadline, escalations due a next level, SMS never handed
    over (or in doubt), check-ins past their try (`checkin_waits`: an SMS's reply window, a call's retry
    wait): each as ids, older than `stale` so live jobs are left alone."""
    told = (select(Event.request_id, func.max(Event.at).label("at")).where(Event.kind == "leaders_told")
            .group_by(Event.request_id).subquery())
    return {
        "requests": list(session.scalars(select(Request.id).where(
            Request.status == RequestStatus.received, Request.created_at < stale))),
        "offers": list(session.scalars(select(Offer.id).where(
            Offer.status == OfferStatus.open, Offer.expires_at < now - timedelta(seconds=1)))),
        "escalations": list(session.scalars(select(Request.id).join(told, told.c.request_id == Request.id).where(
            Request.status == RequestStatus.escalated, Request.escalation_level == 1,
            told.c.at < now - offer_timeout - timedelta(seconds=1)))),
        # Stored raw when handling failed; tried again for a day, then left to the leaders.
        "inbound": list(session.scalars(select(InboundMessage.id).where(
            InboundMessage.sender_kind == "unhandled", InboundMessage.received_at < stale,
            InboundMessage.received_at > now - timedelta(days=1)))),
        # Offer, leader and check-in calls recorded but never placed (Redis was down); after an hour they are moot.
        # (A check-in call the round spread over the minutes carries its own later time, so it waits for it.)
        "calls": list(session.scalars(select(Call.id).where(
            Call.kind.in_((CallKind.offer, CallKind.leader, CallKind.checkin)), Call.step == CallStep.pending,
            Call.started_at < stale, Call.started_at > now - timedelta(hours=1)))),
        # Check-ins whose look-again job was lost (the job itself waits until the try's time is over, so
        # enqueueing it early is harmless).
        "checkins": list(session.scalars(select(Checkin.id).where(
            Checkin.status == CheckinStatus.waiting, Checkin.last_try_at > now - timedelta(days=2),
            ((Checkin.channel == ContactChannel.sms) & (Checkin.last_try_at < stale - checkin_waits[0]))
            | ((Checkin.channel == ContactChannel.call)
               & (Checkin.last_try_at < stale - checkin_waits[1] - timedelta(hours=1)))))),
        "messages": list(session.scalars(select(OutboundMessage.id).where(
            ((OutboundMessage.status == OutboundStatus.pending) & (OutboundMessage.created_at < stale))
            | ((OutboundMessage.status == OutboundStatus.sending) & (OutboundMessage.attempted_at < stale))))),
    }


def sweep_once(session, queue, now, settings) -> dict[str, int]:
    """One pass: enqueue every piece of stuck work; returns how many of each kind."""
    every = timedelta(seconds=settings["SWEEP_SECONDS"])
    found = stuck_work(session, now, stale=now - every,
                       offer_timeout=timedelta(seconds=settings["OFFER_TIMEOUT_SECONDS"]),
                       checkin_waits=(timedelta(hours=settings["CHECKIN_REPLY_HOURS"]),
                                      timedelta(minutes=settings["CHECKIN_RETRY_MINUTES"])))
    daily_tasks = daily.not_run(session, daily.due_today(now, settings))
    session.rollback()  # read-only: end the transaction before talking to Redis
    # A job started longer ago than this belongs to a worker that died; younger ones are left to finish.
    stale_after = 3 * settings["SWEEP_SECONDS"] + settings["SEND_TIMEOUT_SECONDS"]

    def enqueue(func, *args, job_id, network=False):
        queue.enqueue_unless_waiting(func, *args, job_id=job_id, stale_after=stale_after, network=network)

    for request_id in found["requests"]:
        enqueue("dispatch.runtime.jobs.dispatch_request", request_id, job_id=f"dispatch-{request_id}-sweep")
    for offer_id in found["offers"]:
        enqueue("dispatch.runtime.jobs.expire_offer", offer_id, job_id=f"expire-{offer_id}-sweep")
    for request_id in found["escalations"]:
        enqueue("dispatch.runtime.jobs.escalate_further", request_id, 2, job_id=f"escalate-{request_id}-2-sweep")
    for inbound_id in found["inbound"]:
        enqueue("dispatch.runtime.jobs.retry_inbound", inbound_id, job_id=f"inbound-{inbound_id}-sweep")
    for call_id in found["calls"]:
        enqueue("dispatch.runtime.jobs.place_call", call_id, job_id=f"place-call-{call_id}-sweep", network=True)
    for checkin_id in found["checkins"]:
        enqueue("dispatch.runtime.jobs.checkin_again", checkin_id, job_id=f"checkin-again-{checkin_id}-sweep")
    for message_id in found["messages"]:
        enqueue("dispatch.runtime.jobs.send_message", message_id, job_id=f"send-{message_id}-sweep", network=True)
    for name, day in daily_tasks:
        enqueue("dispatch.runtime.jobs.run_daily", name, day.isoformat(), job_id=f"daily-{name}-{day.isoformat()}")
    counts = {kind: len(ids) for kind, ids in found.items()}
    if any(counts.values()):
        log.info("sweep re-enqueued %s", counts)
    return counts


def sweep_forever(app, stop=lambda: False) -> None:
    """Sweep every SWEEP_SECONDS until `stop()` says so; a failed pass (Redis or the database away) is retried."""
    import time

    from models import db

    from .unit_of_work import utcnow

    while not stop():
        with app.app_context():
            try:
                sweep_once(db.session, app.extensions["hotline.queue"], utcnow(), app.config)
            except (DBAPIError, RedisError) as error:  # the database or Redis is away (or not up yet): one line
                log.warning("sweep: %s (is the %s up?); trying again in %ss", type(error).__name__,
                            "database" if isinstance(error, DBAPIError) else "Redis", app.config["SWEEP_SECONDS"])
            except Exception:  # anything else: the next pass will find the same work
                log.warning("sweep failed; trying again in %ss", app.config["SWEEP_SECONDS"], exc_info=True)
            finally:
                db.session.remove()
        time.sleep(app.config["SWEEP_SECONDS"])
