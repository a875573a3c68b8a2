"""The field's words for the roster's codes, as the notice's attachments write them (the ledgers are Chinese)."""

NEED = {"elderly_alone": "独居空巢老人", "disabled": "重度残疾人", "pregnant": "孕产妇", "seriously_ill": "重病患者",
        "child_in_difficulty": "困境儿童", "unvaccinated_60": "60岁以上未全程接种"}
RISK = {"red": "红", "yellow": "黄", "green": "绿"}
ROLE = {"captain": "队长", "member": "队员", "doctor": "医生", "driver": "司机"}
KIND = {"cadre": "嘎查干部", "grid_worker": "网格员", "party_member": "党员中心户", "first_secretary": "驻村第一书记",
        "doctor": "村医", "volunteer": "志愿者"}
CATEGORY = {1: "送药", 2: "就医", 3: "代购代办", 4: "水电暖", 5: "其他求助", 6: "邻里药品互助", 7: "价格举报",
            9: "紧急"}
# What a team did when it finished a request of each category (the activity record's 服务内容).
SERVICE = {1: "送药上门", 2: "送医", 3: "代购代办", 4: "隐患排查（水电暖）", 5: "其他帮办", 6: "邻里互助送药",
           7: "转市场监管", 9: "紧急救助"}
CONTACT = {"visit": "走访", "call": "电话问候（热线）", "sms": "短信问候（热线）", "request": "办结求助"}
OUTCOME = {"well": "一切正常", "needs_help": "需要帮助", "not_reached": "未联系上"}
STATUS = {"received": "待派单", "offered": "派单中", "accepted": "已接单", "done": "已办结", "escalated": "已升级",
          "cancelled": "已取消"}
CHANNEL = {"sms": "短信", "voice": "电话"}
SOLVED = {True: "已解决", False: "未解决", None: "未答复"}


def word(table: dict, key) -> str:
    """The word for `key`, or the key itself when the table does not know it (a code added later)."""
    if key is None:
        return ""
    return table.get(key, table.get(str(key), str(key)))
