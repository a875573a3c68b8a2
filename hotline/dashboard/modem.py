"""The modem in the dashboard's words (SMS_BACKEND=gammu): one line on every page, red when SMS stop moving
(a stalled modem, the SIM's daily limit, gammu-smsd's database away), and that this line has no voice."""
from flask import current_app, g
from flask_babel import gettext as _

from dispatch.runtime.unit_of_work import utcnow

from . import bp


def modem_line() -> dict | None:
    """The modem's state as the page shows it; None on a provider that is not a modem."""
    gateway = current_app.extensions["hotline.sms_gateway"]
    if not hasattr(gateway, "modem_state"):
        return None
    state = gateway.modem_state(utcnow())
    return {"state": state.state, "alert": state.state != "ok", "text": describe(state),
            "voice": _("本线路为短信猫，没有语音：来电转为回电求助，派单提醒改用短信并告知带班。")}


def describe(state) -> str:
    """One sentence a leader can act on."""
    if state.state == "unreachable":
        return _("无法连接短信猫的数据库（gammu-smsd）：短信收发已中断，请检查服务器。")
    if state.state == "stalled":
        return _("短信猫可能已停止：%(n)d条短信在排队，%(m)d分钟没有发出。请检查短信猫、SIM卡和gammu-smsd。",
                 n=state.waiting, m=state.oldest_waiting_minutes or 0)
    if state.state == "limit_reached":
        return _("短信猫今日已发%(sent)d条，达到每日上限%(limit)d条：其余短信发不出去，按未送达处理。",
                 sent=state.sent_today, limit=state.daily_limit)
    if state.daily_limit:
        return _("短信猫正常：今日已发%(sent)d条（上限%(limit)d条），排队%(n)d条。", sent=state.sent_today,
                 limit=state.daily_limit, n=state.waiting)
    return _("短信猫正常：今日已发%(sent)d条，排队%(n)d条。", sent=state.sent_today, n=state.waiting)


@bp.context_processor
def modem_for_pages():
    """Every signed-in page shows the modem's line."""
    return {"modem": modem_line() if g.get("leader") is not None else None}
