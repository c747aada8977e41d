"""The bulk paths of an import give what the one-guest paths give, only faster.

New guests' search keys are computed from the rows as read, not read back from the
database; they must be exactly the keys a re-index computes. Many new guests are
checked for duplicates in one pass; it must find the pairs the per-batch check finds.
"""

import gc
from datetime import date
from typing import Any

import pytest

from dossier.core.collector import BULK_THRESHOLDS
from dossier.core.models import Property
from dossier.duplicates.bulk import duplicates_check_many
from dossier.duplicates.models import DuplicateCandidate
from dossier.duplicates.services import duplicates_check
from dossier.guests.bulk import guests_bulk_create
from dossier.guests.models import Guest, MemberCard, PreferenceItem
from dossier.guests.services import (
    GuestInput,
    IdentityInput,
    guest_create,
    preference_set,
)
from dossier.imports import services
from dossier.imports.services import import_commit
from dossier.search.indexing import guest_reindex, source_keys
from dossier.search.keys import GuestKeySource, PreferenceKeySource, guest_keys
from dossier.search.models import SearchKey
from dossier.search.selectors import guest_lookup
from tests.factories import resident_id
from tests.imports.conftest import ID_LI, ID_ZHANG, JobMaker, csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["姓名", "手机", "身份证号", "单位", "爱好", "备注", "会员卡号"],
    ["张伟", "13812345678", ID_ZHANG, "华为技术有限公司", "钓鱼、书法", "喜欢靠窗的房间", "V001"],
    ["歐陽娜娜", "13912345678", ID_LI, "ＡＢＣ贸易有限公司", "", "对花生过敏", ""],
    ["John Smith", "+44 20 7946 0958", "", "", "", "", "GOLD-7"],
]  # fmt: skip


def _keys() -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for guest_id, key in SearchKey.objects.values_list("guest_id", "key"):
        found.setdefault(guest_id, set()).add(key)
    return found


def test_imported_guests_have_exactly_the_keys_a_reindex_gives(
    make_job: JobMaker,
) -> None:
    # given a file whose guests bring names, phones, IDs, companies, hobbies,
    # notes and cards
    report = import_commit(job=make_job(csv_bytes(ROWS)), actor=None)
    assert report.committed is True
    written = _keys()

    # when every guest is re-indexed from what the database holds
    guest_reindex(Guest.objects.values_list("pk", flat=True))

    # then the keys are the same, key for key
    assert _keys() == written
    assert len(written) == 3
    assert all(written.values())


@pytest.mark.parametrize(
    "query",
    ["V001", "钓鱼", "书法", "靠窗", "贸易", "华为技术有限公司", "ouyang", "oynn",
     "5678", "GOLD-7", "smith"],
)  # fmt: skip
def test_imported_guests_are_found_at_once(
    make_job: JobMaker, prop: Property, query: str
) -> None:
    # given
    import_commit(job=make_job(csv_bytes(ROWS)), actor=None)

    # when
    hits = guest_lookup(property_id=prop.pk, query=query)

    # then
    assert hits, query


# Names read in several ways, surnames read otherwise (单, 曾, 翟, 覃), traditional
# characters, Latin names with accents and joining marks; companies, notes, hobbies
# and cards.
VARIETY = [
    ["姓名", "手机", "身份证号", "单位", "爱好", "备注", "会员卡号"],
    ["单晓雯", "13812340001", resident_id(seq=11), "华为技术有限公司", "钓鱼、书法", "喜欢靠窗的房间", "VIP-88001"],
    ["曾乐乐", "13812340002", resident_id(seq=12), "", "", "對花生過敏", ""],
    ["翟长重", "", "", "ＡＢＣ贸易有限公司", "", "", "GOLD-7"],
    ["歐陽娜娜", "13812340004", "", "", "红酒", "", "V 002"],
    ["長孫無忌", "", resident_id(seq=13), "國家電網", "", "生日前要送花", ""],
    ["覃行乐", "13812340006", "", "", "", "", ""],
    ["Élodie Dupont", "+33 1 42 68 53 00", "", "Société Générale", "", "ＶＩＰ客人", ""],
    ["Jean-Pierre O'Neil", "", "", "", "", "", "A.B-3"],
    ["阿依古丽·买买提", "13812340009", "", "", "", "", ""],
    ["吕绿", "", "", "", "", "需要低枕头", ""],
]  # fmt: skip


