"""The bulk scan finds the duplicates already in the archive, and only those."""

from datetime import date

import pytest
from django.core.management import call_command

from bench.generate import guest_inputs
from dossier.core.models import Property
from dossier.duplicates.models import DuplicateCandidate
from dossier.duplicates.services import duplicates_scan
from dossier.guests.bulk import guests_bulk_create
from dossier.guests.models import Guest, MemberCard
from dossier.guests.services import GuestInput, IdentityInput

pytestmark = pytest.mark.django_db

GENERATED = 400


def _archive(prop: Property) -> tuple[list[int], list[tuple[str, str]]]:
    """Generated guests, and the (mobile, id number) each was given."""
    generated = list(guest_inputs(GENERATED, seed=3))
    ids = guests_bulk_create(
        actor=None, property=prop, inputs=[data for data, _, _ in generated]
    )
    return ids, [(mobile, number) for _, mobile, number in generated]


def _plant(
    prop: Property, ids: list[int], given: list[tuple[str, str]]
) -> set[tuple[int, int]]:
    """Five duplicates of five kinds, a relative on one of their mobiles (queued, for
    a reviewer to tell apart) and a colleague sharing an e-mail address (not);
    returns the pairs a scan must find."""
    mobile_1 = given[1][0]
    name_1, name_3 = (Guest.objects.get(pk=ids[i]).full_name for i in (1, 3))
    inputs = [
        GuestInput(
            fields={"full_name": "另一个名字"}, documents=[IdentityInput(given[0][1])]
        ),
        GuestInput(
            fields={"full_name": name_1},
            phones=[f"+86 {mobile_1[:3]}-{mobile_1[3:7]}-{mobile_1[7:]}"],
        ),
        GuestInput(fields={"full_name": "陳嘉欣", "birth_date": date(1970, 7, 7)}),
        GuestInput(fields={"full_name": "陈嘉欣", "birth_date": date(1970, 7, 7)}),
        GuestInput(fields={"full_name": name_3, "email": "Same@Example.com"}),
        GuestInput(fields={"full_name": "同卡号"}),
        GuestInput(fields={"full_name": "同电话的家人"}, phones=[mobile_1]),
        GuestInput(fields={"full_name": "同邮箱的同事", "email": "same@example.com"}),
    ]
    planted = guests_bulk_create(actor=None, property=prop, inputs=inputs)
    guest_3 = ids[3]
    Guest.objects.filter(pk=guest_3).update(email="same@example.com")
    MemberCard.objects.create(guest_id=ids[4], number="VIP-0001")
    MemberCard.objects.create(guest_id=planted[5], number="VIP-0001")
    return {
        (ids[0], planted[0]),
        (ids[1], planted[1]),
        (planted[2], planted[3]),
        (guest_3, planted[4]),
        (ids[4], planted[5]),
        (ids[1], planted[6]),
        (planted[1], planted[6]),
    }


def test_scan_finds_every_planted_duplicate_and_no_other_pair(prop: Property) -> None:
    # given
    ids, given = _archive(prop)
    planted = _plant(prop, ids, given)

    # when
    result = duplicates_scan(property_id=prop.pk, batch=50)

    # then
    found = set(DuplicateCandidate.objects.values_list("guest_a_id", "guest_b_id"))
    assert found == planted
    assert (result.guests, result.created, result.warnings) == (GENERATED + 8, 7, [])
    rules = {
        (c.guest_a_id, c.guest_b_id): [r["rule"] for r in c.evidence["rules"]]
        for c in DuplicateCandidate.objects.all()
    }
    assert sorted(rules.values()) == [
        ["same_card"],
        ["same_id_conflict"],
        ["same_name_birth"],
        ["same_name_email"],
        ["same_name_phone"],
        ["shared_mobile"],
        ["shared_mobile"],
    ]


def test_scan_twice_writes_nothing_new(prop: Property) -> None:
    # given
    ids, given = _archive(prop)
    _plant(prop, ids, given)
    duplicates_scan(property_id=prop.pk)

    # when
    again = duplicates_scan(property_id=prop.pk)

    # then
    assert (again.created, again.updated) == (0, 0)
    assert DuplicateCandidate.objects.count() == 7


def test_a_switchboard_phone_is_one_warning_and_no_evidence(prop: Property) -> None:
    # given
    inputs = [
        GuestInput(fields={"full_name": f"前台客人{n}"}, phones=["0571-88888888"])
        for n in range(498)
    ]
    twins = {"full_name": "林晓雯", "birth_date": date(1990, 1, 1)}
    inputs += [GuestInput(fields=twins, phones=["0571-88888888"])] * 2
    ids = guests_bulk_create(actor=None, property=prop, inputs=inputs)

    # when
    result = duplicates_scan(property_id=prop.pk)

    # then
    assert result.warnings == [
        "电话 0571****8888 有 500 份档案共用（总机、前台或占位信息？），"
        "未逐对比较，也不作为同一人的依据"
    ]
    # the two 林晓雯 are a pair by name and birthday, the shared number is no evidence
    assert (result.pairs_compared, result.created) == (1, 1)
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.guest_a_id, candidate.guest_b_id) == (ids[498], ids[499])
    assert (candidate.score, [r["rule"] for r in candidate.evidence["rules"]]) == (
        70,
        ["same_name_birth"],
    )


def test_the_command_reports_what_it_found(
    prop: Property, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    ids, given = _archive(prop)
    _plant(prop, ids, given)

    # when
    call_command("duplicates-scan")

    # then
    out = capsys.readouterr().out
    assert f"{prop.name}：{GENERATED + 8} 份档案" in out
    assert "新增 7，更新 0，已审核 0" in out


def test_scan_pairs_a_name_with_its_passport_spelling(prop: Property) -> None:
    # given two profiles of one guest, written apart, found by no check on create
    chinese, latin = guests_bulk_create(
        actor=None,
        property=prop,
        inputs=[
            GuestInput(fields={"full_name": "王建国", "birth_date": date(1970, 3, 3)}),
            GuestInput(
                fields={"full_name": "Jianguo WANG", "birth_date": date(1970, 3, 3)}
            ),
        ],
    )
    DuplicateCandidate.objects.all().delete()

    # when
    result = duplicates_scan(property_id=prop.pk)

    # then
    assert (result.created, result.warnings) == (1, [])
    found = DuplicateCandidate.objects.get()
    assert (found.guest_a_id, found.guest_b_id, found.score) == (chinese, latin, 60)
