"""Whether two profiles are one guest: the rules, their scores and the evidence.

Pure functions on :class:`Facts`; nothing here reads the database. Each rule that
matches adds a piece of evidence with its own score; the pair's score combines them as
independent signs, ``100 × (1 − Π(1 − s/100))``, so two "likely" signs make a nearly
certain one and a certain sign (same ID number) is 100 whatever else is found.

==================  =====  ===================================================
rule                score  meaning
==================  =====  ===================================================
``same_id``         100    the same identity document (keyed hash equal): certain
``same_card``        90    the same member card number
``same_name_birth``  70    the same name once folded (陳嘉欣 = 陈嘉欣) and birthday
``same_email``       60    the same e-mail address, case ignored
``same_phone``       60    the same number in E.164; families share phones
``same_pinyin_birth``60    names read alike (张伟 / 章伟) and the same birthday
``name_typo_birth``  50    one character apart (≥ 3 each) and the same birthday;
                           twins are named so too
==================  =====  ===================================================

Only the strongest of the three name rules counts. A pair scoring at least
``QUEUE_SCORE`` goes to the review queue.
"""

import enum
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from dossier.search.keys import compact
from dossier.zh.phones import mask_phone

QUEUE_SCORE = 50
CERTAIN_SCORE = 95
MIN_TYPO_LENGTH = 3


class Rule(enum.StrEnum):
    SAME_ID = "same_id"
    SAME_CARD = "same_card"
    SAME_NAME_BIRTH = "same_name_birth"
    SAME_EMAIL = "same_email"
    SAME_PHONE = "same_phone"
    SAME_PINYIN_BIRTH = "same_pinyin_birth"
    NAME_TYPO_BIRTH = "name_typo_birth"


SCORES: dict[Rule, int] = {
    Rule.SAME_ID: 100,
    Rule.SAME_CARD: 90,
    Rule.SAME_NAME_BIRTH: 70,
    Rule.SAME_EMAIL: 60,
    Rule.SAME_PHONE: 60,
    Rule.SAME_PINYIN_BIRTH: 60,
    Rule.NAME_TYPO_BIRTH: 50,
}
LABELS: dict[Rule, str] = {
    Rule.SAME_ID: "证件号码相同",
    Rule.SAME_CARD: "会员卡号相同",
    Rule.SAME_NAME_BIRTH: "姓名（繁简统一后）与出生日期相同",
    Rule.SAME_EMAIL: "电子邮件相同",
    Rule.SAME_PHONE: "电话号码相同",
    Rule.SAME_PINYIN_BIRTH: "姓名拼音与出生日期相同",
    Rule.NAME_TYPO_BIRTH: "姓名仅差一字且出生日期相同",
}
NOTES: dict[Rule, str] = {
    Rule.SAME_PHONE: "家人或同事常共用一个电话，仅电话相同不足以认定为同一人",
    Rule.SAME_EMAIL: "同一单位或家庭可能共用邮箱",
    Rule.SAME_PINYIN_BIRTH: "同音不同字，请核对证件",
    Rule.NAME_TYPO_BIRTH: "可能是录入错误，也可能是双胞胎",
}
# The profile fields each rule points at, for highlighting on the comparison page.
FIELDS: dict[Rule, list[str]] = {
    Rule.SAME_ID: ["documents"],
    Rule.SAME_CARD: ["cards"],
    Rule.SAME_NAME_BIRTH: ["full_name", "birth_date"],
    Rule.SAME_EMAIL: ["email"],
    Rule.SAME_PHONE: ["phones"],
    Rule.SAME_PINYIN_BIRTH: ["full_name", "birth_date"],
    Rule.NAME_TYPO_BIRTH: ["full_name", "birth_date"],
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
    cards: set[str] = field(default_factory=set)

    @property
    def folded_name(self) -> str:
        return compact(self.name)


@dataclass(frozen=True)
class Match:
    rule: Rule
    values: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": str(self.rule),
            "label": LABELS[self.rule],
            "score": SCORES[self.rule],
            "values": list(self.values),
            "note": NOTES.get(self.rule, ""),
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


def _name_match(a: Facts, b: Facts) -> Match | None:
    if a.birth is None or a.birth != b.birth:
        return None
    birth = a.birth.isoformat()
    folded_a, folded_b = a.folded_name, b.folded_name
    if folded_a and folded_a == folded_b:
        return Match(Rule.SAME_NAME_BIRTH, (a.name, b.name, birth))
    if a.pinyin and a.pinyin == b.pinyin:
        return Match(Rule.SAME_PINYIN_BIRTH, (a.name, b.name, a.pinyin, birth))
    long_enough = min(len(folded_a), len(folded_b)) >= MIN_TYPO_LENGTH
    if long_enough and one_edit_apart(folded_a, folded_b):
        return Match(Rule.NAME_TYPO_BIRTH, (a.name, b.name, birth))
    return None


def matches(a: Facts, b: Facts) -> list[Match]:
    """Every rule that ``a`` and ``b`` meet, strongest first."""
    found: list[Match] = []
    shared_ids = sorted(set(a.documents) & set(b.documents))
    if shared_ids:
        found.append(Match(Rule.SAME_ID, tuple(a.documents[i] for i in shared_ids)))
    if cards := sorted(a.cards & b.cards):
        found.append(Match(Rule.SAME_CARD, tuple(cards)))
    if (name := _name_match(a, b)) is not None:
        found.append(name)
    if a.email and a.email == b.email:
        found.append(Match(Rule.SAME_EMAIL, (mask_email(a.email),)))
    if phones := sorted(a.phones & b.phones):
        found.append(Match(Rule.SAME_PHONE, tuple(mask_phone(p) for p in phones)))
    found.sort(key=lambda m: -SCORES[m.rule])
    return found


def combined_score(found: list[Match]) -> int:
    """The pair's score from 0 to 100: the rules taken as independent signs."""
    doubt = Fraction(1)
    for match in found:
        doubt *= Fraction(100 - SCORES[match.rule], 100)
    return round(100 * (1 - doubt))


def evidence(found: list[Match]) -> dict[str, Any]:
    """The JSON kept with a candidate: each rule met, with values masked."""
    score = combined_score(found)
    certain = score >= CERTAIN_SCORE or any(m.rule == Rule.SAME_ID for m in found)
    return {
        "level": "certain" if certain else "likely",
        "rules": [m.as_json() for m in found],
    }