def _keys_by_name(prop: Property) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, key in SearchKey.objects.filter(property_id=prop.pk).values_list(
        "guest__full_name", "key"
    ):
        found.setdefault(name, set()).add(key)
    return found


def _one_at_a_time(prop: Property, rows: list[list[str]]) -> None:
    """The guests of ``rows`` as the card's forms make them, one by one."""
    hobbies = PreferenceItem.objects.get(code="hobbies")
    for name, mobile, number, employer, hobby, note, card in rows:
        fields = {"full_name": name, "employer": employer, "notes": note}
        guest = guest_create(
            actor=None,
            property=prop,
            data=GuestInput(
                fields={k: v for k, v in fields.items() if v},
                phones=[mobile] if mobile else [],
                documents=[IdentityInput(number)] if number else [],
            ),
        )
        if card:
            MemberCard.objects.create(guest=guest, number=card)
            guest_reindex([guest.pk])
        if hobby:
            preference_set(actor=None, guest=guest, item=hobbies, value=hobby)


def test_imported_keys_are_the_keys_of_guests_made_one_at_a_time(
    make_job: JobMaker, prop: Property
) -> None:
    # given the guests of a varied file imported
    report = import_commit(job=make_job(csv_bytes(VARIETY)), actor=None)
    assert report.committed is True

    # when the same guests are made one at a time in another hotel
    other = Property.objects.create(code="other", name="另一家酒店")
    _one_at_a_time(other, VARIETY[1:])

    # then each has exactly the keys the import wrote
    imported = _keys_by_name(prop)
    assert imported == _keys_by_name(other)
    assert len(imported) == len(VARIETY) - 1
    assert {"p:shanxiaowen", "p:zengyueyue", "p:zhaichangzhong", "c:vip88001",
            "cs:贸易有限公司", "w:靠窗", "w:花生", "n:elodie", "n:oneil",
            "i:ayglmmt"} <= set().union(*imported.values())  # fmt: skip


