"""The card's one statement gives the same guests as the ORM's prefetches.

Run on SQLite and on PostgreSQL (``DATABASE_URL``), as the whole suite is: the
values travel through JSON differently on each.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.utils import timezone

from dossier.care.models import Task
from dossier.classes.services import class_pin
from dossier.core.models import Property, StaffProfile
from dossier.core.rows import table
from dossier.duplicates.merge import guest_merge, guest_merge_undo
from dossier.guests.cardload import cards_load
from dossier.guests.models import (
    Company,
    MemberCard,
    Observation,
    ObservationKind,
    PreferenceItem,
    SpecialDate,
    Tag,
)
from dossier.guests.selectors import (
    card_guests,
    card_queryset,
    card_viewer,
    guest_card,
    guest_cards,
    guests_visible,
)
from dossier.guests.services import preference_set
from dossier.history.services import BillInput, BillLineInput, bill_record
from tests.factories import GuestFactory, add_stay, resident_id

pytestmark = pytest.mark.django_db

TEXT = '欧阳"娜娜"\\ 𠮷 ☕\n第二行'


def values(instance: models.Model) -> dict[str, str]:
    """Every loaded value of ``instance`` with its type, as ``repr`` writes it:
    Decimal('112.00') is not Decimal('112'), True is not 1."""
    return {
        name: repr(value)
        for name, value in vars(instance).items()
        if name not in ("_state", "_prefetched_objects_cache")
        # What the ORM's prefetch of a many-to-many relation leaves on each row.
        and not name.startswith("_prefetch_related_val")
    }


def rows(instances: Any) -> list[dict[str, str]]:
    return [values(i) for i in instances]


def by_pk(instances: Any) -> list[dict[str, str]]:
    return rows(sorted(instances, key=lambda i: i.pk))


@pytest.fixture
def full_guest(prop, manager, waiter):
    """A guest with some of every kind of row the card reads."""
    company = Company.objects.create(
        property=prop,
        name="华夏贸易有限公司",
        agreed_rate=Decimal("688.00"),
        discount_rate=Decimal("0.85"),
        contract_start=date(2025, 1, 1),
    )
    guest = GuestFactory(
        full_name="欧阳娜娜",
        phones=["13800004444", "010-65123456"],
        id_numbers=[resident_id(date(1990, 6, 1), "F", 3)],
        vip_level="金卡",
        birth_date=date(1990, 6, 1),
        usual_rate=Decimal("112.00"),
        notes=TEXT,
        company=company,
    )
    class_pin(actor=manager, guest=guest, klass="A", reason="总经理指定")
    for code, value in [
        ("allergy", "花生"),
        ("ac_temperature", "24.5"),
        ("tea", TEXT),
    ]:
        preference_set(
            actor=manager,
            guest=guest,
            item=PreferenceItem.objects.get(code=code),
            value=value,
        )
    SpecialDate.objects.create(guest=guest, kind="birthday", month=6, day=1, year=1990)
    SpecialDate.objects.create(
        guest=guest,
        kind="custom",
        label="结婚纪念日",
        calendar="lunar",
        month=4,
        day=8,
        is_leap_month=True,
    )
    MemberCard.objects.create(
        guest=guest,
        number="VIP-88001",
        number_key="vip88001",
        issued_on=date(2024, 2, 29),
    )
    second, first = (
        Tag.objects.create(property=prop, name="常客"),
        Tag.objects.create(property=prop, name="商务"),
    )
    guest.tags.add(first)
    guest.tags.add(second)
    observed = timezone.now() - timedelta(days=2)
    for kind, resolved, text in [
        (ObservationKind.COMPLAINT, False, "上菜太慢"),
        (ObservationKind.COMPLAINT, True, "已处理"),
        (ObservationKind.PRAISE, False, "服务好"),
        (ObservationKind.COMPLAINT, False, TEXT),
    ]:
        Observation.objects.create(
            guest=guest,
            kind=kind,
            department="fnb",
            staff=waiter,
            text=text,
            resolved=resolved,
            observed_at=observed,
        )
        observed += timedelta(microseconds=1)
    Task.objects.create(
        guest=guest,
        title="生日前一天送花",
        due=date.today() + timedelta(days=2),
        title_args={"名": "欧阳", "n": 1.5, "items": [1, None, True]},
    )
    Task.objects.create(guest=guest, title="回访", due=date.today() + timedelta(days=1))
    Task.objects.create(guest=guest, title="已完成", due=date.today(), status="done")
    for n in range(7):
        add_stay(
            guest,
            days_ago=10 + n * 20,
            external_ref=f"S{n}",
            special_requests=TEXT,
            company=company,
        )
    for n in range(7):
        lines = [
            BillLineInput(dish="清蒸石斑鱼", quantity=Decimal("1.5"),
                          unit_price=Decimal("112.00"), rating="liked"),
            BillLineInput(dish="米饭", quantity=Decimal(1), unit_price=Decimal("0.10")),
        ]  # fmt: skip
        opened = datetime(2026, 3, 1, 23, 30, 15, 123456, tzinfo=UTC)
        bill_record(
            property=prop,
            guest=guest,
            data=BillInput(
                external_ref=f"B{n}",
                outlet_code="chinese",
                outlet_name="中餐厅",
                opened_at=opened - timedelta(days=n * 3),
                closed_at=None if n % 2 else opened + timedelta(hours=1),
                table=TEXT[:10],
                lines=lines,
            ),
        )
    return guest


def orm_guest(guest):
    return card_queryset().get(pk=guest.pk)


def test_the_statement_gives_the_same_rows_as_the_orm(full_guest):
    # given the guest read through the ORM's prefetches
    expected = orm_guest(full_guest)

    # when it is read in one statement
    (loaded,) = cards_load([full_guest.pk]).values()

    # then every value of every row is the same, with the same type
    assert values(loaded) == values(expected)
    for related in ("property", "company", "customer_class"):
        assert values(getattr(loaded, related)) == values(getattr(expected, related))
    for name in ("phones", "documents", "special_dates", "cards", "tags"):
        assert by_pk(getattr(loaded, name).all()) == by_pk(
            getattr(expected, name).all()
        )
    assert by_pk(loaded.preferences.all()) == by_pk(expected.preferences.all())
    assert by_pk(p.item for p in loaded.preferences.all()) == by_pk(
        p.item for p in expected.preferences.all()
    )
    assert by_pk(p.item.group for p in loaded.preferences.all()) == by_pk(
        p.item.group for p in expected.preferences.all()
    )
    for name in ("open_complaints", "open_tasks", "recent_stays", "recent_bills"):
        assert rows(getattr(loaded, name)) == rows(getattr(expected, name))
    for bill, other in zip(loaded.recent_bills, expected.recent_bills, strict=True):
        assert values(bill.outlet) == values(other.outlet)
        assert rows(bill.lines.all()) == rows(other.lines.all())
        assert rows(line.dish for line in bill.lines.all()) == rows(
            line.dish for line in other.lines.all()
        )


def test_values_come_back_exactly(full_guest):
    (loaded,) = cards_load([full_guest.pk]).values()

    bill = loaded.recent_bills[0]
    line = bill.lines.all()[0]
    assert bill.table == TEXT[:10]
    assert repr(line.unit_price) == "Decimal('112.00')"
    assert repr(line.quantity) == "Decimal('1.50')"
    assert bill.opened_at == datetime(2026, 3, 1, 23, 30, 15, 123456, tzinfo=UTC)
    assert bill.opened_at.utcoffset() == timedelta(0)
    assert [b.closed_at is None for b in loaded.recent_bills] == [
        False,
        True,
        False,
        True,
        False,
    ]
    assert loaded.notes == TEXT
    assert loaded.recent_stays[0].special_requests == TEXT
    (temperature,) = [
        p for p in loaded.preferences.all() if p.item.code == "ac_temperature"
    ]
    assert repr(temperature.value_number) == "Decimal('24.50')"
    (task,) = [t for t in loaded.open_tasks if t.title_args]
    assert task.title_args == {"名": "欧阳", "n": 1.5, "items": [1, None, True]}
    (lunar,) = [d for d in loaded.special_dates.all() if d.calendar == "lunar"]
    assert (lunar.is_leap_month, lunar.year) == (True, None)
    assert repr(loaded.company.discount_rate) == "Decimal('0.850')"


def test_the_relations_are_read_without_a_query(full_guest, manager):
    (loaded,) = cards_load([full_guest.pk]).values()
    viewer = card_viewer(manager)

    with CaptureQueriesContext(connection) as queries:
        guest_card(loaded, viewer=viewer)
        [p.item.group.name for p in loaded.preferences.all()]
        [t.name for t in loaded.tags.all()]

    assert queries.captured_queries == []


def test_tags_in_the_order_of_the_catalogue_and_visits_newest_first(full_guest):
    (loaded,) = cards_load([full_guest.pk]).values()

    # the tag made first, though given second, comes first
    assert [t.name for t in loaded.tags.all()] == ["常客", "商务"]
    assert [s.external_ref for s in loaded.recent_stays] == [f"S{n}" for n in range(5)]
    assert [b.external_ref for b in loaded.recent_bills] == [f"B{n}" for n in range(5)]
    assert [o.text for o in loaded.open_complaints] == [TEXT, "上菜太慢"]
    assert [t.title for t in loaded.open_tasks] == ["回访", "生日前一天送花"]


@pytest.mark.parametrize("department", ["management", "fnb", "housekeeping"])
def test_the_card_is_the_card_of_the_orm(full_guest, make_staff, department):
    viewer = card_viewer(make_staff(department))

    card = guest_cards([full_guest.pk], viewer=viewer)[0]

    assert card == guest_card(orm_guest(full_guest), viewer=viewer)
    assert card["alerts"][0]["text"] == "花生"


def test_guests_without_related_rows_and_in_any_number(prop, full_guest, waiter):
    # given guests with nothing but a name, and one with everything
    bare = [GuestFactory(full_name=f"李{n}") for n in range(3)]
    ids = [bare[0].pk, full_guest.pk, bare[1].pk, 999_999, bare[2].pk]
    viewer = card_viewer(waiter)

    # when their cards are read together, in one statement
    with CaptureQueriesContext(connection) as queries:
        cards = guest_cards(ids, viewer=viewer)

    # then each is its own, in the order asked, one that does not exist left out
    assert len(queries.captured_queries) == 1
    assert [c["id"] for c in cards] == [ids[0], ids[1], ids[2], ids[4]]
    for guest, card in zip([bare[0], full_guest, bare[1], bare[2]], cards, strict=True):
        assert card == guest_card(orm_guest(guest), viewer=viewer)
    assert cards[0]["recent_visits"] == []
    assert cards[0]["tags"] == []


def test_a_field_the_statement_cannot_read_is_refused():
    with isolate_apps("dossier.guests"):

        class Reading(models.Model):  # noqa: DJ008
            value = models.FloatField()

            class Meta:
                app_label = "guests"

        # when a statement would read it as a JSON element
        reading = table(Reading, "c")

        # then it is refused, though its plain columns can still be read
        with pytest.raises(TypeError, match=r"Reading\.value: FloatField"):
            reading.json()
        assert reading.columns == 'c."id", c."value"'


def test_the_card_shows_only_the_guests_a_viewer_may_see(prop, manager, make_staff):
    # given guests of this property and another, one merged away, one merged back
    other = Property.objects.create(code="branch", name="分店")
    here, elsewhere = (
        GuestFactory(full_name="陈一"),
        GuestFactory(full_name="陈二", property=other),
    )
    merged, undone = GuestFactory(full_name="陈三"), GuestFactory(full_name="陈四")
    guest_merge(actor=manager, master=here, duplicate=merged)
    guest_merge_undo(
        actor=manager, merge=guest_merge(actor=manager, master=here, duplicate=undone)
    )
    ids = [here.pk, elsewhere.pk, merged.pk, undone.pk]
    boss = User.objects.create_superuser("boss", password="pw-Dossier-1")
    StaffProfile.objects.create(user=boss, department="management", property=prop)
    viewers = [make_staff("fnb"), User.objects.get(pk=boss.pk), AnonymousUser()]

    for viewer in viewers:
        # when the cards are read for each viewer
        shown = set(card_guests(ids, visible_to=viewer))

        # then they are of the guests the viewer may see anywhere else
        assert shown == set(
            guests_visible(viewer).filter(pk__in=ids).values_list("pk", flat=True)
        )
    assert set(card_guests(ids, visible_to=viewers[0])) == {here.pk, undone.pk}
    assert set(card_guests(ids, visible_to=boss)) == {
        here.pk,
        elsewhere.pk,
        undone.pk,
    }
    assert set(card_guests(ids)) == set(ids)
