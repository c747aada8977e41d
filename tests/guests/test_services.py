from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from dossier.core.crypto import unseal
from dossier.guests.bulk import guests_bulk_create
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import Guest, Observation, PreferenceItem, ProfileChange
from dossier.guests.selectors import guest_honorific
from dossier.guests.services import (
    GuestInput,
    IdentityInput,
    guest_create,
    guest_update,
    observation_add,
    observation_review,
    preference_clear,
    preference_set,
    special_date_add,
)
from dossier.zh.names import name_pinyin, split_name
from tests.factories import GuestFactory, resident_id

pytestmark = pytest.mark.django_db


def test_create_derives_birth_date_and_gender_from_the_id_number(prop):
    # given a resident ID of a woman born 1985-03-14
    number = resident_id(date(1985, 3, 14), "F")

    # when the guest is created with it
    guest = guest_create(
        actor=None,
        property=prop,
        data=GuestInput(
            fields={"full_name": "欧阳娜娜"}, documents=[IdentityInput(number)]
        ),
    )

    # then the profile has the date, the gender, the split name and a sealed number
    assert (guest.birth_date, guest.gender) == (date(1985, 3, 14), "F")
    assert (guest.surname, guest.given_name) == ("欧阳", "娜娜")
    document = guest.documents.get()
    assert document.number_masked == number[:6] + "********" + number[-4:]
    assert number not in document.number_sealed
    assert unseal(document.number_sealed) == number


def test_lower_case_x_is_stored_upper_case(prop):
    number = "11010519491231002X"

    guest = GuestFactory(full_name="张三", id_numbers=[number.lower()])

    assert unseal(guest.documents.get().number_sealed) == number


def test_an_invalid_id_number_creates_nothing(prop):
    with pytest.raises(GuestError) as caught:
        guest_create(
            actor=None,
            property=prop,
            data=GuestInput(
                fields={"full_name": "张三"},
                documents=[IdentityInput("110105198503140000")],
            ),
        )

    assert caught.value.code == GuestErrorCode.INVALID_ID_NUMBER
    assert caught.value.field == "id_number"
    assert Guest.objects.count() == 0


def _overflowing_columns(guest: Guest) -> list[str]:
    """The guest's text columns holding more than their database column takes."""
    return [
        field.name
        for field in Guest._meta.concrete_fields
        if isinstance(value := getattr(guest, field.name), str)
        and field.max_length is not None
        and len(value) > field.max_length
    ]


@pytest.mark.parametrize(
    ("name", "symbols"), [("李😀", "😀"), ("王小明★☆", "★☆"), ("陈\ue000", "\ue000")]
)
def test_a_name_with_an_emoji_or_symbol_is_refused_at_every_door(prop, name, symbols):
    # when a guest is created with it, on its own or in bulk, then it is refused
    # naming the characters, and nothing is written
    for create in (
        lambda: guest_create(
            actor=None, property=prop, data=GuestInput(fields={"full_name": name})
        ),
        lambda: guests_bulk_create(
            actor=None, property=prop, inputs=[GuestInput(fields={"full_name": name})]
        ),
    ):
        with pytest.raises(GuestError) as caught:
            create()
        assert caught.value.field == "full_name"
        assert f"“{symbols}”" in caught.value.message
    assert not Guest.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["阿依古丽·买买提", "Jürgen MÜLLER", "O'Brien-Smith", "欧阳娜娜", "Nguyễn Văn A"],
)
def test_the_marks_of_real_names_are_kept(prop, name):
    guest = guest_create(
        actor=None, property=prop, data=GuestInput(fields={"full_name": name})
    )

    assert guest.full_name == name


@pytest.mark.parametrize(
    "name",
    ["张" + "三" * 99, "Maria " + "de los Angeles " * 5 + "Fernandez"],
    ids=["han", "latin"],
)
def test_a_name_as_long_as_the_form_allows_fits_every_derived_column(prop, name):
    # given a name of up to 100 characters, as the form and the import allow
    parts = split_name(name)
    whole_reading = name_pinyin(parts.surname, parts.given_name)

    # when a guest is created with it, on its own and in bulk
    one = guest_create(
        actor=None, property=prop, data=GuestInput(fields={"full_name": name})
    )
    [many] = guests_bulk_create(
        actor=None, property=prop, inputs=[GuestInput(fields={"full_name": name})]
    )

    # then both keep the whole name; its parts fit their columns, the reading cut
    # after a whole syllable
    for guest in Guest.objects.filter(pk__in=[one.pk, many]):
        assert guest.full_name == name
        assert _overflowing_columns(guest) == []
        assert whole_reading.startswith(guest.name_pinyin)
        assert whole_reading[len(guest.name_pinyin) :][:1] in ("", " ")