def test_an_import_is_written_with_the_collector_relaxed(
    make_job: JobMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    seen: list[tuple[int, ...]] = []
    write = services.write

    def watched(*args: Any, **kwargs: Any) -> None:
        seen.append(gc.get_threshold())
        write(*args, **kwargs)

    monkeypatch.setattr(services, "write", watched)

    # when
    report = import_commit(job=make_job(csv_bytes(ROWS)), actor=None)

    # then
    assert report.committed is True
    assert seen == [BULK_THRESHOLDS]
    assert gc.get_threshold() != BULK_THRESHOLDS


SOURCES = [
    GuestKeySource("张伟", "张", "伟", True),
    GuestKeySource(
        "歐陽娜娜", "歐陽", "娜娜", True,
        phones_national=["13912345678"], document_indexes=["abc"],
        document_tails=["0249"], cards=["V 001"], tags=["常客"],
        companies=["ＡＢＣ贸易有限公司", "华为"],
        texts=["喜欢靠窗的房间", "对花生过敏", "喜欢靠窗的房间"],
        preferences=[PreferenceKeySource("pillow", "枕头高度", "低"),
                     PreferenceKeySource("hobbies", "其他爱好", "钓鱼")],
    ),
    GuestKeySource("Élodie Dupont", "", "", False, texts=["", "ＶＩＰ"]),
]  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
def test_keys_from_cached_parts_are_the_keys_of_the_whole(
    source: GuestKeySource,
) -> None:
    # when / then
    assert source_keys(source) == guest_keys(source)


def _new_guests(prop: Property) -> list[int]:
    """Guests alike in the ways duplicates are found, created without a check."""
    birth = date(1985, 3, 14)
    inputs = [
        GuestInput(fields={"full_name": "李娜"}, documents=[IdentityInput(resident_id())]),
        GuestInput(fields={"full_name": "李 娜"}, documents=[IdentityInput(resident_id())]),
        GuestInput(fields={"full_name": "陳明", "birth_date": birth}),
        GuestInput(fields={"full_name": "陈明", "birth_date": birth}),
        GuestInput(fields={"full_name": "王小明", "birth_date": birth}),
        GuestInput(fields={"full_name": "王晓明", "birth_date": birth}),
        GuestInput(fields={"full_name": "赵敏"}, phones=["13800001111"]),
        GuestInput(fields={"full_name": "赵敏"}, phones=["+86 138 0000 1111"]),
        GuestInput(fields={"full_name": "孙丽", "email": "Sun@Example.com"}),
        GuestInput(fields={"full_name": "孙丽", "email": "sun@example.com"}),
        GuestInput(fields={"full_name": "周杰", "birth_date": date(1990, 1, 1)}),
    ]  # fmt: skip
    return guests_bulk_create(actor=None, property=prop, inputs=inputs)


def _candidates() -> list[tuple[int, int, int, dict[str, object]]]:
    return [
        (c.guest_a_id, c.guest_b_id, c.score, c.evidence)
        for c in DuplicateCandidate.objects.order_by("guest_a_id", "guest_b_id")
    ]


def test_one_pass_check_finds_what_the_batched_check_finds(prop: Property) -> None:
    # given an archive guest and new guests, some alike
    old = guests_bulk_create(
        actor=None,
        property=prop,
        inputs=[
            GuestInput(fields={"full_name": "周杰", "birth_date": date(1990, 1, 1)})
        ],
    )
    ids = _new_guests(prop)
    duplicates_check(guest_ids=ids)
    batched = _candidates()
    DuplicateCandidate.objects.all().delete()

    # when the new guests are checked in one pass
    result = duplicates_check_many(property_id=prop.pk, guest_ids=ids, few=0)

    # then the same candidates are written, with the same scores and evidence
    assert _candidates() == batched
    assert result.created == len(batched)
    pairs = {(a, b) for a, b, _, _ in batched}
    assert (ids[0], ids[1]) in pairs
    assert (ids[2], ids[3]) in pairs
    assert (ids[6], ids[7]) in pairs
    assert (old[0], ids[10]) in pairs


def test_one_pass_check_run_twice_writes_nothing_new(prop: Property) -> None:
    # given
    ids = _new_guests(prop)
    first = duplicates_check_many(property_id=prop.pk, guest_ids=ids, few=0)

    # when
    again = duplicates_check_many(property_id=prop.pk, guest_ids=ids, few=0)

    # then
    assert first.created > 0
    assert again.created == 0
    assert DuplicateCandidate.objects.count() == first.created


def test_one_pass_check_leaves_other_properties_alone(prop: Property) -> None:
    # given the same ID number in another property
    other = Property.objects.create(code="other", name="另一家酒店")
    guests_bulk_create(
        actor=None,
        property=other,
        inputs=[GuestInput(fields={"full_name": "李娜"},
                           documents=[IdentityInput(resident_id())])],
    )  # fmt: skip
    ids = guests_bulk_create(
        actor=None,
        property=prop,
        inputs=[GuestInput(fields={"full_name": "李娜"},
                           documents=[IdentityInput(resident_id())])],
    )  # fmt: skip

    # when
    result = duplicates_check_many(property_id=prop.pk, guest_ids=ids, few=0)

    # then
    assert result.created == 0
    assert not DuplicateCandidate.objects.exists()
