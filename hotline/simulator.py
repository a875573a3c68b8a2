"""/simulator (SMS_BACKEND=console, or gammu on Gammu's dummy phone): text the duty number as any roster phone,
or a stranger's.

On the console, texts go through `answer_sms`, the webhook's own path; later SMS (offers, "team X is coming")
come from the worker. On the dummy phone, a text is dropped into the dummy's inbox: gammu-smsd stores it, the
worker's modem loop reads it, and every answer leaves through gammu-smsd, as on a real modem.
"""
import uuid
from datetime import timedelta
import zoneinfo

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from dispatch.ladder import offers
from dispatch.messaging import texts
from dispatch.conversation.inbound import InboundSms
from dispatch.messaging.phones import to_e164
from dispatch.runtime.unit_of_work import run_and_commit, utcnow
from models import (OPEN_STATUSES, DutyShift, Household, HouseholdPhone, InboundMessage, Leader, Member, Offer,
                    OfferStatus, OutboundMessage, Place, Request, RequestStatus, db)

from .gateways import gammu_dummy
from .sms import answer_sms

bp = Blueprint("simulator", __name__, url_prefix="/simulator")

MAX_BODY = 1600  # Twilio's limit for one message body
ROSTER_LIMIT = 300  # per group: the page is for training and demos, not for browsing 10,000 members
THREAD_LIMIT = 200
FEED_LIMIT = 50
CATEGORIES = (1, 2, 3, 4, 5, 9)
LABELS = {  # roles, message statuses and request statuses as the page shows them
    "captain": "队长", "member": "队员", "doctor": "医生", "driver": "司机", "gacha_secretary": "嘎查书记",
    "township_leader": "镇领导", "pending": "待发送", "sent": "已发出", "delivered": "已送达", "undelivered": "未送达",
    "failed": "发送失败", "blocked": "超出当日条数，未发", "replied": "即时回复", "inbound": "已收到",
    "unhandled": "未能处理，已存档", "received": "待派单", "offered": "派单中", "accepted": "已接单", "done": "已办结",
    "escalated": "已升级", "cancelled": "已取消",
}


class PhoneError(ValueError):
    """A number the simulator cannot play; the message says why, in Chinese and English."""


def parse_phone(raw: str | None) -> str:
    """The typed or chosen number as E.164, or PhoneError with a sentence the user can act on."""
    raw, config = (raw or "").strip(), current_app.config
    if not raw:
        raise PhoneError("请先选择或输入一个电话号码。Choose or type a phone number.")
    phone, duty = (to_e164(number, config["DEFAULT_REGION"]) if len(number) <= 40 else None
                   for number in (raw, config["TWILIO_FROM_NUMBER"]))
    if "".join(raw.split()) == config["TWILIO_FROM_NUMBER"] or (phone and phone == duty):
        raise PhoneError("这是值班号码本身，请换一个号码。That is the duty number itself.")
    if phone is None:
        raise PhoneError(f"“{raw[:40]}”不是有效的电话号码，请输入如 13912345678 或 +8613912345678。"
                         "Not a valid phone number.")
    return phone


def check_body(body: str) -> None:
    """Refuse an empty or over-long text (a real phone cannot send either)."""
    if body == "":
        raise PhoneError("短信内容不能为空。The message is empty.")
    if len(body) > MAX_BODY:
        raise PhoneError(f"短信太长：{len(body)}字，最多{MAX_BODY}字。At most {MAX_BODY} characters.")


def _when(moment, zone) -> str:
    return moment.astimezone(zone).strftime("%m-%d %H:%M:%S") if moment else ""


def on_duty_team_ids(now) -> set[int]:
    """The teams with a duty shift covering `now`."""
    return set(db.session.scalars(select(DutyShift.team_id).where(DutyShift.starts_at <= now,
                                                                  DutyShift.ends_at > now)))


