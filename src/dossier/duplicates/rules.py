"""Whether two profiles are one guest: the rules, their scores and the evidence.

Pure functions on :class:`Facts`; nothing here reads the database. Each rule that
matches adds a piece of evidence with its own score; the pair's score combines them as
independent signs, ``100 × (1 − Π(1 − s/100))``, so two "likely" signs make a nearly
certain one and a certain sign (same ID number) is 100 whatever else is found.

A shared phone or e-mail says little alone (a family, a company, a front desk share
them) but much with the same name: so each counts once, scored by how alike the names
are.

=====================  =====  ================================================
rule                   score  meaning
=====================  =====  ================================================
``same_id``            100    the same identity document (keyed hash equal), and
                              names and birthdays that agree: certain
``same_id_conflict``    50    the same identity document, but the names differ
                              (not even read alike) or the birthdays do: a
                              number typed wrong or someone else's document; a
                              conflict, never certain, merged only when confirmed
``same_card``           90    the same member card number
``same_name_phone``     90    the same name once folded (陳嘉欣 = 陈嘉欣), same phone
``same_name_email``     85    the same name once folded, the same e-mail address
``alike_name_phone``    75    names read alike or one character apart, same phone
``same_name_birth``     70    the same name once folded and the same birthday
``same_pinyin_birth``   60    names read alike (张伟 / 章伟; 王建国 / WANG Jianguo /
                              Jianguo Wang) and the same birthday
``name_typo_birth``     50    one character apart (≥ 3 each) and the same birthday;
                              twins are named so too
``shared_mobile``       50    the same mobile number, different names: one person
                              under two names, or a family sharing a phone; queued,
                              and dismissed for good as "not the same person"
``same_email``          40    the same e-mail address, different names
``same_phone``          30    the same landline (or other non-mobile number),
                              different names: a company or front-desk phone
=====================  =====  ================================================

Only the strongest of the three birthday rules counts, and one phone rule and one
e-mail rule at most. A pair scoring at least ``QUEUE_SCORE`` goes to the review queue:
a shared mobile does, a shared landline or e-mail alone does not. Card numbers are
compared as :func:`dossier.guests.models.card_key` reads them (VIP-88001 is
vip88001).
"""

import enum
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossier.search.keys import compact, unjoined
from dossier.zh.fold import fold, is_cjk
from dossier.zh.phones import is_mobile_number, mask_phone

QUEUE_SCORE = 50
CERTAIN_SCORE = 95
MIN_TYPO_LENGTH = 3


class Rule(enum.StrEnum):
    SAME_ID = "same_id"
    SAME_ID_CONFLICT = "same_id_conflict"
    SAME_CARD = "same_card"
    SAME_NAME_PHONE = "same_name_phone"
    SAME_NAME_EMAIL = "same_name_email"
    ALIKE_NAME_PHONE = "alike_name_phone"
    SAME_NAME_BIRTH = "same_name_birth"
    SAME_PINYIN_BIRTH = "same_pinyin_birth"
    NAME_TYPO_BIRTH = "name_typo_birth"
    SHARED_MOBILE = "shared_mobile"
    SAME_EMAIL = "same_email"
    SAME_PHONE = "same_phone"


