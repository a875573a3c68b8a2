"""The voice line as Twilio drives it: signed posts that follow the TwiML's action URLs; what the caller hears
(<Play> prompts, <Say> fallbacks), what is stored and what is dispatched."""
from sqlalchemy import select

from models import Call, CallStep, Event, OutboundMessage, Request, RequestStatus, db
from tests.support.voice import Call as TwilioCall
from tests.support.webhooks import run_queued_jobs, signed_post

MENU = ["menu_intro", "menu_1", "menu_2", "menu_3", "menu_4", "menu_5", "menu_9"]


def sms_to(phone):
    return list(db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_phone == phone)
                                   .order_by(OutboundMessage.id)))


def the_request():
    db.session.expire_all()
    [request] = db.session.scalars(select(Request)).all()
    return request


def closing(twiml, language, ref):
    """The end of every path: the reference twice, digit by digit, then a clean hang-up."""
    assert twiml.digits_read(language) == ref * 2
    assert twiml.heard()[-1] == f"{language}/goodbye" and twiml.hangs_up


def test_unsigned_or_forged_voice_posts_are_refused_and_nothing_is_stored(app, client, ctx):
    form = TwilioCall(client, app, "+8613900000001").form()
    assert client.post("/twilio/voice", data=form).status_code == 403
    assert signed_post(client, app, "/twilio/voice", form, signature="Zm9yZ2Vk").status_code == 403
    assert signed_post(client, app, "/twilio/voice/menu?attempt=0", dict(form, Digits="9"),
                       signature="Zm9yZ2Vk").status_code == 403
    assert signed_post(client, app, "/twilio/status", dict(form, CallStatus="completed"),
                       signature="Zm9yZ2Vk").status_code == 403
    assert db.session.query(Call).count() == 0 and db.session.query(Request).count() == 0


def test_known_caller_is_greeted_in_mongolian_presses_1_and_hears_the_reference(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha, language="mn", name="巴图孟和")
    team = make.team(place=gacha, members=2)
    db.session.commit()
    call = TwilioCall(client, app, herder.phones[0].phone)

    greeting = call.dial_in()
    assert greeting.heard()[:2] == ["mn/welcome", "mn/menu_intro"]
    assert [key for key in greeting.heard() if key.startswith("mn/menu_")] == [f"mn/{k}" for k in MENU]
    assert greeting.find("Gather").get("numDigits") == "1" and greeting.find("Pause") is not None  # slowly

    confirm = call.press("1")
    request = the_request()
    assert (request.category, request.channel, request.household_id, str(request.language)) == \
        (1, "voice", herder.id, "mn")
    assert confirm.heard()[:3] == ["mn/received", "mn/cat_1", "mn/ref_is"] and "mn/sms_sent" in confirm.heard()
    closing(confirm, "mn", request.ref)
    [ack] = sms_to(herder.phones[0].phone)
    assert request.ref in ack.body and "\u1833\u180b\u1824\u182d\u1820\u1837" in ack.body  # by SMS too, traditional script

    run_queued_jobs(app)
    assert the_request().status == RequestStatus.offered
    assert all(request.ref in sms_to(m.phone)[0].body for m in team.members)
    assert db.session.scalar(select(Call.step)) == CallStep.done


def test_unknown_caller_chooses_chinese_keys_the_gacha_number_and_is_placed_there(app, client, ctx, make):
    gacha = make.gacha(name="巴音布拉格嘎查", lat=38.2, lon=108.3)
    gacha.short_number = "301"
    db.session.commit()
    call = TwilioCall(client, app, "+8613900000077")

    choose = call.dial_in()
    assert choose.heard() == ["mn/welcome", "mn/choose_language", "zh/welcome", "zh/choose_language"]
    ask = call.press("2")
    assert ask.heard() == ["zh/ask_gacha"] and ask.find("Gather").get("finishOnKey") == "#"
    wrong = call.press("999")
    assert wrong.heard() == ["zh/gacha_unknown", "zh/ask_gacha"]
    menu = call.press("301")
    assert menu.heard()[0] == "zh/menu_intro"  # no second welcome
    call.press("4")
    request = the_request()
    assert request.place_id == gacha.id and (request.lat, request.lon) == (38.2, 108.3)
    assert request.household_id is None and str(request.language) == "zh" and request.category == 4
    stored = db.session.scalar(select(Call))
    assert (stored.gacha, stored.keys) == ("301", "2|999|301|4")