def roster(now) -> dict[str, list[dict]]:
    """The phones to play, grouped: household phones, duty members, leaders."""
    herders = db.session.execute(
        select(HouseholdPhone.phone, Household.head_name, Place.name, Place.short_number).select_from(HouseholdPhone)
        .join(Household).join(Place, Household.place_id == Place.id)
        .order_by(Place.name, Household.head_name).limit(ROSTER_LIMIT + 1))
    on_duty = on_duty_team_ids(now)
    members = db.session.scalars(select(Member).options(selectinload(Member.team))
                                 .order_by(Member.team_id, Member.id).limit(ROSTER_LIMIT + 1))
    leaders = db.session.scalars(select(Leader).options(selectinload(Leader.place))
                                 .order_by(Leader.role.desc(), Leader.id).limit(ROSTER_LIMIT + 1))
    return {
        # The gacha's card number too: an unknown caller keys it on the voice line.
        "herders": [{"phone": p, "name": name, "detail": f"{gacha} · 嘎查编号{number}" if number else gacha,
                     "kind": "herder"} for p, name, gacha, number in herders],
        # Those on duty now first: they are the ones who get offers.
        "members": sorted((_member_row(m, m.team_id in on_duty) for m in members), key=lambda m: not m["on_duty"]),
        "leaders": [_leader_row(leader) for leader in leaders],
    }


def _member_row(member: Member, on_duty: bool) -> dict:
    return {"phone": member.phone, "name": member.name, "kind": "member", "on_duty": on_duty,
            "detail": f"{member.team.name} · {LABELS.get(member.role.value, member.role.value)}"}


def _leader_row(leader: Leader) -> dict:
    return {"phone": leader.phone, "name": leader.name, "kind": "leader",
            "detail": f"{LABELS.get(leader.role.value, leader.role.value)} · {leader.place.name}"}


def phone_view(phone: str, now, zone) -> dict:
    """Everything the phone screen shows: who the roster says it is, its thread and its one-tap replies."""
    member = db.session.scalar(select(Member).where(Member.phone == phone))
    leader = db.session.scalar(select(Leader).where(Leader.phone == phone))
    household = db.session.scalar(select(Household).join(HouseholdPhone).where(HouseholdPhone.phone == phone))
    who = [_member_row(member, member.team_id in on_duty_team_ids(now))] if member else []
    who += [_leader_row(leader)] if leader else []
    who += [{"name": household.head_name, "kind": "herder", "detail": household.place.name}] if household else []
    return {"phone": phone, "who": who, "messages": conversation(phone, zone),
            "quick": quick_replies(member, leader is not None, household is not None)}


def quick_replies(member: Member | None, leader: bool, herder: bool) -> list[dict]:
    """One-tap texts: a member's accept, decline and done with the reference filled in; OPEN; the categories."""
    quick = []
    if member is not None:
        for offer in offers.open_offers_for(db.session, member, utcnow(),
                                            timedelta(seconds=current_app.config["OFFER_TIMEOUT_SECONDS"])):
            ref = offer.request.ref
            quick += [{"body": f"1 {ref}", "label": f"接单 {ref}"}, {"body": f"2 {ref}", "label": f"拒绝 {ref}"}]
        held = db.session.scalars(select(Request.ref).where(Request.holder_team_id == member.team_id,
                                                            Request.status == RequestStatus.accepted))
        quick += [{"body": f"0 {ref}", "label": f"完成 {ref}"} for ref in held]
    if leader:
        quick.append({"body": "列表", "label": "列表 OPEN"})
    if herder or member is None:
        quick += [{"body": str(c), "label": f"{c} {texts.category_name(c, 'zh')}"} for c in CATEGORIES]
    return quick


def conversation(phone: str, zone) -> list[dict]:
    """What the phone sent and every SMS sent to it, oldest first (the latest THREAD_LIMIT)."""
    return _merged(InboundMessage.from_phone == phone, OutboundMessage.to_phone == phone, THREAD_LIMIT, zone)[::-1]