SCORES: dict[Rule, int] = {
    Rule.SAME_ID: 100,
    Rule.SAME_ID_CONFLICT: 50,
    Rule.SAME_CARD: 90,
    Rule.SAME_NAME_PHONE: 90,
    Rule.SAME_NAME_EMAIL: 85,
    Rule.ALIKE_NAME_PHONE: 75,
    Rule.SAME_NAME_BIRTH: 70,
    Rule.SAME_PINYIN_BIRTH: 60,
    Rule.NAME_TYPO_BIRTH: 50,
    Rule.SHARED_MOBILE: 50,
    Rule.SAME_EMAIL: 40,
    Rule.SAME_PHONE: 30,
}
LABELS: dict[Rule, Promise] = {
    Rule.SAME_ID: _("证件号码相同"),
    Rule.SAME_ID_CONFLICT: _("证件号码相同，但姓名或出生日期不符"),
    Rule.SAME_CARD: _("会员卡号相同"),
    Rule.SAME_NAME_PHONE: _("姓名（繁简统一后）与电话相同"),
    Rule.SAME_NAME_EMAIL: _("姓名（繁简统一后）与电子邮件相同"),
    Rule.ALIKE_NAME_PHONE: _("姓名相近（同音或仅差一字）且电话相同"),
    Rule.SAME_NAME_BIRTH: _("姓名（繁简统一后）与出生日期相同"),
    Rule.SAME_PINYIN_BIRTH: _("姓名拼音与出生日期相同"),
    Rule.NAME_TYPO_BIRTH: _("姓名仅差一字且出生日期相同"),
    Rule.SHARED_MOBILE: _("手机号码相同，姓名不同"),
    Rule.SAME_EMAIL: _("电子邮件相同，姓名不同"),
    Rule.SAME_PHONE: _("电话号码相同，姓名不同"),
}
NOTES: dict[Rule, Promise] = {
    Rule.SAME_ID_CONFLICT: _(
        "可能是证件号码录错或使用了他人证件；请核对证件原件，确认后才能合并"
    ),
    Rule.ALIKE_NAME_PHONE: _("可能是录入错误，请核对证件"),
    Rule.SHARED_MOBILE: _(
        "可能是同一人换了姓名写法，也可能是家人共用一个手机；"
        "若不是同一人，请选“不是同一人”，以后不再提示"
    ),
    Rule.SAME_PHONE: _("家人或同事常共用一个电话，仅电话相同不足以认定为同一人"),
    Rule.SAME_EMAIL: _("同一单位或家庭可能共用邮箱"),
    Rule.SAME_PINYIN_BIRTH: _("同音不同字，请核对证件"),
    Rule.NAME_TYPO_BIRTH: _("可能是录入错误，也可能是双胞胎"),
}
# The profile fields each rule points at, for highlighting on the comparison page.
FIELDS: dict[Rule, list[str]] = {
    Rule.SAME_ID: ["documents"],
    Rule.SAME_ID_CONFLICT: ["documents", "full_name", "birth_date"],
    Rule.SAME_CARD: ["cards"],
    Rule.SAME_NAME_PHONE: ["full_name", "phones"],
    Rule.SAME_NAME_EMAIL: ["full_name", "email"],
    Rule.ALIKE_NAME_PHONE: ["full_name", "phones"],
    Rule.SAME_NAME_BIRTH: ["full_name", "birth_date"],
    Rule.SAME_PINYIN_BIRTH: ["full_name", "birth_date"],
    Rule.NAME_TYPO_BIRTH: ["full_name", "birth_date"],
    Rule.SHARED_MOBILE: ["full_name", "phones"],
    Rule.SAME_EMAIL: ["email"],
    Rule.SAME_PHONE: ["phones"],
}


@dataclass
class Facts:
    """What the rules compare of one profile."""

    id: int
    name: str
    pinyin: str = ""
    birth: date | None = None
    email: str = ""
    phones: set[str] = field(default_factory=set)
    documents: dict[str, str] = field(default_factory=dict)
    # Card numbers by their key (``card_key``), as written on this profile.
    cards: dict[str, str] = field(default_factory=dict)

    @property
    def folded_name(self) -> str:
        return compact(self.name)

    @property
    def is_han(self) -> bool:
        folded = self.folded_name
        return bool(folded) and all(is_cjk(char) for char in folded)

    @property
    def spellings(self) -> frozenset[str]:
        """See :func:`name_spellings`."""
        return name_spellings(self.name, self.pinyin)


def name_spellings(name: str, pinyin: str) -> frozenset[str]:
    """A name as Latin letters in the orders it is written in: a Chinese name by its
    pinyin, surname first or last (王建国: wangjianguo, jianguowang, guowangjian); a
    name in Latin script by its words (WANG Jianguo: wangjianguo, jianguowang). A
    passport's spelling and the name in characters share one."""
    folded = compact(name)
    if folded and all(is_cjk(char) for char in folded):
        units = pinyin.split()
    else:
        units = [unjoined(word) for word in fold(name).split()]
    units = [unit for unit in units if unit]
    if not units or not all(unit.isascii() and unit.isalpha() for unit in units):
        return frozenset()
    return frozenset("".join(units[i:] + units[:i]) for i in range(len(units)))