def test_an_invalid_phone_is_refused_with_its_reason(prop):
    with pytest.raises(GuestError) as caught:
        GuestFactory(full_name="张三", phones=["1380000444"])

    assert caught.value.code == GuestErrorCode.INVALID_PHONE
    assert Guest.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "surname", "gender", "title", "expected"),
    [
        ("欧阳娜娜", None, "F", "", "欧阳女士"),
        ("司马光明", None, "M", "", "司马先生"),
        ("欧阳丽", "欧", "F", "", "欧女士"),
        ("阿依古丽·买买提", None, "F", "", "阿依古丽女士"),
        ("张伟", None, "M", "总经理", "张总"),
        ("Élodie Martin", None, "F", "", "Martin 女士"),
    ],
)
def test_honorific_on_the_card(prop, name, surname, gender, title, expected):
    guest = GuestFactory(full_name=name, surname=surname, gender=gender, title=title)

    assert guest_honorific(guest, prop) == expected


def test_honorific_from_the_gender_in_the_id_number(prop):
    # given no gender typed, only a male resident ID
    guest = GuestFactory(full_name="司马光明", id_numbers=[resident_id(gender="M")])

    assert guest_honorific(guest, prop) == "司马先生"


def test_latin_names_follow_the_house_setting(prop):
    guest = GuestFactory(full_name="Élodie Martin", gender="F")
    prop.latin_honorific = "en"

    assert guest_honorific(guest, prop) == "Ms Martin"


def test_staff_working_in_english_address_latin_names_in_english(prop):
    # given a house that writes Latin names the Chinese way (Martin 女士)
    guest = GuestFactory(full_name="Élodie Martin", gender="F")
    han = GuestFactory(full_name="欧阳娜娜", gender="F")

    # when a member of staff works in English
    with translation.override("en"):
        shown = (guest_honorific(guest, prop), guest_honorific(han, prop))

    # then the Latin name reads in English; a Chinese name keeps its form
    assert shown == ("Ms Martin", "欧阳女士")


def test_titles_only_when_the_house_prefers_them(prop):
    guest = GuestFactory(full_name="张伟", gender="M", title="总经理")
    prop.prefer_titles = False

    assert guest_honorific(guest, prop) == "张先生"


def test_update_records_who_when_field_before_after(prop, manager):
    guest = GuestFactory(full_name="张三", title="经理")

    guest_update(actor=manager, guest=guest, data=GuestInput(fields={"title": "总监"}))

    change = ProfileChange.objects.filter(guest=guest, field="title").latest("id")
    assert (change.actor, change.before, change.after, change.source) == (
        manager,
        "经理",
        "总监",
        "form",
    )


def test_explicit_surname_survives_a_later_name_edit(prop, manager):
    guest = GuestFactory(full_name="欧阳丽", surname="欧")

    guest = guest_update(
        actor=manager, guest=guest, data=GuestInput(fields={"title": "教授"})
    )

    assert (guest.surname, guest.given_name) == ("欧", "阳丽")


def test_typed_preferences(prop, manager):
    guest = GuestFactory(full_name="张三")
    ac = PreferenceItem.objects.get(code="ac_temperature")
    pillow = PreferenceItem.objects.get(code="pillow")

    preference_set(actor=manager, guest=guest, item=ac, value="24 °C")
    preference_set(actor=manager, guest=guest, item=pillow, value="低")

    assert guest.preferences.get(item=ac).value_number == Decimal("24")
    assert guest.preferences.get(item=ac).display_value() == "24 °C"
    with pytest.raises(GuestError):
        preference_set(actor=manager, guest=guest, item=ac, value="很冷")
    with pytest.raises(GuestError):
        preference_set(actor=manager, guest=guest, item=pillow, value="特别高")
    change = ProfileChange.objects.get(guest=guest, field="preference:ac_temperature")
    assert (change.before, change.after) == ("", "24 °C")


@pytest.mark.parametrize("proposed", ["1e20", "NaN", "Infinity", "24.555"])
def test_a_number_its_column_cannot_hold_is_refused_when_observed(
    prop, waiter, proposed
):
    # given a waiter noting an AC temperature the preference cannot hold
    guest = GuestFactory(full_name="张三")
    ac = PreferenceItem.objects.get(code="ac_temperature")

    # when it is filed as an observation, then it is refused naming the item
    with pytest.raises(GuestError) as caught:
        observation_add(
            actor=waiter,
            guest=guest,
            department="fnb",
            text="客人说的空调温度",
            item=ac,
            proposed_value=proposed,
        )
    assert caught.value.field == "ac_temperature"
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "raw", "kept"),
    [
        ("ac_temperature", "240", None),
        ("bath_temperature", "-5", None),
        ("ac_temperature", "9.99 °C", None),
        ("ac_temperature", "10", Decimal(10)),
        ("bath_temperature", "50°C", Decimal(50)),
        ("ac_temperature", "23.5", Decimal("23.5")),
    ],
)
def test_a_temperature_no_room_or_bath_has_is_refused(prop, code, raw, kept):
    # given a guest and a temperature item
    guest = GuestFactory(full_name="张三")
    item = PreferenceItem.objects.get(code=code)

    # when it is set
    def setting():
        return preference_set(actor=None, guest=guest, item=item, value=raw)

    # then one out of 10–50 °C is refused naming the item and the range, and the
    # others kept
    if kept is None:
        with pytest.raises(GuestError) as caught:
            setting()
        assert caught.value.field == code
        assert "10 至 50 °C" in caught.value.message
        assert not guest.preferences.exists()
    else:
        setting()
        assert guest.preferences.get().value_number == kept


