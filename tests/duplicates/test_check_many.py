"""The set-wise check of many new guests finds what the per-guest check finds."""

from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction

from dossier.core.models import Property
from dossier.duplicates.bulk import (
    NEW_GUESTS,
    _either_new,
    _new_guests,
    duplicates_check_many,
)
from dossier.duplicates.models import CandidateStatus, DuplicateCandidate, Merge
from dossier.duplicates.services import ScanResult, duplicates_check
from dossier.guests.bulk import guests_bulk_create
from dossier.guests.models import MemberCard
from dossier.guests.services import GuestInput, IdentityInput
from tests.factories import resident_id

pytestmark = pytest.mark.django_db

BIRTH = date(1985, 3, 14)
OTHER_BIRTH = date(1990, 1, 1)
CAP = 3


def _guest(name: str, **more: Any) -> GuestInput:
    fields: dict[str, Any] = {"full_name": name}
    for key in ("birth_date", "email"):
        if key in more:
            fields[key] = more.pop(key)
    return GuestInput(
        fields=fields,
        phones=more.pop("phones", []),
        documents=[IdentityInput(n) for n in more.pop("ids", [])],
    )


def _archive(prop: Property, other: Property) -> dict[str, int]:
    """Guests already in the archive, of this property and of another."""
    names = [
        ("li", _guest("李娜", ids=[resident_id()])),
        ("chen", _guest("陳明", birth_date=BIRTH)),
        ("wang", _guest("王建国", birth_date=BIRTH)),
        ("zhao", _guest("赵敏", phones=["13800001111"])),
        ("sun", _guest("孙丽", email="Sun@Example.com")),
        ("desk1", _guest("前台甲", phones=["02161234567"])),
        ("desk2", _guest("前台乙", phones=["02161234567"])),
        ("desk3", _guest("前台丁", phones=["(021) 61234567"])),
        ("away", _guest("周杰", phones=["13900002222"], birth_date=OTHER_BIRTH)),
        ("card", _guest("钱多多")),
        ("dismissed", _guest("郑一", phones=["13700003333"])),
        ("stale", _guest("吴二", phones=["13600004444"])),
        ("conflict", _guest("冯三", ids=[resident_id(seq=7)])),
        ("touched", _guest("卫四", birth_date=OTHER_BIRTH)),
        ("typo", _guest("欧阳明月", birth_date=date(1975, 6, 6))),
    ]
    ids = guests_bulk_create(
        actor=None, property=prop, inputs=[data for _, data in names]
    )
    found = dict(zip([key for key, _ in names], ids, strict=True))
    elsewhere = guests_bulk_create(
        actor=None,
        property=other,
        inputs=[_guest("赵敏", phones=["13800001111"], ids=[resident_id(seq=9)])],
    )
    found["elsewhere"] = elsewhere[0]
    MemberCard.objects.create(guest_id=found["card"], number="VIP-88001")
    return found


def _new(prop: Property, other: Property) -> list[int]:
    """The guests an import made: alike the archive in each way a pair is found,
    alike one another, and some alike only a guest left out (merged away, of
    another property, or behind a key too many share)."""
    inputs = [
        _guest("李 娜", ids=[resident_id()]),
        _guest("陈明", birth_date=BIRTH),
        _guest("WANG Jianguo", birth_date=BIRTH),
        _guest("欧阳明日", birth_date=date(1975, 6, 6)),
        _guest("赵敏", phones=["+86 138 0000 1111"], ids=[resident_id(seq=9)]),
        _guest("孙丽", email="sun@example.com"),
        _guest("前台丙", phones=["021-6123-4567"]),
        _guest("周杰", phones=["13900002222"], birth_date=OTHER_BIRTH),
        _guest("钱多多"),
        _guest("郑一", phones=["13700003333"]),
        _guest("吴二", phones=["13600004444"]),
        _guest("褚五", ids=[resident_id(seq=7)]),
        _guest("蒋六", birth_date=date(1970, 5, 5)),
        _guest("蒋六", birth_date=date(1970, 5, 5)),
        _guest("韩七", phones=["13500005555"]),
        _guest("杨八", phones=["13500005555"]),
    ]
    ids = guests_bulk_create(actor=None, property=prop, inputs=inputs)
    MemberCard.objects.create(guest_id=ids[8], number="vip 88001")
    return ids


@pytest.fixture
def mixed(prop: Property) -> list[int]:
    other = Property.objects.create(code="other", name="另一家酒店")
    old = _archive(prop, other)
    new = _new(prop, other)
    Merge.objects.create(property=prop, master_id=old["zhao"], duplicate_id=old["away"])
    DuplicateCandidate.objects.create(
        property=prop,
        guest_a_id=old["dismissed"],
        guest_b_id=new[9],
        score=90,
        status=CandidateStatus.DISMISSED,
    )
    DuplicateCandidate.objects.create(
        property=prop, guest_a_id=old["stale"], guest_b_id=new[10], score=51
    )
    return [*new, old["touched"]]


