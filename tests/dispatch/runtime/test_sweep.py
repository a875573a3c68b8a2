"""The sweep finds each kind of stuck work and the jobs it enqueues finish it."""
from datetime import timedelta

from sqlalchemy import select

from dispatch.ladder import offers
from dispatch.conversation.inbound import InboundSms, receive_sms
from dispatch.runtime.sweep import stuck_work, sweep_once
from dispatch.runtime.unit_of_work import utcnow
from models import InboundMessage, OfferStatus, OutboundMessage, Request, RequestStatus, db
from tests.support.webhooks import run_queued_jobs


def test_sweep_finishes_what_lost_jobs_left_behind(app, ctx, make):
    gacha = make.gacha()
    make.team(place=gacha, lat=38.1, lon=108.1)  # the nearer team, offered first
    far = make.team(place=gacha, lat=38.5, lon=108.1)
    never_offered, timed_out = make.household(place=gacha), make.household(place=gacha)
    db.session.commit()
    long_ago = utcnow() - timedelta(hours=1)
    for n, household in enumerate([never_offered, timed_out]):
        receive_sms(db.session, InboundSms(f"SMsweep{n}", household.phones[0].phone, "+864778512345", "1"),
                    long_ago, app.config)
    db.session.commit()
    late = db.session.scalar(select(Request).where(Request.household_id == timed_out.id))
    offers.offer_to_next_team(db.session, late.id, long_ago, app.config)  # its expiry job was lost
    db.session.add(InboundMessage(provider_sid="SMraw", from_phone=make.household(place=gacha).phones[0].phone,
                                  body="送药", received_at=long_ago, sender_kind="unhandled", form={}))
    db.session.commit()
    app.extensions["hotline.queue"].connection.flushdb()  # every job that was enqueued is gone

    counts = sweep_once(db.session, app.extensions["hotline.queue"], utcnow(), app.config)
    assert counts == {"requests": 1, "offers": 1, "escalations": 0, "inbound": 1, "calls": 0, "messages": 1,
                      "checkins": 0}
    run_queued_jobs(app)
    db.session.expire_all()
    assert [r.status for r in db.session.scalars(select(Request).order_by(Request.id))] == \
        [RequestStatus.offered] * 3
    assert late.offers[0].status == OfferStatus.expired and late.offers[1].team_id == far.id
    raw = db.session.scalar(select(InboundMessage).where(InboundMessage.provider_sid == "SMraw"))
    assert raw.sender_kind == "herder" and raw.request is not None
    answer = db.session.scalar(select(OutboundMessage).where(OutboundMessage.key == f"reply-{raw.id}"))
    assert raw.request.ref in answer.body and answer.status == "sent"
    assert sweep_once(db.session, app.extensions["hotline.queue"], utcnow(), app.config) == \
        {"requests": 0, "offers": 0, "escalations": 0, "inbound": 0, "calls": 0, "messages": 0,
         "checkins": 0}


def test_young_work_is_left_to_its_own_job(app, ctx, make):
    herder = make.household()
    db.session.commit()
    now = utcnow()
    receive_sms(db.session, InboundSms("SMyoung", herder.phones[0].phone, "+864778512345", "1"), now, app.config)
    db.session.commit()
    found = stuck_work(db.session, now, stale=now - timedelta(seconds=30), offer_timeout=timedelta(minutes=5))
    assert found["requests"] == [] and found["messages"] == []


def test_an_offer_call_never_placed_is_placed_by_the_sweep(app, ctx, make):
    from models import Call, CallKind, CallStep

    gacha = make.gacha()
    team = make.team(place=gacha)
    herder = make.household(place=gacha)
    db.session.commit()
    long_ago = utcnow() - timedelta(minutes=10)
    receive_sms(db.session, InboundSms("SMcall", herder.phones[0].phone, "+864778512345", "1"), long_ago, app.config)
    db.session.commit()
    request = db.session.scalar(select(Request))
    offer = offers.offer_to_next_team(db.session, request.id, utcnow(), app.config)
    member = team.members[0]
    db.session.add(Call(kind=CallKind.offer, step=CallStep.pending, key=f"test-{offer.id}", from_phone="+864778512345",
                        to_phone=member.phone, offer_id=offer.id, member_id=member.id, started_at=long_ago))
    db.session.commit()
    app.extensions["hotline.queue"].connection.flushdb()  # the place_call job was lost with Redis
    assert sweep_once(db.session, app.extensions["hotline.queue"], utcnow(), app.config)["calls"] == 1
    run_queued_jobs(app)
    db.session.expire_all()
    call = db.session.scalar(select(Call))
    assert call.step == CallStep.placed and call.call_sid


def test_a_check_in_whose_jobs_were_lost_is_rung_and_tried_again_by_the_sweep(app, ctx, make):
    """The register's round rang a household, but Redis lost the jobs: the sweep places the call; when its
    status report is lost too, the sweep tries again once the retry wait is over."""
    from dispatch.register import round as register_round
    from models import Call, CallKind, CallStep, Checkin

    make.register_household(name="乌云")
    db.session.commit()
    register_round.run_round(db.session, utcnow() - timedelta(minutes=5), app.config)
    db.session.commit()  # committed, but nothing enqueued: as if Redis were down
    counts = sweep_once(db.session, app.extensions["hotline.queue"], utcnow(), app.config)
    assert (counts["calls"], counts["checkins"]) == (1, 0)  # the check-in call, found like any call
    run_queued_jobs(app)
    db.session.expire_all()
    assert db.session.scalar(select(Call.step)) == CallStep.placed

    hours_ago = utcnow() - timedelta(hours=3)  # the call rang three hours ago and Twilio's report never came
    db.session.execute(db.update(Call).values(started_at=hours_ago))
    db.session.execute(db.update(Checkin).values(last_try_at=hours_ago))
    db.session.commit()
    assert sweep_once(db.session, app.extensions["hotline.queue"], utcnow(), app.config)["checkins"] == 1
    run_queued_jobs(app)
    db.session.expire_all()
    rings = db.session.scalars(select(Call).where(Call.kind == CallKind.checkin).order_by(Call.id)).all()
    assert db.session.scalar(select(Checkin.tries)) == 2 and [r.step for r in rings][-1] == CallStep.placed