def test_an_observation_confirmed_into_the_profile(prop, waiter, manager):
    guest = GuestFactory(full_name="张三")
    tea = PreferenceItem.objects.get(code="tea")

    observation = observation_add(
        actor=waiter,
        guest=guest,
        department="fnb",
        touchpoint="中餐厅午餐",
        text="客人只喝龙井",
        item=tea,
        proposed_value="龙井",
    )
    assert guest.preferences.count() == 0

    observation_review(actor=manager, observation=observation, confirm=True)

    observation.refresh_from_db()
    assert (observation.status, observation.reviewed_by) == ("confirmed", manager)
    assert guest.preferences.get(item=tea).value_text == "龙井"
    with pytest.raises(GuestError):
        observation_review(actor=manager, observation=observation, confirm=False)


def test_a_rejected_observation_changes_nothing(prop, waiter, manager):
    guest = GuestFactory(full_name="张三")
    observation = observation_add(
        actor=waiter,
        guest=guest,
        department="fnb",
        text="可能喜欢红酒",
        item=PreferenceItem.objects.get(code="wine"),
        proposed_value="红酒",
    )

    observation_review(actor=manager, observation=observation, confirm=False)

    assert Observation.objects.get().status == "rejected"
    assert guest.preferences.count() == 0


def test_a_special_date_is_checked_and_recorded(prop, manager):
    guest = GuestFactory(full_name="张三")

    special = special_date_add(
        actor=manager,
        guest=guest,
        kind="birthday",
        calendar="lunar",
        month=4,
        day=8,
        is_leap_month=True,
        year=2020,
    )

    assert special.display() == "农历 2020年闰四月初八"
    assert ProfileChange.objects.filter(guest=guest, field="special_date").count() == 1
    with pytest.raises(GuestError) as caught:
        special_date_add(actor=manager, guest=guest, kind="birthday", month=2, day=30)
    assert caught.value.field == "day"
    with pytest.raises(GuestError):
        special_date_add(
            actor=manager,
            guest=guest,
            kind="birthday",
            month=5,
            day=1,
            is_leap_month=True,
        )


def test_one_solar_birthday_that_of_the_birth_date_and_a_lunar_one_beside_it(
    prop, manager
):
    # given a guest born on 28 May 1961 by her ID number
    guest = GuestFactory(
        full_name="欧阳娜娜", id_numbers=[resident_id(date(1961, 5, 28), "F", 7)]
    )
    assert guest.birth_date == date(1961, 5, 28)

    def add(month, day, calendar="solar", year=None):
        return special_date_add(actor=manager, guest=guest, kind="birthday",
                                month=month, day=day, calendar=calendar, year=year)  # fmt: skip

    # when a birthday on another day, or in another year, is added, then it is
    # refused without naming the birth date
    for month, day, year in ((2, 29, None), (5, 28, 1962)):
        with pytest.raises(GuestError) as caught:
            add(month, day, year=year)
        assert caught.value.message == "生日与档案中的出生日期不一致，请核对"
        assert "1961" not in caught.value.message
    # and the birthday of her birth date is kept, with her lunar birthday beside it
    add(5, 28, year=1961)
    add(4, 14, calendar="lunar")
    # but not a second solar one
    with pytest.raises(GuestError) as caught:
        add(5, 28)
    assert caught.value.message == "已有公历生日（5月28日），请修改它，不要再加一个"
    assert guest.special_dates.count() == 2


def test_clearing_a_preference_is_recorded(prop, manager):
    guest = GuestFactory(full_name="张三")
    tea = PreferenceItem.objects.get(code="tea")
    preference_set(actor=manager, guest=guest, item=tea, value="龙井")

    preference_clear(actor=manager, guest=guest, item=tea)

    assert guest.preferences.count() == 0
    change = ProfileChange.objects.filter(field="preference:tea").latest("id")
    assert (change.before, change.after) == ("龙井", "")
