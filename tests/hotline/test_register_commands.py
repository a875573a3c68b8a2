"""`flask --app wsgi checkin-round`: a round now, said in one sentence; a second run the same day sends nothing."""
from sqlalchemy import select

from models import OutboundMessage, db
from tests.support.webhooks import run_queued_jobs


def test_the_command_runs_a_round_once_a_day(app, runner, ctx, make):
    gacha = make.gacha()
    member = make.team(place=gacha).members[0]
    make.register_household(place=gacha, contact=member, name="乌云")
    make.register_household(place=gacha, contact=member, name="巴特尔", needs="", risk="red")
    db.session.commit()
    result = runner.invoke(args=["checkin-round"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("Lists sent to 1 paired member(s), 2 household(s) in them; 2 hotline "
                                     "check-in(s) begun; 0 township leader(s) told of households overdue twice.")
    run_queued_jobs(app)
    db.session.expire_all()
    [sms] = db.session.scalars(select(OutboundMessage).where(OutboundMessage.template == "checkin_list")).all()
    assert sms.to_phone == member.phone and "1巴特尔、2乌云" in sms.body and sms.status == "sent"
    again = runner.invoke(args=["checkin-round"])
    assert again.exit_code == 0 and again.output.startswith("Lists sent to 0 paired member(s)")
