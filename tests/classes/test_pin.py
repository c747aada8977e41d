"""Pinning a class with a reason; recomputation leaves a pin alone."""

import pytest

from dossier.classes.errors import ClassError
from dossier.classes.models import ClassChange, GuestClass
from dossier.classes.services import class_pin, class_unpin, classes_recompute
from dossier.core.models import AuditEvent
from dossier.guests.models import Guest


def klass(guest: Guest) -> str:
    return Guest.objects.get(pk=guest.pk).guest_class


def test_pinned_class_survives_recomputation(prop, guests, manager):
    # given the small spender pinned to A
    small = guests["small"]
    class_pin(actor=manager, guest=small, klass="A", reason="集团董事长，总经理指定")

    # when
    report = classes_recompute(property=prop)

    # then
    assert klass(small) == "A"
    assert report.pinned == 1
    row = GuestClass.objects.get(guest=small)
    assert (row.klass, row.pinned, row.pin_reason, row.pinned_by) == (
        "A",
        True,
        "集团董事长，总经理指定",
        manager,
    )
    assert row.annual_spend == 200
    assert [(c.kind, c.to_class) for c in ClassChange.objects.filter(guest=small)] == [
        ("pinned", "A")
    ]
    event = AuditEvent.objects.get(action="classes.pinned")
    assert event.detail == {"klass": "A", "reason": "集团董事长，总经理指定"}


def test_unpin_gives_back_the_class_the_spend_earns(prop, guests, manager):
    small = guests["small"]
    class_pin(actor=manager, guest=small, klass="A", reason="试用")

    class_unpin(actor=manager, guest=small, reason="试用结束")

    assert klass(small) == "C"
    latest = ClassChange.objects.filter(guest=small).first()
    assert (latest.kind, latest.from_class, latest.to_class) == ("unpinned", "A", "C")
    assert latest.reason.startswith("试用结束；近 365 天消费 ¥200.00，1 次")
    assert not GuestClass.objects.get(guest=small).pinned


@pytest.mark.parametrize(
    ("klass_", "reason", "field", "message"),
    [
        ("A", "   ", "reason", "请填写原因"),
        ("D", "重要", "klass", "没有客户类别“D”"),
        ("A", "长" * 201, "reason", "原因最多 200 个字，现有 201 个"),
    ],
)
def test_pin_without_a_usable_reason_or_class_is_refused(
    guests, manager, klass_, reason, field, message
):
    small = guests["small"]

    with pytest.raises(ClassError) as caught:
        class_pin(actor=manager, guest=small, klass=klass_, reason=reason)

    assert (caught.value.field, caught.value.message) == (field, message)
    assert klass(small) == "C"
    assert not ClassChange.objects.exists()
    assert not AuditEvent.objects.filter(action="classes.pinned").exists()


def test_unpin_of_a_class_not_pinned_is_refused(guests, manager):
    with pytest.raises(ClassError, match="不是人工指定"):
        class_unpin(actor=manager, guest=guests["small"], reason="x")