def test_unknown_caller_who_cannot_key_the_gacha_goes_on_without_it(app, client, ctx):
    call = TwilioCall(client, app, "+8613900000078")
    call.dial_in()
    call.press("1")
    for _ in range(2):
        assert call.silence().heard() == ["mn/again", "mn/ask_gacha"]
    menu = call.silence()
    assert menu.heard()[0] == "mn/menu_intro"
    call.press("2")
    request = the_request()
    assert request.place_id is None and str(request.language) == "mn" and request.category == 2


def test_a_caller_who_cannot_choose_a_language_may_just_speak(app, client, ctx):
    call = TwilioCall(client, app, "+8613900000081")
    call.dial_in()
    assert call.silence().heard()[:2] == ["mn/again", "mn/choose_language"]
    call.press("5")
    record = call.silence()
    assert record.heard()[:2] == ["mn/record", "zh/record"] and record.find("Record") is not None
    request = the_request()
    assert request.category == 5 and str(request.language) == "zh"
    thanks = call.speak("https://api.twilio.com/recordings/RE12")
    assert thanks.digits_read("mn") == request.ref and thanks.digits_read("zh") == request.ref  # once in each


def test_silence_or_a_wrong_key_repeats_the_menu_twice_then_the_caller_speaks_after_the_tone(app, client, ctx, make):
    herder = make.household()
    db.session.commit()
    call = TwilioCall(client, app, herder.phones[0].phone)
    call.dial_in()
    first = call.silence()
    assert first.heard()[:2] == ["zh/again", "zh/menu_intro"]
    second = call.press("7")
    assert second.heard()[:2] == ["zh/again", "zh/menu_intro"]
    assert db.session.query(Request).count() == 0

    record = call.press("abc")  # not a key at all: a third miss
    assert record.heard()[0] == "zh/record"
    element = record.find("Record")
    assert element.get("playBeep") == "true"
    assert element.get("recordingStatusCallback").endswith("/twilio/voice/recording")
    request = the_request()  # stored before the caller speaks: a hang-up now loses nothing
    assert request.category == 5 and request.channel == "voice" and request.recording_url is None

    url = "https://api.twilio.com/2010-04-01/Accounts/AC00/Recordings/RE11"
    thanks = call.speak(url)
    assert thanks.heard()[0] == "zh/message_received"
    closing(thanks, "zh", request.ref)
    status = signed_post(client, app, "/twilio/voice/recording",
                         call.form(RecordingUrl=url, RecordingStatus="completed", RecordingSid="RE11"))
    assert status.status_code == 204
    request = the_request()
    assert request.recording_url == url
    assert db.session.query(Event).filter_by(request_id=request.id, kind="recording").count() == 1
    assert db.session.query(Request).count() == 1 and len(sms_to(herder.phones[0].phone)) == 1