def _merged(inbound_filter, outbound_filter, limit: int, zone) -> list[dict]:
    """Inbound and outbound messages as one list, newest first."""
    items = []
    for model, stamp, where in ((InboundMessage, "received_at", inbound_filter),
                                (OutboundMessage, "created_at", outbound_filter)):
        rows = db.session.scalars(select(model).options(selectinload(model.request)).where(where)
                                  .order_by(model.id.desc()).limit(limit))
        items += [(getattr(m, stamp), model is OutboundMessage, m.id, _item(m, zone)) for m in rows]
    return [item for *_, item in sorted(items, key=lambda row: row[:3], reverse=True)][:limit]


def _item(message, zone) -> dict:
    mine = isinstance(message, InboundMessage)  # sent by the phone, not to it
    status = ("unhandled" if message.sender_kind == "unhandled" else "inbound") if mine else message.status.value
    error = f"（{message.error_code}）" if not mine and message.error_code else ""
    return {"mine": mine, "phone": message.from_phone if mine else message.to_phone, "body": message.body,
            "at": _when(message.received_at if mine else message.created_at, zone), "status": status,
            "status_label": LABELS.get(status, status) + error, "segments": texts.segments(message.body),
            "ref": message.request.ref if message.request else None}


def latest_messages(zone) -> list[dict]:
    """The latest FEED_LIMIT SMS in and out, any phone, newest first, with roster names."""
    feed = _merged(true(), true(), FEED_LIMIT, zone)
    names = phone_names({item["phone"] for item in feed})
    for item in feed:
        item["name"] = names.get(item["phone"], "名册外")
    return feed


def phone_names(phones: set[str]) -> dict[str, str]:
    """Roster names for these phones: the household head, the member or the leader."""
    names = dict(db.session.execute(select(HouseholdPhone.phone, Household.head_name).join(Household)
                                    .where(HouseholdPhone.phone.in_(phones))).all())
    for model in (Member, Leader):
        names.update(db.session.execute(select(model.phone, model.name).where(model.phone.in_(phones))).all())
    return names


def open_requests(zone) -> list[dict]:
    """The open requests, oldest first: reference, status, category, caller and who holds it."""
    requests = db.session.scalars(
        select(Request).where(Request.status.in_(OPEN_STATUSES))
        .options(selectinload(Request.offers).selectinload(Offer.team), selectinload(Request.holder_team),
                 selectinload(Request.household)).order_by(Request.created_at, Request.id).limit(FEED_LIMIT))
    return [{"ref": r.ref, "status": r.status.value, "status_label": LABELS.get(r.status.value, r.status.value),
             "category": texts.category_name(r.category, "zh"), "caller": r.caller_phone,
             "caller_name": r.household.head_name if r.household else "名册外", "holder": _holder(r),
             "at": _when(r.created_at, zone)} for r in requests]


def _holder(request: Request) -> str:
    if request.holder_team is not None:
        return request.holder_team.name
    waiting = [o.team.name for o in request.offers if o.status == OfferStatus.open]
    if waiting:
        return f"{waiting[0]}（待接）"
    return "嘎查/镇领导" if request.status == RequestStatus.escalated else "—"


def _phone_or_none(raw: str | None) -> str | None:
    try:
        return parse_phone(raw)
    except PhoneError:
        return None


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _page(phone=None, error=None, body="", status=200):
    now, zone = utcnow(), zoneinfo.ZoneInfo(current_app.config["TIMEZONE"])
    return render_template("simulator/page.html", phone=phone, error=error, body=body, max_body=MAX_BODY,
                           modem=current_app.config["SMS_BACKEND"] == "gammu",
                           limit=ROSTER_LIMIT, view=phone_view(phone, now, zone) if phone else None,
                           roster=roster(now), feed=latest_messages(zone), requests=open_requests(zone)), status