@dataclass(frozen=True)
class Match:
    """A rule met: the values it rests on (masked) and what each profile shows."""

    rule: Rule
    values: tuple[str, ...]
    a: str = ""
    b: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": str(self.rule),
            "label": str(LABELS[self.rule]),
            "score": SCORES[self.rule],
            "values": list(self.values),
            "a": self.a,
            "b": self.b,
            "note": str(NOTES.get(self.rule, "")),
            "fields": FIELDS[self.rule],
        }


def one_edit_apart(a: str, b: str) -> bool:
    """True if one insertion, deletion or substitution turns ``a`` into ``b``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        return a[start + 1 :] == b[start + 1 :]
    return a[start:] == b[start + 1 :]


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _read_alike(a: Facts, b: Facts) -> bool:
    """The same pinyin (张伟 / 章伟), or, when not both are written in characters,
    the same letters in some order (王建国 / WANG Jianguo / Jianguo Wang)."""
    if a.pinyin and a.pinyin == b.pinyin:
        return True
    if a.is_han and b.is_han:
        return False
    return bool(a.spellings & b.spellings)


def _names_alike(a: Facts, b: Facts) -> bool:
    """Read alike (张伟 / 章伟) or, both of three characters or more, one apart."""
    if _read_alike(a, b):
        return True
    folded_a, folded_b = a.folded_name, b.folded_name
    long_enough = min(len(folded_a), len(folded_b)) >= MIN_TYPO_LENGTH
    return long_enough and one_edit_apart(folded_a, folded_b)


def _same_name(a: Facts, b: Facts) -> bool:
    return bool(a.folded_name) and a.folded_name == b.folded_name


def _birth_match(a: Facts, b: Facts) -> Match | None:
    if a.birth is None or a.birth != b.birth:
        return None
    birth = a.birth.isoformat()
    sides = {"a": f"{a.name} · {birth}", "b": f"{b.name} · {birth}"}
    if _same_name(a, b):
        return Match(Rule.SAME_NAME_BIRTH, (a.name, b.name, birth), **sides)
    if _read_alike(a, b):
        values = (a.name, b.name, a.pinyin or b.pinyin, birth)
        return Match(Rule.SAME_PINYIN_BIRTH, values, **sides)
    if _names_alike(a, b):
        return Match(Rule.NAME_TYPO_BIRTH, (a.name, b.name, birth), **sides)
    return None


def _phone_match(a: Facts, b: Facts) -> Match | None:
    phones = sorted(a.phones & b.phones)
    if not phones:
        return None
    shown = "、".join(mask_phone(p) for p in phones)
    values = tuple(mask_phone(p) for p in phones)
    if _same_name(a, b):
        rule = Rule.SAME_NAME_PHONE
    elif _names_alike(a, b):
        rule = Rule.ALIKE_NAME_PHONE
    elif any(is_mobile_number(phone) for phone in phones):
        rule = Rule.SHARED_MOBILE
    else:
        rule = Rule.SAME_PHONE
    return Match(rule, values, f"{a.name} · {shown}", f"{b.name} · {shown}")


def _email_match(a: Facts, b: Facts) -> Match | None:
    if not a.email or a.email != b.email:
        return None
    shown = mask_email(a.email)
    rule = Rule.SAME_NAME_EMAIL if _same_name(a, b) else Rule.SAME_EMAIL
    return Match(rule, (shown,), f"{a.name} · {shown}", f"{b.name} · {shown}")


# What the holders of one document may disagree on, as the reviewer reads it.
DISAGREEMENT_LABELS: dict[str, Promise] = {
    "full_name": _("姓名"),
    "birth_date": _("出生日期"),
}


def disagreements_shown(fields: list[str]) -> str:
    """The fields of :func:`disagreements` in words: 姓名、出生日期."""
    return str(_("、")).join(str(DISAGREEMENT_LABELS[name]) for name in fields)


def disagreements(a: Facts, b: Facts) -> list[str]:
    """The fields on which two profiles that share a document disagree: names not
    even read alike (Aoife Kelly / Orla O'Brien, but not 王建国 / WANG Jianguo),
    birthdays both known and different."""
    found = []
    if not (_same_name(a, b) or _names_alike(a, b)):
        found.append("full_name")
    if a.birth is not None and b.birth is not None and a.birth != b.birth:
        found.append("birth_date")
    return found


def _id_match(a: Facts, b: Facts) -> Match | None:
    shared_ids = sorted(set(a.documents) & set(b.documents))
    if not shared_ids:
        return None
    masked = tuple(a.documents[i] for i in shared_ids)
    other = "、".join(b.documents[i] for i in shared_ids)
    if not disagreements(a, b):
        return Match(Rule.SAME_ID, masked, "、".join(masked), other)
    # The reviewer sees at once what the two holders of the number disagree on.
    return Match(
        Rule.SAME_ID_CONFLICT,
        masked,
        " · ".join([a.name, _birth_shown(a), "、".join(masked)]),
        " · ".join([b.name, _birth_shown(b), other]),
    )


def _birth_shown(facts: Facts) -> str:
    return facts.birth.isoformat() if facts.birth else "—"


def matches(a: Facts, b: Facts) -> list[Match]:
    """Every rule that ``a`` and ``b`` meet, strongest first."""
    found: list[Match] = []
    if (same_id := _id_match(a, b)) is not None:
        found.append(same_id)
    if shared_cards := sorted(set(a.cards) & set(b.cards)):
        mine = tuple(a.cards[key] for key in shared_cards)
        theirs = "、".join(b.cards[key] for key in shared_cards)
        found.append(Match(Rule.SAME_CARD, mine, "、".join(mine), theirs))
    for rule in (_birth_match, _phone_match, _email_match):
        if (match := rule(a, b)) is not None:
            found.append(match)
    found.sort(key=lambda m: -SCORES[m.rule])
    return found


def combined_score(found: list[Match]) -> int:
    """The pair's score from 0 to 100: the rules taken as independent signs."""
    doubt = Fraction(1)
    for match in found:
        doubt *= Fraction(100 - SCORES[match.rule], 100)
    return round(100 * (1 - doubt))


@dataclass(frozen=True)
class Shown:
    """One piece of evidence as a page shows it, in the reader's language."""

    rule: str
    label: str
    score: int
    a: str
    b: str
    note: str


def evidence_shown(kept: dict[str, Any]) -> list[Shown]:
    """The evidence kept with a candidate, labels from the rule codes (so that they
    follow the reader's language), each profile's side beside the other's."""
    shown: list[Shown] = []
    for item in kept.get("rules", []):
        try:
            rule: Rule | None = Rule(item.get("rule", ""))
        except ValueError:
            rule = None
        values = " / ".join(str(v) for v in item.get("values", []))
        label = LABELS[rule] if rule else item.get("label", "")
        note = NOTES.get(rule, "") if rule else item.get("note", "")
        shown.append(
            Shown(
                rule=str(item.get("rule", "")),
                label=str(label),
                score=int(item.get("score", 0)),
                a=str(item.get("a") or values),
                b=str(item.get("b") or values),
                note=str(note),
            )
        )
    return shown


def evidence(found: list[Match]) -> dict[str, Any]:
    """The JSON kept with a candidate: each rule met, with values masked, and its
    level: ``conflict`` when the holders of one document disagree (whatever else
    they share), ``certain``, or ``likely``."""
    rules = {m.rule for m in found}
    score = combined_score(found)
    if Rule.SAME_ID_CONFLICT in rules:
        level = "conflict"
    elif score >= CERTAIN_SCORE or Rule.SAME_ID in rules:
        level = "certain"
    else:
        level = "likely"
    return {"level": level, "rules": [m.as_json() for m in found]}
