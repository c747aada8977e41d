"""Keys computed from their parts (surname, given name, cached shares of a guest) are
exactly the keys of the whole."""

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.core.models import Property
from dossier.search.indexing import source_keys
from dossier.search.keys import (
    GuestKeySource,
    PreferenceKeySource,
    guest_keys,
    han_name_keys,
    name_keys,
)
from dossier.search.models import SearchKey
from dossier.zh.names import split_name
from tests.factories import GuestFactory

# Characters with several readings, surnames read otherwise (单, 曾, 翟), compound
# surnames, traditional forms and ü, so that names have from one to many readings.
POLYPHONES = (
    "乐重长单曾区仇朴解查翟覃盖行会和了着差参调传朝降率都藏的地得还大发觉弹强红思娜"
)
PLAIN = "王李张刘陈伟芳娜秀英敏静丽明华吕绿女"
TRADITIONAL = "陳張歐陽龍鳳麗華國強東門長孫無忌曉雯"
SURNAMES = [
    "欧阳",
    "歐陽",
    "长孙",
    "長孫",
    "尉迟",
    "万俟",
    "单于",
    "叶赫那拉",
    "司马",
    "翟",
    "覃",
]


@pytest.mark.parametrize(
    "full_name",
    [
        "张伟", "单晓雯", "曾乐乐", "翟长重", "覃行乐", "朱单明", "歐陽娜娜", "長孫無忌",
        "尉迟恭", "万俟卨", "单于", "钟离", "叶赫那拉氏", "爱新觉罗溥仪", "欧阳 娜娜", "吕绿",
        "张女", "乾隆", "〇", "王", "乐重长单曾行", "陳曉雯",
    ],
)  # fmt: skip
def test_han_name_keys_are_the_name_keys(full_name: str) -> None:
    # given
    parts = split_name(full_name)
    assert parts.is_han

    # when
    keys = han_name_keys(full_name, parts.surname, parts.given_name)

    # then
    assert keys == name_keys(full_name, parts.surname, parts.given_name, True)


han_names = st.tuples(
    st.sampled_from(SURNAMES) | st.text(POLYPHONES + PLAIN + TRADITIONAL, max_size=1),
    st.text(POLYPHONES + PLAIN + TRADITIONAL, max_size=4),
)


@settings(max_examples=300)
@given(han_names)
def test_han_name_keys_of_any_name_are_the_name_keys(name: tuple[str, str]) -> None:
    # given a surname and a given name, either maybe empty
    surname, given_name = name
    full_name = surname + given_name

    # then
    assert han_name_keys(full_name, surname, given_name) == name_keys(
        full_name, surname, given_name, True
    )


SOURCES = [
    GuestKeySource("覃行乐", "覃", "行乐", True),
    GuestKeySource("翟长重", "翟", "长重", True, aliases=[("Jay Chou", "Chou", "Jay", False)]),
    GuestKeySource(
        "歐陽娜娜", "歐陽", "娜娜", True,
        phones_national=["13912345678"], document_indexes=["abc"],
        document_tails=["024x"], cards=["VIP-88001", "ＶＩＰ 7"], tags=["常客", " "],
        companies=["ＡＢＣ贸易有限公司", "華為"],
        texts=["喜欢靠窗的房间", "對花生過敏"],
        preferences=[PreferenceKeySource("pillow", "枕头高度", "低")],
    ),
    GuestKeySource("Élodie Dupont", "Dupont", "Élodie", False, texts=["", "ＶＩＰ"]),
    GuestKeySource("Jean-Pierre O'Neil", "O'Neil", "Jean-Pierre", False),
    GuestKeySource("阿依古丽·买买提", "", "阿依古丽·买买提", False),
    GuestKeySource("", "", "", True, phones_national=[""], cards=["--"]),
]  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
def test_keys_from_cached_shares_are_the_keys_of_the_whole(
    source: GuestKeySource,
) -> None:
    assert source_keys(source) == guest_keys(source)


@pytest.mark.django_db
def test_deleting_a_guest_deletes_its_keys(prop: Property) -> None:
    # given two indexed guests
    kept, deleted = GuestFactory(full_name="张伟"), GuestFactory(full_name="李娜")
    assert SearchKey.objects.filter(guest=deleted).exists()

    # when
    deleted.delete()

    # then
    assert not SearchKey.objects.filter(guest_id=deleted.pk).exists()
    assert SearchKey.objects.filter(guest=kept).exists()


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps the constraint"
)
def test_postgresql_does_not_check_each_key_against_its_guest() -> None:
    # when
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, SearchKey._meta.db_table
        )

    # then
    assert not [c for c in constraints.values() if c["foreign_key"]]
