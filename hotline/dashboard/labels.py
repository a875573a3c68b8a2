"""Words for the dashboard's codes (statuses, categories, roles, event kinds), translatable."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

STATUS = {"received": _l("待派单"), "offered": _l("派单中"), "accepted": _l("已接单"), "done": _l("已办结"),
          "escalated": _l("已升级"), "cancelled": _l("已取消")}
OFFER = {"open": _l("待接"), "accepted": _l("已接"), "declined": _l("已拒绝"), "expired": _l("超时"),
         "superseded": _l("已撤回")}
CATEGORY = {1: _l("送药"), 2: _l("就医"), 3: _l("代购代办"), 4: _l("水电暖"), 5: _l("其他求助"), 9: _l("紧急"),
            6: _l("邻里互助"), 7: _l("价格举报")}
ROLE = {"gacha_secretary": _l("嘎查书记"), "township_leader": _l("镇领导"), "admin": _l("管理员"),
        "captain": _l("队长"), "member": _l("队员"), "doctor": _l("医生"), "driver": _l("司机"),
        "market_regulator": _l("市场监管")}
DELIVERY = {"pending": _l("待发送"), "sending": _l("发送中"), "sent": _l("已发出"), "delivered": _l("已送达"),
            "undelivered": _l("未送达"), "failed": _l("发送失败"), "blocked": _l("超出当日条数，未发"),
            "replied": _l("即时回复"), "queued": _l("排队中"), "retry": _l("重试"), "found": _l("已查到")}
EVENT = {"received": _l("收到求助"), "offered": _l("派单"), "accepted": _l("接单"), "declined": _l("拒绝"),
         "expired": _l("超时未接"), "escalated": _l("升级"), "leaders_told": _l("短信通知领导"),
         "no_leader": _l("无领导可通知"), "done": _l("完成"), "message": _l("住户来信"), "feedback": _l("住户反馈"),
         "sms_blocked": _l("短信超限"), "reassigned": _l("改派"), "cancelled": _l("取消"), "closed": _l("办结"),
         "note": _l("备注"), "member_reminded": _l("短信再次通知队员"), "lead_told": _l("已告知带班"),
         "regulator_told": _l("已转市场监管"), "no_regulator": _l("无市场监管联系人"),
         "matched": _l("互助匹配"), "subcategory": _l("改细类"),
         "leader_unreached": _l("领导未收到短信"), "leader_called": _l("电话通知领导"),
         "leader_heard": _l("领导电话确认"), "leader_call_unanswered": _l("领导未接通"),
         "no_leader_reached": _l("未能联系到领导"), "withheld_joined": _l("无法回拨的来电并入"),
         "recording": _l("语音留言")}
TEMPLATE = {"offer": _l("派单"), "assigned": _l("告知住户谁来"), "taken_by": _l("告知队员已被接"),
            "closing": _l("办结回访"), "escalated_herder": _l("告知住户正在安排"), "escalated_leader": _l("升级通知领导"),
            "reply": _l("即时回复"), "reassigned_herder": _l("告知住户已改派"), "withdrawn_team": _l("告知队员撤回"),
            "cancelled_herder": _l("告知住户已撤销"), "offer_share": _l("互助配送派单"),
            "share_found": _l("告知住户已找到药品"), "share_collecting": _l("告知捐药住户谁来取"),
            "price_report_leader": _l("价格举报转监管")}
CHANNEL = {"sms": _l("短信"), "voice": _l("电话"), "share": _l("互助匹配")}
# The notice's service catalogue beyond the menu (dispatch/requests/subcategories.py).
SUBCATEGORY = {"online_booking": _l("网上预约挂号、互联网医院"), "self_test": _l("自测咨询"), "meals": _l("送餐"),
               "policy": _l("政策咨询"), "emotional": _l("心理疏导、情感陪伴"), "visit": _l("走访慰问")}
# The medicines and test kits neighbours share (dispatch/sharing/items.py).
ITEM = {"antigen": _l("抗原试剂盒"), "fever": _l("退烧药"), "cough": _l("止咳药"), "cold": _l("感冒药"),
        "mask": _l("口罩"), "blood_pressure": _l("降压药"), "insulin": _l("胰岛素"), "diabetes": _l("降糖药"),
        "oximeter": _l("血氧仪"), "thermometer": _l("体温计")}

# The register (dispatch/register/): why a household is on it, its colour, how it was last contacted.
NEED = {"elderly_alone": _l("独居空巢老人"), "disabled": _l("重度残疾人"), "pregnant": _l("孕产妇"),
        "seriously_ill": _l("重病患者"), "child_in_difficulty": _l("困境儿童"),
        "unvaccinated_60": _l("60岁以上未全程接种")}
RISK = {"red": _l("红"), "yellow": _l("黄"), "green": _l("绿"), "none": _l("未标颜色")}
CONTACT = {"visit": _l("走访"), "call": _l("热线电话问候"), "sms": _l("热线短信问候"), "request": _l("办结求助")}
OUTCOME = {"well": _l("一切正常"), "needs_help": _l("需要帮助"), "not_reached": _l("未联系上")}


def word(table: dict, key) -> str:
    """The translated word for `key`, or the key itself when it is new to this table."""
    value = table.get(key)
    return str(value) if value is not None else str(key)


def age(minutes: int) -> str:
    """'8分钟', '1小时05分', '2天3小时'."""
    if minutes < 60:
        return _("%(m)d分钟", m=minutes)
    if minutes < 24 * 60:
        return _("%(h)d小时%(m)02d分", h=minutes // 60, m=minutes % 60)
    return _("%(d)d天%(h)d小时", d=minutes // (24 * 60), h=minutes // 60 % 24)
