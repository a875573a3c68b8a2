"""Nothing of the register goes into logs: a round, the member's reports, the check-in call and SMS and the
register page, logged as a log file holds them, leave no household's name, needs, ref or whole phone number
(hotline/log_privacy.py masks numbers; the register's code logs nothing)."""
from dispatch.register import round as register_round
from dispatch.runtime.unit_of_work import run_and_commit
from models import Call, CallKind, Contact, Language, Request, db
from tests.hotline.dashboard.conftest import sign_in
from tests.support.voice import Call as TwilioCall
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form

NAME = "乌云其木格独居老人"


def test_a_whole_round_logs_nothing_of_the_register(app, client, ctx, make, log_file):
    gacha = make.gacha()
    team = make.team(place=gacha, members=1)
    member = team.members[0]
    called = make.register_household(place=gacha, contact=member, name=NAME, needs="seriously_ill;pregnant",
                                     risk="red")
    reads = make.register_household(place=gacha, contact=member, name="识字的巴特尔", needs="disabled")
    reads.sms_language = Language.zh
    leader = make.leader(gacha)
    db.session.commit()
    run_and_commit(lambda s, now: register_round.run_round(s, now, app.config))
    run_queued_jobs(app)
    signed_post(client, app, "/twilio/sms", sms_form(member.phone, "V 1 2 1 孕期出血"))
    signed_post(client, app, "/twilio/sms", sms_form(reads.phones[0].phone, "平安"))
    [call] = db.session.scalars(db.select(Call).where(Call.kind == CallKind.checkin)).all()
    phone = TwilioCall(client, app, call.to_phone, sid=call.call_sid, outbound=True)
    phone.post(f"{app.config['PUBLIC_BASE_URL']}/twilio/voice/checkin?call={call.id}")
    phone.press("1")
    run_queued_jobs(app)
    sign_in(client, leader)
    assert NAME in client.get("/dashboard/register").get_data(as_text=True)
    assert db.session.query(Contact).count() == 3 and db.session.query(Request).count() == 1  # it all happened
    written = log_file.getvalue()
    assert written  # the jobs and requests did log
    for secret in (NAME, "识字的巴特尔", called.ref, reads.ref, "seriously_ill", "孕期出血", "孕产妇",
                   called.phones[0].phone[3:], reads.phones[0].phone[3:], member.phone[3:]):
        assert secret not in written, secret
