"""Personal names: splitting surname from given name, and reading names in pinyin.

Pinyin here is lower-case, toneless, with ``ü`` written ``v`` (``吕`` is ``lv``), the
spelling used on keyboards and therefore in what staff type into the search box.
Surnames are read as surnames (``单`` is ``shan``, ``曾`` is ``zeng``); each character
of a given name may have several readings, all of which are offered to search.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from pypinyin import Style, pinyin

from dossier.zh.fold import fold, is_cjk, to_simplified

MAX_READINGS = 16

# fmt: off
COMPOUND_SURNAMES: frozenset[str] = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "呼延",
    "闻人", "澹台", "公冶", "太史", "申屠", "钟离", "百里", "东郭", "拓跋", "万俟",
    "司空", "濮阳", "淳于", "单于", "赫连", "仲孙", "鲜于", "闾丘", "亓官", "司寇",
    "子车", "颛孙", "壤驷", "公良", "漆雕", "乐正", "宰父", "谷梁", "段干", "左丘",
    "东门", "梁丘", "羊舌", "微生", "公羊", "公西", "巫马", "第五", "南门", "归海",
    "呼衍", "长鱼", "叱干", "贺兰", "完颜", "耶律", "纳兰", "夹谷", "宗政", "公户",
    "公玉", "公仪", "公乘", "东野", "青阳", "乌孙", "爱新觉罗", "叶赫那拉",
})
# fmt: on

# Readings of surnames whose everyday reading differs, the customary one first.
_SURNAME_READINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "单": (("shan",),),
    "曾": (("zeng",),),
    "区": (("ou",),),
    "仇": (("qiu",),),
    "朴": (("piao",),),
    "解": (("xie",),),
    "查": (("zha",),),
    "翟": (("zhai",), ("di",)),
    "缪": (("miao",),),
    "乐": (("yue",), ("le",)),
    "盖": (("ge",), ("gai",)),
    "种": (("chong",),),
    "员": (("yun",),),
    "覃": (("qin",), ("tan",)),
    "召": (("shao",),),
    "秘": (("bi",),),
    "折": (("she",),),
    "黑": (("he",), ("hei",)),
    "宁": (("ning",),),
    "隗": (("wei",), ("kui",)),
    "能": (("nai",),),
    "繁": (("po",),),
    "尉": (("wei",),),
    "长": (("chang",),),
    "沈": (("shen",),),
    "褚": (("chu",),),
    "佴": (("nai",),),
    "宿": (("su",),),
    "阚": (("kan",),),
    "柏": (("bai",),),
    "番": (("pan",),),
    "莘": (("shen",),),
    "冼": (("xian",),),
    "句": (("gou",),),
    "重": (("chong",),),
    "都": (("du",),),
    "藏": (("zang",),),
    "祭": (("zhai",),),
    "薄": (("bo",),),
    "牟": (("mou",),),
    "逄": (("pang",),),
    "厍": (("she",),),
    "尉迟": (("yu", "chi"),),
    "万俟": (("mo", "qi"),),
    "长孙": (("zhang", "sun"),),
    "单于": (("chan", "yu"),),
    "澹台": (("tan", "tai"),),
    "乐正": (("yue", "zheng"),),
    "长鱼": (("chang", "yu"),),
    "叶赫那拉": (("ye", "he", "na", "la"),),
}

# fmt: off
# Forms of address staff type after a surname (王先生, 李总), with the gender each
# implies ("" when it implies none).
_ADDRESS_FORMS: dict[str, str] = {
    "先生": "M", "女士": "F", "小姐": "F", "太太": "F", "夫人": "F", "阿姨": "F",
    "老师": "", "师傅": "", "老板": "", "总": "", "董": "", "工": "", "总工": "",
    "经理": "", "主任": "", "处长": "", "局长": "", "厅长": "", "部长": "", "科长": "",
    "院长": "", "校长": "", "所长": "", "厂长": "", "行长": "", "秘书长": "",
    "书记": "", "主席": "", "教授": "", "博士": "", "医生": "", "大夫": "", "律师": "",
    "会计师": "",
}
# The same before a surname in Latin script (Mr Wang, Ms. Li).
_LATIN_ADDRESS_FORMS: dict[str, str] = {
    "mr": "M", "mister": "M", "sir": "M", "mrs": "F", "ms": "F", "miss": "F",
    "madam": "F", "mme": "F", "mlle": "F", "dr": "", "prof": "",
}
# fmt: on

# Middle dots that join the parts of transliterated names (阿依古丽·买买提).
NAME_DOTS = "·•・‧･"


@dataclass(frozen=True)
class Address:
    """A surname with a form of address; ``gender`` is "M", "F" or "" (not implied)."""

    surname: str
    form: str
    gender: str


@dataclass(frozen=True)
class NameParts:
    """A name split for addressing and sorting; ``surname`` is "" when there is none."""

    surname: str
    given_name: str
    is_han: bool


def name_symbols(full_name: str) -> str:
    """The characters of ``full_name`` that no person's name has: emoji and other
    pictures (Unicode's "other symbols"), private-use and unassigned characters."""
    found = (ch for ch in full_name if unicodedata.category(ch) in _NOT_IN_NAMES)
    return "".join(dict.fromkeys(found))


_NOT_IN_NAMES = {"So", "Co", "Cn", "Cs"}


def split_name(full_name: str, *, surname: str | None = None) -> NameParts:
    """Split a name as written into surname and given name.

    An explicit ``surname`` wins when the name starts with it (or, for names in
    Latin script, ends with it). Otherwise, for Han names, a written space marks the
    split (欧阳 娜娜), a name of three or more characters starting with a compound
    surname splits after it (欧阳娜娜), and else the first character is the surname.
    Names with a middle dot (阿依古丽·买买提) have no surname. Latin-script names
    take the last word as surname, or the part before a comma ("Surname, Given").
    """
    name = " ".join(full_name.split())
    is_han = _is_han(name)
    explicit = _explicit_split(name, (surname or "").strip(), is_han)
    if explicit is not None:
        return explicit
    if any(dot in name for dot in NAME_DOTS):
        return NameParts(surname="", given_name=name, is_han=False)
    if not is_han:
        return _split_latin(name)
    return _split_han(name)


def name_readings(surname: str, given_name: str) -> list[list[str]]:
    """Return every pinyin reading of a name, the customary reading first.

    Each reading is a list of syllables: the surname's (read as a surname), then one
    per character of the given name. Words in other scripts count as one syllable,
    folded (``Élodie`` is ``elodie``). At most :data:`MAX_READINGS` readings are given.
    """
    return [list(reading) for reading in _readings(surname, given_name)]


def address_parse(text: str) -> Address | None:
    """Read a surname with a form of address, as staff type them: ``王先生``,
    ``欧阳女士``, ``李总``, ``Mr Wang``, ``ms. li``. ``None`` for anything else."""
    name = "".join(text.split())
    if name and all(is_cjk(char) for char in name):
        for length in (4, 2, 1):
            surname, form = name[:length], name[length:]
            if form in _ADDRESS_FORMS and (length == 1 or _is_compound(surname)):
                return Address(surname, form, _ADDRESS_FORMS[form])
        return None
    words = fold(text).replace(".", " ").split()
    if len(words) != 2 or words[0] not in _LATIN_ADDRESS_FORMS:
        return None
    if not words[1].isalpha():
        return None
    return Address(words[1], words[0], _LATIN_ADDRESS_FORMS[words[0]])


def is_latin_address_form(word: str) -> bool:
    """True for a form of address written in Latin script (``Mr``, ``ms.``)."""
    return fold(word).rstrip(".") in _LATIN_ADDRESS_FORMS


def surname_readings(surname: str) -> list[tuple[str, ...]]:
    """Every reading of a surname as a surname, the customary one first: ``翟`` is
    ``[("zhai",), ("di",)]``, ``欧阳`` is ``[("ou", "yang")]``."""
    units = _surname_options(surname)
    if not units:
        return []
    combos = itertools.islice(itertools.product(*units), MAX_READINGS)
    return [tuple(itertools.chain.from_iterable(combo)) for combo in combos]


def name_pinyin(surname: str, given_name: str) -> str:
    """The customary reading joined by spaces: ``单晓雯`` is ``"shan xiao wen"``."""
    return " ".join(_primary(surname, given_name))


def name_initials(surname: str, given_name: str) -> str:
    """The first letter of each syllable of the customary reading (``"sxw"``)."""
    return "".join(syllable[0] for syllable in _primary(surname, given_name))


def pinyin_sort_key(surname: str, given_name: str) -> str:
    """A key that files names by their reading: 单晓雯 sorts under S.

    The customary reading without spaces, a space, then the name itself to order
    names that read alike.
    """
    return "".join(_primary(surname, given_name)) + " " + surname + given_name


def _explicit_split(name: str, surname: str, is_han: bool) -> NameParts | None:
    """Honour a surname given by staff, if the name actually contains it."""
    if not surname:
        return None
    if name.startswith(surname):
        given = name[len(surname) :].strip(" ," + NAME_DOTS)
        return NameParts(surname=surname, given_name=given, is_han=is_han)
    if not is_han and name.endswith(surname):
        given = name[: -len(surname)].strip(" ," + NAME_DOTS)
        return NameParts(surname=surname, given_name=given, is_han=is_han)
    return None


def _split_han(name: str) -> NameParts:
    """Split a Han name: a written space, then compound surnames, then one character."""
    if " " in name:
        surname, _, given = name.partition(" ")
        return NameParts(
            surname=surname, given_name=given.replace(" ", ""), is_han=True
        )
    # A two-character name is a one-character surname and given name (钟离 is 钟 + 离).
    if len(name) >= 3:
        for length in (4, 2):
            if len(name) > length and _is_compound(name[:length]):
                return NameParts(name[:length], name[length:], is_han=True)
    return NameParts(surname=name[:1], given_name=name[1:], is_han=True)


@functools.lru_cache(maxsize=8192)
def _is_compound(prefix: str) -> bool:
    """True if ``prefix``, in either script, is a compound surname."""
    return to_simplified(prefix) in COMPOUND_SURNAMES


def _split_latin(name: str) -> NameParts:
    """Split a Latin-script name: "Surname, Given" or "Given Surname"."""
    if "," in name:
        surname, _, given = name.partition(",")
        return NameParts(surname.strip(), given.strip(), is_han=False)
    given, _, surname = name.rpartition(" ")
    return NameParts(surname=surname, given_name=given, is_han=False)


def _is_han(name: str) -> bool:
    """True if every character other than spaces is a CJK ideograph."""
    letters = name.replace(" ", "")
    return bool(letters) and all(is_cjk(char) for char in letters)


@functools.lru_cache(maxsize=65536)
def _readings(surname: str, given_name: str) -> tuple[tuple[str, ...], ...]:
    """All readings of the name as tuples, the customary one first, capped."""
    options = [*_surname_options(surname), *_text_options(given_name)]
    combos = itertools.islice(_ranked_choices(options), MAX_READINGS)
    return tuple(tuple(itertools.chain.from_iterable(combo)) for combo in combos)


def _ranked_choices(
    options: list[tuple[tuple[str, ...], ...]],
) -> Iterator[list[tuple[str, ...]]]:
    """Yield one choice per unit, fewest departures from the usual readings first.

    Under the cap this keeps every one-character variant (朱单明 read zhu shan ming)
    ahead of readings where several characters change at once.
    """
    usual = [choices[0] for choices in options]
    variable = [i for i, choices in enumerate(options) if len(choices) > 1]
    for count in range(len(variable) + 1):
        for positions in itertools.combinations(variable, count):
            alternatives = [options[i][1:] for i in positions]
            for picks in itertools.product(*alternatives):
                choice = list(usual)
                for position, pick in zip(positions, picks, strict=True):
                    choice[position] = pick
                yield choice


def _primary(surname: str, given_name: str) -> tuple[str, ...]:
    """The customary reading (the first of :func:`_readings`: each unit's usual
    choice), or no syllables for a name with nothing readable."""
    options = [*_surname_options(surname), *_text_options(given_name)]
    return tuple(itertools.chain.from_iterable(choices[0] for choices in options))


# Surnames and given names repeat across an archive far more than whole names do:
# their reading choices are remembered, as tuples that no caller can change.
@functools.lru_cache(maxsize=8192)
def _surname_options(surname: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Reading choices for the surname: the surname table, else the usual reading."""
    known = _known_surname(surname)
    if known is not None:
        return (known,)
    return tuple(options[:1] for options in _text_options(surname))


@functools.lru_cache(maxsize=8192)
def _known_surname(surname: str) -> tuple[tuple[str, ...], ...] | None:
    """The table readings of a surname written in either script, if it has any."""
    return _SURNAME_READINGS.get(to_simplified(surname))


@functools.lru_cache(maxsize=32_768)
def _text_options(text: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Reading choices for each readable unit of ``text``: a CJK character or a word."""
    options: list[tuple[tuple[str, ...], ...]] = []
    word: list[str] = []
    for char in text + " ":
        if is_cjk(char) or not char.isalnum():
            options.extend(_word_options("".join(word)))
            word = []
            if is_cjk(char):
                options.extend(_char_options(char))
        else:
            word.append(char)
    return tuple(options)


def _word_options(word: str) -> list[tuple[tuple[str, ...], ...]]:
    """A non-CJK word is one syllable with one reading: its folded form."""
    folded = fold(word) if word else ""
    return [((folded,),)] if folded else []


@functools.lru_cache(maxsize=32768)
def _char_options(char: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The readings of one character, or none if pinyin does not know it."""
    readings = _char_readings(char)
    return (tuple((reading,) for reading in readings),) if readings else ()


@functools.lru_cache(maxsize=32768)
def _char_readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of ``char``, most common first, without repeats."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
    readings = [r for r in found if r.isascii() and r.isalpha()]
    return tuple(dict.fromkeys(reading.lower() for reading in readings))
