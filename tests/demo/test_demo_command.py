"""``dossier demo``: a demo property from real bookings, loaded with 500 of them."""

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count, Sum

from dossier.core.crypto import unseal
from dossier.core.models import Property
from dossier.demo.accounts import demo_admin_ensure
from dossier.demo.build import DEMO_NAME, DemoError, demo_load
from dossier.demo.labels import rate_cny
from dossier.demo.sources import bookings_read
from dossier.guests.models import (
    Company,
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    Observation,
    SpecialDate,
)
from dossier.history.models import SpendLine, Stay
from dossier.search.models import SearchKey
from dossier.zh.idnumber import parse_id_number
from dossier.zh.phones import normalize_phone

SIZE = 500


@dataclass
class Loaded:
    prop: Property
    stdout: str
    stderr: str


def _demo(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def loaded(prop: Property) -> Loaded:
    stdout, stderr = _demo("--bookings", str(SIZE))
    return Loaded(Property.objects.get(pk=prop.pk), stdout, stderr)


def test_demo_creates_guests_stays_and_search_keys(loaded: Loaded) -> None:
    # when the demo is loaded (fixture)
    # then every booking is a stay of one guest of the renamed default property
    assert loaded.prop.name == DEMO_NAME
    assert Stay.objects.filter(property=loaded.prop).count() == SIZE
    guests = Guest.objects.filter(property=loaded.prop).count()
    assert 0 < guests <= SIZE
    assert Stay.objects.values("guest").distinct().count() == guests
    assert SearchKey.objects.values("guest").distinct().count() == guests
    assert "客人" in loaded.stderr


def test_resident_ids_parse_and_match_the_guest(loaded: Loaded) -> None:
    documents = IdentityDocument.objects.filter(doc_type="resident_id").select_related(
        "guest"
    )
    assert documents.count() > 50
    for document in documents:
        parsed = parse_id_number(
            unseal(document.number_sealed), today=loaded.prop.today()
        )
        assert parsed.birth_date == document.guest.birth_date
        assert parsed.gender == document.guest.gender


def test_foreign_guests_hold_passports_and_latin_names(loaded: Loaded) -> None:
    passports = IdentityDocument.objects.filter(doc_type="passport").select_related(
        "guest"
    )
    assert passports.count() > 50
    for document in passports:
        assert not document.guest.name_is_han
        assert document.guest.surname
        assert document.guest.full_name.endswith(" " + document.guest.surname)
        assert unseal(document.number_sealed).isalnum()


def test_every_phone_passes_normalize_phone(loaded: Loaded) -> None:
    phones = list(GuestPhone.objects.all())
    assert len(phones) > 100
    for phone in phones:
        assert normalize_phone(phone.raw).e164 == phone.e164


def test_some_arrivals_are_today_in_the_property_time_zone(loaded: Loaded) -> None:
    today = loaded.prop.today()
    arriving = Stay.objects.filter(arrival=today).exclude(status="cancelled")
    assert arriving.exists()
    assert set(arriving.values_list("status", flat=True)) == {"reserved"}
    assert not Stay.objects.filter(arrival__gt=today, status="checked_out").exists()
    last = max(Stay.objects.values_list("arrival", flat=True))
    assert today + timedelta(days=23) <= last <= today + timedelta(days=37)


def test_in_house_stays_have_rooms_and_never_share_one(loaded: Loaded) -> None:
    today = loaded.prop.today()
    in_house = Stay.objects.filter(status="in_house")
    assert in_house.exists()
    for stay in in_house:
        assert stay.room
        assert stay.arrival < today <= stay.departure
    shared = in_house.values("room").annotate(n=Count("id")).filter(n__gt=1)
    assert not shared.exists()


def test_no_room_holds_two_stays_on_one_night(loaded: Loaded) -> None:
    by_room: dict[str, list[Stay]] = {}
    for stay in Stay.objects.exclude(room="").order_by("arrival", "id"):
        by_room.setdefault(stay.room, []).append(stay)
    assert by_room
    for stays in by_room.values():
        for before, after in itertools.pairwise(stays):
            assert before.departure <= after.arrival


def test_cancelled_and_unfinished_stays_carry_no_spend(loaded: Loaded) -> None:
    assert Stay.objects.filter(status="cancelled").exists()
    spent = SpendLine.objects.exclude(stay__status="checked_out")
    assert not spent.exists()


def test_room_revenue_is_rate_times_nights_exactly(loaded: Loaded) -> None:
    # given the source bookings the demo took
    rows = {f"HBD-{b.index + 1:06d}": b for b in bookings_read(SIZE)}
    expected = Decimal("0.00")
    for stay in Stay.objects.filter(status="checked_out"):
        booking = rows[stay.external_ref]
        assert stay.rate == rate_cny(booking.adr)
        expected += stay.rate * stay.nights if stay.rate else Decimal("0.00")
    # then the spend lines sum to the same amount, in Python and in the database
    lines = list(SpendLine.objects.all())
    assert all(isinstance(line.revenue, Decimal) for line in lines)
    assert sum((line.revenue for line in lines), Decimal("0.00")) == expected
    assert SpendLine.objects.aggregate(total=Sum("revenue"))["total"] == expected


def test_rate_converts_euros_at_the_fixed_rate() -> None:
    assert rate_cny(Decimal("75.5")) == Decimal("588.90")
    assert rate_cny(Decimal("107.42")) == Decimal("837.88")
    assert rate_cny(Decimal("-6.38")) == Decimal("0.00")


def test_archive_content_is_there(loaded: Loaded) -> None:
    assert GuestPreference.objects.filter(item__code="allergy").exists()
    assert GuestPreference.objects.filter(item__code="ac_temperature").exists()
    assert SpecialDate.objects.filter(calendar="lunar", is_leap_month=True).exists()
    assert SpecialDate.objects.filter(kind="birthday", calendar="solar").exists()
    assert Observation.objects.filter(status="confirmed").exists()
    assert Observation.objects.filter(status="pending").exists()
    assert Guest.objects.filter(guest_class="A").exclude(vip_level="").exists()
    assert Guest.objects.filter(tags__name="回头客").exists()
    company = Company.objects.filter(contacts__is_company_contact=True).first()
    assert company is not None
    assert company.contacts.filter(title__gt="").exists()


def test_the_demo_loads_the_archive_from_the_published_scheme(loaded: Loaded) -> None:
    from dossier.records.models import Case, SchemeVersion

    version = SchemeVersion.objects.get(property=loaded.prop, is_current=True)

    assert version.name == "企业档案分类方案（党群管理类，2022 年发布样本）"
    assert Case.objects.filter(
        property=loaded.prop, archive_class__version=version
    ).exists()
    assert "示例文书档案已载入：企业档案分类方案（党群管理类，2022 年发布样本） v1" in (
        loaded.stderr
    )


def _identities() -> dict[str, tuple[object, ...]]:
    found = {}
    for stay in Stay.objects.select_related("guest"):
        guest = stay.guest
        numbers = sorted(unseal(d.number_sealed) for d in guest.documents.all())
        phones = sorted(p.e164 for p in guest.phones.all())
        found[stay.external_ref] = (
            guest.full_name,
            guest.gender,
            guest.birth_date,
            *numbers,
            *phones,
        )
    return found


def _wipe() -> None:
    SpendLine.objects.all().delete()
    Stay.objects.all().delete()
    Observation.objects.all().delete()
    Guest.objects.all().delete()


def test_same_seed_gives_the_same_identities(prop: Property) -> None:
    # given a first build of 200 bookings
    demo_load(bookings=200, seed=7)
    first = _identities()
    _wipe()

    # when the same bookings are built again with the same seed
    demo_load(bookings=200, seed=7)

    # then every booking's guest has the same name, ID, birth date and phone
    assert _identities() == first
    assert len(first) == 200


def test_another_seed_gives_other_identities(prop: Property) -> None:
    demo_load(bookings=200, seed=7)
    first = _identities()
    _wipe()
    demo_load(bookings=200, seed=8)
    again = _identities()
    assert sum(first[ref][0] != again[ref][0] for ref in first) > 150


def test_loading_twice_is_refused(loaded: Loaded) -> None:
    with pytest.raises(DemoError):
        demo_load(bookings=10)


def test_if_empty_does_nothing_when_guests_exist(loaded: Loaded) -> None:
    # when the README's first command runs on a loaded install
    stdout, stderr = _demo("--bookings", str(SIZE), "--if-empty")

    # then nothing is added and no admin line is printed
    assert Stay.objects.count() == SIZE
    assert "管理员账号" not in stdout
    assert "未载入" in stderr


def test_if_empty_loads_an_empty_install(prop: Property) -> None:
    _demo("--bookings", "50", "--if-empty")
    assert Stay.objects.count() == 50


def test_admin_is_created_once_and_its_password_printed_once(loaded: Loaded) -> None:
    # given the first load printed the admin line (fixture)
    lines = [line for line in loaded.stdout.splitlines() if "管理员账号" in line]
    assert len(lines) == 1
    username, password = lines[0].removeprefix("管理员账号: ").split(" / ")

    # then the account is the administrator, with that password
    admin = User.objects.get(username=username)
    assert username == "admin"
    assert admin.is_superuser
    assert admin.check_password(password)
    assert admin.staff.department == "admin"
    assert admin.groups.filter(name="系统管理员").exists()

    # and later runs create and print nothing
    assert demo_admin_ensure() is None
    stdout, _ = _demo("--if-empty")
    assert "管理员账号" not in stdout
    assert User.objects.filter(is_superuser=True).count() == 1


def test_no_admin_is_created_when_a_superuser_exists(prop: Property) -> None:
    User.objects.create_superuser("boss", "", "pw-Dossier-1")
    stdout, _ = _demo("--bookings", "20")
    assert "管理员账号" not in stdout
    assert not User.objects.filter(username="admin").exists()


def test_demo_classes_follow_the_demo_spend_and_survive_the_first_daily_run(
    loaded: Loaded,
) -> None:
    from dossier.care.daily import run_daily
    from dossier.classes.models import ClassChange, ClassPolicy

    # given the demo, whose classes were computed from its own spend
    prop = loaded.prop
    policy = ClassPolicy.objects.get(property=prop)
    assert policy.recomputed_on == prop.today()
    classes = dict(
        Guest.objects.values_list("guest_class").annotate(n=Count("id")).order_by()
    )
    assert classes.get("A", 0) > 0
    assert classes.get("B", 0) > classes.get("A", 0)
    changes = ClassChange.objects.count()

    # when the first daily run comes
    run_daily(today=prop.today(), jobs=["classes.recompute"])

    # then no class changes: this quarter is done
    assert ClassChange.objects.count() == changes


def test_a_third_of_the_guests_agreed_to_marketing_on_their_card(
    loaded: Loaded,
) -> None:
    from dossier.care.campaigns import CampaignInput, campaign_estimate, campaign_save
    from dossier.care.models import Consent

    # given the demo of 500 bookings
    sms = Consent.objects.filter(channel="sms", purpose="marketing")
    guests = Guest.objects.count()

    # when a campaign to every guest is estimated
    campaign = campaign_save(actor=None, prop=loaded.prop, data=CampaignInput(
        name="新春问候", channel="sms", body="{称呼}，新春快乐！"))  # fmt: skip
    estimate = campaign_estimate(campaign)

    # then about a third of those with a phone agreed, a few declined, each from the registration card
    agreed = sms.filter(granted=True).count()
    assert 0.2 < agreed / guests < 0.42
    assert 0 < sms.filter(granted=False).count() < agreed / 5
    assert set(Consent.objects.values_list("source", flat=True)) == {
        "演示数据：客人资料登记卡"
    }
    assert 0 < estimate.recipients <= agreed
    assert f"营销授权 {Consent.objects.count()} 条" in loaded.stderr


def test_the_same_seed_gives_the_same_consents(prop: Property) -> None:
    from dossier.care.models import Consent

    def consents() -> list[tuple[object, ...]]:
        rows = Consent.objects.values_list(
            "guest__stays__external_ref", "channel", "granted", "at"
        )
        return sorted(rows)

    # given
    demo_load(bookings=200, seed=7)
    first = consents()
    Consent.objects.all().delete()
    _wipe()

    # when
    demo_load(bookings=200, seed=7)

    # then
    assert consents() == first
    assert len(first) > 40