def _outcome(result: ScanResult) -> tuple[Any, ...]:
    candidates = [
        (c.guest_a_id, c.guest_b_id, c.score, c.status, c.evidence)
        for c in DuplicateCandidate.objects.order_by("guest_a_id", "guest_b_id")
    ]
    counts = (
        result.blocks,
        result.pairs_compared,
        result.created,
        result.updated,
        result.already_reviewed,
        sorted(result.warnings),
    )
    return candidates, counts


def test_set_wise_check_finds_what_the_per_guest_check_finds(
    prop: Property, mixed: list[int]
) -> None:
    # given the per-guest check's outcome on the mixed archive, then undone
    with transaction.atomic():
        per_guest = _outcome(duplicates_check(guest_ids=mixed, block_cap=CAP))
        transaction.set_rollback(True)

    # when the same guests are checked set-wise
    result = duplicates_check_many(
        property_id=prop.pk, guest_ids=mixed, block_cap=CAP, few=0
    )

    # then the same candidates are written, with the same scores and evidence, and
    # the same blocks, pairs and warnings are met
    assert _outcome(result) == per_guest


def test_the_mixed_archive_meets_every_way_of_finding_a_pair(
    prop: Property, mixed: list[int]
) -> None:
    # when
    result = duplicates_check_many(
        property_id=prop.pk, guest_ids=mixed, block_cap=CAP, few=0
    )

    # then each rule is met, reviewed pairs stay reviewed, the stale one is
    # refreshed and nothing pairs with a merged-away guest or another property
    rules = {
        rule["rule"]
        for c in DuplicateCandidate.objects.all()
        for rule in c.evidence.get("rules", [])
    }
    assert rules >= {
        "same_id",
        "same_id_conflict",
        "same_card",
        "same_name_phone",
        "same_name_email",
        "same_name_birth",
        "same_pinyin_birth",
        "name_typo_birth",
        "shared_mobile",
    }
    assert result.already_reviewed == 1
    assert result.updated == 1
    assert len(result.warnings) == 1
    away = Merge.objects.get().duplicate_id
    assert not DuplicateCandidate.objects.filter(guest_b_id=away).exists()
    assert not DuplicateCandidate.objects.filter(guest_a_id=away).exists()


def test_many_new_candidates_are_written_whole(prop: Property) -> None:
    # given 21 new guests of one name and birthday: 210 pairs, more than one
    # statement's worth (PostgreSQL takes them by COPY)
    ids = guests_bulk_create(
        actor=None,
        property=prop,
        inputs=[_guest("欧阳娜娜", birth_date=BIRTH) for _ in range(21)],
    )

    # when
    result = duplicates_check_many(property_id=prop.pk, guest_ids=ids, few=0)

    # then every pair is a candidate with its evidence, open, in the property
    assert result.created == 210
    candidates = DuplicateCandidate.objects.order_by("guest_a_id", "guest_b_id")
    assert [(c.guest_a_id, c.guest_b_id) for c in candidates] == [
        (a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]
    ]
    first = candidates.first()
    assert first is not None
    assert (first.property_id, first.score, first.status) == (prop.pk, 70, "open")
    assert first.evidence == {
        "level": "likely",
        "rules": [
            {
                "rule": "same_name_birth",
                "label": "姓名（繁简统一后）与出生日期相同",
                "score": 70,
                "values": ["欧阳娜娜", "欧阳娜娜", "1985-03-14"],
                "a": "欧阳娜娜 · 1985-03-14",
                "b": "欧阳娜娜 · 1985-03-14",
                "note": "",
                "fields": ["full_name", "birth_date"],
            }
        ],
    }
    assert first.created_at == first.updated_at
    assert first.reviewed_by_id is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite plans IN as an index probe"
)
def test_the_pairs_known_of_many_new_guests_are_read_by_probes(
    prop: Property,
) -> None:
    # given more new guests than the server can hash in its working memory
    with transaction.atomic(), _new_guests(list(range(1, 100_001))):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64kB'")

        # when the check reads the pairs already known of them
        plan = DuplicateCandidate.objects.filter(
            _either_new(), property_id=prop.pk
        ).explain()

    # then each candidate probes the new guests' key, rather than scanning all of
    # them for each candidate
    assert "Materialize" not in plan
    assert f"Index Only Scan using {NEW_GUESTS}_pkey" in plan