def test_emergency_is_put_through_to_the_nearest_on_duty_lead_and_no_answer_ends_cleanly(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha, lat=38.1, lon=108.1)
    near = make.team(place=gacha, lat=38.11, lon=108.1)
    make.team(place=gacha, lat=38.6, lon=108.1)
    db.session.commit()
    call = TwilioCall(client, app, herder.phones[0].phone)
    call.dial_in()

    connecting = call.press("9")
    request = the_request()
    assert request.category == 9 and request.is_emergency
    assert connecting.heard() == ["zh/emergency_connecting"]
    dial = connecting.find("Dial")
    assert dial.findtext("Number") == near.members[0].phone  # the shift's lead
    assert dial.get("action").endswith("/twilio/voice/dialed")

    run_queued_jobs(app)  # dispatched at once, while the caller waits on the line
    assert [o.team_id for o in the_request().offers][0] == near.id  # and, an emergency, the next team at once
    assert len(the_request().offers) == 2

    after = call.dial_ends("no-answer")
    assert after.heard()[0] == "zh/emergency_alerted"
    closing(after, "zh", request.ref)
    stored = db.session.scalar(select(Call))
    assert stored.dial_status == "no-answer" and stored.dialed_phone == near.members[0].phone
    assert db.session.query(Event).filter_by(kind="call_unanswered").count() == 1


def test_emergency_answered_by_the_lead_ends_with_the_reference(app, client, ctx, make):
    herder = make.household()
    make.team()
    db.session.commit()
    call = TwilioCall(client, app, herder.phones[0].phone)
    call.dial_in()
    call.press("9")
    after = call.dial_ends("completed")
    assert "zh/emergency_alerted" not in after.heard()
    closing(after, "zh", the_request().ref)


def test_emergency_with_nobody_on_duty_tells_the_caller_a_team_is_alerted(app, client, ctx, make):
    herder = make.household()
    make.team(on_duty=False)
    db.session.commit()
    call = TwilioCall(client, app, herder.phones[0].phone)
    call.dial_in()
    answer = call.press("9")
    assert answer.find("Dial") is None and answer.heard()[0] == "zh/emergency_alerted"
    closing(answer, "zh", the_request().ref)


def test_hanging_up_before_choosing_becomes_a_call_back_request_for_the_nearest_team(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha, name="王桂兰")
    team = make.team(place=gacha, members=2)
    db.session.commit()
    phone = herder.phones[0].phone
    call = TwilioCall(client, app, phone)
    call.dial_in()
    assert call.hang_up("completed").status_code == 204
    assert call.hang_up("completed").status_code == 204  # delivered twice: nothing new

    request = the_request()
    assert (request.category, request.channel, request.household_id) == (5, "missed", herder.id)
    [ack] = sms_to(phone)
    assert request.ref in ack.body and "回电" in ack.body
    run_queued_jobs(app)
    for member in team.members:
        [offer] = sms_to(member.phone)
        assert "回电" in offer.body and phone in offer.body and "王桂兰" in offer.body
    assert db.session.scalar(select(Call.step)) == CallStep.missed


def test_a_missed_call_the_app_never_answered_is_not_lost_either(app, client, ctx):
    call = TwilioCall(client, app, "+8613900000079")
    assert call.hang_up("canceled").status_code == 204  # rang off before Twilio fetched /twilio/voice
    assert the_request().channel == "missed"


def test_a_withheld_number_that_hangs_up_cannot_be_called_back(app, client, ctx):
    call = TwilioCall(client, app, "anonymous")
    call.dial_in()
    call.hang_up()
    assert db.session.query(Request).count() == 0
    assert db.session.scalar(select(Call.step)) == CallStep.missed


def test_the_same_call_sid_posted_twice_changes_nothing(app, client, ctx, make):
    herder = make.household()
    db.session.commit()
    call = TwilioCall(client, app, herder.phones[0].phone)
    first = call.dial_in()
    again = call.dial_in()
    assert first.heard() == again.heard() and db.session.query(Call).count() == 1
    action = first.find("Gather").get("action")
    one = call.press("3")
    call.post(action, Digits="3")
    assert call.twiml.heard() == one.heard()
    assert db.session.query(Request).count() == 1 and len(sms_to(herder.phones[0].phone)) == 1


def test_a_caller_whose_request_is_still_open_hears_it_is_in_hand(app, client, ctx, make):
    herder = make.household()
    db.session.commit()
    first = TwilioCall(client, app, herder.phones[0].phone)
    first.dial_in()
    first.press("1")
    ref = the_request().ref
    second = TwilioCall(client, app, herder.phones[0].phone)
    second.dial_in()
    answer = second.press("3")
    assert answer.heard()[0] == "zh/still_open" and answer.digits_read("zh") == ref * 2
    assert db.session.query(Request).count() == 1