@bp.get("")
def page():
    """The simulator: roster, one phone's SMS screen, all messages and open requests."""
    raw = request.args.get("phone", "").strip()
    try:
        return _page(parse_phone(raw) if raw else None)
    except PhoneError as error:
        return _page(error=str(error), status=400)


@bp.post("/send")
def send():
    """Text the duty number as `phone`; JSON for fetch(), a redirect back for a plain form."""
    body = (request.form.get("quick") or request.form.get("body") or "").replace("\r\n", "\n")
    try:
        phone = parse_phone(request.form.get("phone"))
        check_body(body)
    except PhoneError as error:
        if _wants_json():
            return jsonify(error=str(error)), 400
        return _page(_phone_or_none(request.form.get("phone")), str(error), body, 400)
    to = current_app.config["TWILIO_FROM_NUMBER"]
    if current_app.config["SMS_BACKEND"] == "gammu":  # through the modem: the answer comes as an SMS
        gammu_dummy.receive(current_app.config["GAMMU_DUMMY_DIR"], phone, body)
        reply = ""
    else:
        sid = "SMsim" + uuid.uuid4().hex
        reply = answer_sms(InboundSms(sid=sid, from_raw=phone, to=to, body=body,
                                      form={"MessageSid": sid, "From": phone, "To": to, "Body": body,
                                            "Source": "simulator"}))
    if _wants_json():
        return jsonify(phone=phone, reply=reply)
    return redirect(url_for(".page", phone=phone))


@bp.post("/expire-offers")
def expire_offers():
    """Let every open offer time out now, so the ladder moves on without waiting."""
    count = run_and_commit(offers.make_open_offers_due)
    message = f"已让{count}个待接派单立即超时，派单将转给下一支服务队。{count} open offer(s) expired now."
    if _wants_json():
        return jsonify(expired=count, message=message)
    flash(message)
    return redirect(url_for(".page", phone=_phone_or_none(request.form.get("phone"))))


@bp.post("/report")
def delivery_report():
    """On the dummy phone: the network reports the oldest unreported SMS to `phone` delivered, or failed."""
    if current_app.config["SMS_BACKEND"] != "gammu":
        return jsonify(error="送达报告只在短信猫（Gammu dummy）线路上模拟。Only on the modem route."), 400
    try:
        phone = parse_phone(request.form.get("phone"))
    except PhoneError as error:
        return jsonify(error=str(error)), 400
    delivered = request.form.get("delivered") == "1"
    gammu_dummy.report(current_app.config["GAMMU_DUMMY_DIR"], phone, delivered)
    message = ("已模拟送达报告。" if delivered else "已模拟未送达报告：派单短信未送达时，派单会转给下一支服务队。") + \
        " A delivery report for the oldest unreported SMS to this phone."
    if _wants_json():
        return jsonify(message=message)
    flash(message)
    return redirect(url_for(".page", phone=phone))


@bp.get("/api/conversation")
def api_conversation():
    """One phone's screen as JSON, polled by the page."""
    try:
        phone = parse_phone(request.args.get("phone"))
    except PhoneError as error:
        return jsonify(error=str(error)), 400
    return jsonify(phone_view(phone, utcnow(), zoneinfo.ZoneInfo(current_app.config["TIMEZONE"])))


@bp.get("/api/overview")
def api_overview():
    """The latest messages and the open requests as JSON, polled by the page."""
    zone = zoneinfo.ZoneInfo(current_app.config["TIMEZONE"])
    return jsonify(messages=latest_messages(zone), requests=open_requests(zone))


def wanted(config) -> bool:
    """Whether to mount the simulator: it shows every SMS, so only where none reaches a real phone (the console,
    or Gammu's dummy phone)."""
    return config["SMS_BACKEND"] == "console" or (config["SMS_BACKEND"] == "gammu" and
                                                  bool(config["GAMMU_DUMMY_DIR"]))


def init_app(app):
    """Register the simulator's pages on `app` (only when `wanted`, as it shows every SMS)."""
    app.register_blueprint(bp)
