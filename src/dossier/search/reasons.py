"""What each reason a guest matched is called on the page and in the API."""

from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossier.search.query import Rank

REASON_LABELS: dict[str, Promise] = {
    "name": _("姓名"),
    "surname": _("姓氏"),
    "pinyin": _("拼音"),
    "initials": _("拼音首字母"),
    "fuzzy_pinyin": _("近似拼音"),
    "fuzzy_initials": _("近似首字母"),
    "phone": _("手机"),
    "phone_tail": _("手机尾号"),
    "id": _("证件号"),
    "id_tail": _("证件后四位"),
    "card": _("会员卡"),
    "company": _("单位"),
    "tag": _("标签"),
    "note": _("备注与客史"),
    "preference": _("偏好"),
    "room": _("房号"),
    "filter": _("筛选条件"),
}

RANK_LABELS: dict[Rank, Promise] = {
    Rank.SURNAME: _("姓氏相同"),
    Rank.EXACT: _("完全匹配"),
    Rank.PREFIX: _("前缀匹配"),
    Rank.WORD: _("包含词语"),
    Rank.FUZZY: _("近似匹配"),
}


def room_label(room: str, status: str, arrival: date, departure: date) -> str:
    """Why a guest was found by a room: the room, and unless the guest is in it
    tonight, the date of that stay, so nobody takes a past guest for tonight's."""
    if status == "in_house":
        return gettext("房号 %(room)s") % {"room": room}
    if status == "reserved":
        return gettext("房号 %(room)s · %(date)s 预订到店") % {
            "room": room,
            "date": f"{arrival:%Y-%m-%d}",
        }
    return gettext("房号 %(room)s · %(date)s 离店") % {
        "room": room,
        "date": f"{departure:%Y-%m-%d}",
    }