def test_bad_input_gets_well_formed_twiml_never_a_500(app, client, ctx):
    call = TwilioCall(client, app, "+8613900000080")
    no_sid = signed_post(client, app, "/twilio/voice", {"From": "+8613900000080"})
    assert no_sid.status_code == 200 and b"<Hangup" in no_sid.data
    odd = signed_post(client, app, "/twilio/voice/menu?attempt=banana", call.form(Digits="１２"))
    assert odd.status_code == 200 and b"<Gather" in odd.data  # read as a miss: the menu again
    dialed = signed_post(client, app, "/twilio/voice/dialed", call.form(DialCallStatus="busy"))
    assert dialed.status_code == 200 and b"<Hangup" in dialed.data
    offer = signed_post(client, app, "/twilio/voice/offer?call=x", call.form())
    assert offer.status_code == 200 and b"<Hangup" in offer.data
    assert signed_post(client, app, "/twilio/voice/nowhere", call.form()).status_code == 404


def test_a_prompt_without_a_recording_is_said_in_chinese(app, client, ctx, make, monkeypatch):
    from hotline.voice import prompts

    real = prompts.audio_file
    monkeypatch.setattr(prompts, "audio_file", lambda key, language: None if key == "welcome" else real(key, language))
    herder = make.household(language="mn")
    db.session.commit()
    greeting = TwilioCall(client, app, herder.phones[0].phone).dial_in()
    say = greeting.find("Say")
    assert say.text == prompts.text("welcome", "zh") and say.get("voice") == "Polly.Zhiyu"
    assert greeting.heard()[1] == "mn/menu_intro"


def test_two_callers_with_withheld_numbers_get_two_requests(app, client, ctx):
    refs = []
    for sid, key in (("CA" + "a" * 32, "2"), ("CA" + "b" * 32, "4")):
        call = TwilioCall(client, app, "anonymous", sid=sid)
        call.dial_in()
        call.press("2")  # Chinese
        for _ in range(3):
            call.silence()  # no gacha number
        call.press(key)
    requests = list(db.session.scalars(select(Request).order_by(Request.id)))
    assert [r.category for r in requests] == [2, 4]  # the second caller's need is not lost in the first's
    refs = {r.ref for r in requests}
    assert len(refs) == 2


def test_a_key_pressed_before_the_hang_up_report_sets_what_is_needed(app, client, ctx, make):
    herder = make.household()
    db.session.commit()
    call = TwilioCall(client, app, herder.phones[0].phone)
    call.dial_in()
    assert call.hang_up("completed").status_code == 204  # Twilio's report overtakes the key press...
    call.press("1")  # ...which arrives after it
    request = the_request()
    assert (request.category, request.channel) == (1, "voice")


def test_what_a_caller_hears_and_what_they_are_texted_are_separate(app, client, ctx, make):
    # A Mongolian speaker who reads only Chinese (sms_language zh), and one who reads Cyrillic (mn-Cyrl):
    # both hear the Mongolian recordings; each reference SMS comes in what they read.
    gacha = make.gacha()
    reads_chinese = make.household(place=gacha, language="mn", name="巴图")
    reads_chinese.sms_language = "zh"
    reads_cyrillic = make.household(place=gacha, language="mn-Cyrl", name="其其格")
    db.session.commit()
    for herder, number in ((reads_chinese, "编号"), (reads_cyrillic, "дугаар")):
        call = TwilioCall(client, app, herder.phones[0].phone)
        assert call.dial_in().heard()[:2] == ["mn/welcome", "mn/menu_intro"]
        closing(call.press("1"), "mn", db.session.scalar(
            select(Request.ref).where(Request.household_id == herder.id)))
        [ack] = sms_to(herder.phones[0].phone)
        assert number in ack.body
