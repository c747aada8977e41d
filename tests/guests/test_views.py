"""The guest pages: forms go through the services, reveals are audited."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.core.models import AuditEvent, Property
from dossier.guests.models import (
    Company,
    Guest,
    GuestPhone,
    GuestPreference,
    Observation,
    ProfileChange,
    SpecialDate,
)
from dossier.guests.services import observation_add
from dossier.zh.idnumber import id_checksum
from tests.factories import GuestFactory, add_bill, add_stay, resident_id

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def nana(prop: Property) -> Guest:
    guest: Guest = GuestFactory(
        full_name="欧阳娜娜",
        gender="F",
        phones=["13800004444"],
        id_numbers=[resident_id(date(1990, 6, 1), "F", 3)],
    )
    return guest


def form_data(**values: str) -> dict[str, str]:
    data = {"full_name": "", "guest_class": "C", "id_type": "resident_id"}
    data.update(values)
    return data


def test_create_guest_through_the_form(make_staff) -> None:  # type: ignore[no-untyped-def]
    # given a front-desk clerk
    client = client_of(make_staff("front_office"))

    # when they file 欧阳娜娜 with a mobile and a valid ID number
    number = resident_id(date(1988, 4, 14), "F", 12)
    response = client.post(
        "/guests/new/",
        form_data(full_name="欧阳娜娜", mobiles="13800004444", id_number=number),
    )

    # then the guest exists, with surname 欧阳, and the browser goes to her page
    guest = Guest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/guests/{guest.pk}/"
    assert (guest.surname, guest.given_name) == ("欧阳", "娜娜")
    assert guest.birth_date == date(1988, 4, 14)
    assert list(guest.phones.values_list("e164", flat=True)) == ["+8613800004444"]


def test_invalid_id_number_is_shown_next_to_the_field(make_staff) -> None:  # type: ignore[no-untyped-def]
    # given an ID number whose check character is wrong
    client = client_of(make_staff("front_office"))
    valid = resident_id(date(1988, 4, 14), "F", 12)
    right = id_checksum(valid[:17])
    wrong = "1" if right != "1" else "2"

    # when the form is sent
    response = client.post(
        "/guests/new/",
        form_data(full_name="欧阳娜娜", id_number=valid[:17] + wrong),
    )

    # then the Chinese error sits under the ID number field and nothing is created
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<p class="error" id="id_id_number_error" role="alert">'
        f"校验码错误：应为 {right}，实为 {wrong}</p>"
    ) in content
    assert Guest.objects.count() == 0
    assert ProfileChange.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"gender": "M", "birth_date": "1990-01-01"}, "birth_date",
         "出生日期与身份证号不符：身份证为 1985-11-12"),
        ({"gender": "M"}, "gender", "性别与身份证号不符：身份证为女"),
    ],
)  # fmt: skip
def test_the_form_refuses_what_the_resident_id_contradicts(
    make_staff,
    extra: dict[str, str],
    field: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    # given the ID number of a woman born 1985-11-12
    client = client_of(make_staff("front_office"))

    # when the form gives another birth date or 男
    response = client.post(
        "/guests/new/",
        form_data(full_name="王芳", id_number="310104198511120048", **extra),
    )

    # then the error sits under that field and nothing is created
    assert response.status_code == 200
    assert (
        f'<p class="error" id="id_{field}_error" role="alert">{message}</p>'
    ) in response.content.decode()
    assert Guest.objects.count() == 0


def test_editing_a_gender_that_the_held_id_contradicts_is_refused(
    nana: Guest, manager: User
) -> None:
    # given 欧阳娜娜 holding a woman's ID; when the form says 男
    response = client_of(manager).post(
        f"/guests/{nana.pk}/edit/",
        form_data(full_name="欧阳娜娜", gender="M", mobiles="13800004444"),
    )

    # then
    assert response.status_code == 200
    assert "性别与身份证号不符：身份证为女" in response.content.decode()
    assert Guest.objects.get(pk=nana.pk).gender == "F"


def test_the_create_form_warns_of_a_number_on_another_profile(
    nana: Guest,
    make_staff,  # type: ignore[no-untyped-def]
) -> None:
    # given 欧阳娜娜 holding 13800004444
    client = client_of(make_staff("front_office"))
    data = form_data(full_name="王小明", mobiles="+86-138-0000-4444")

    # when 王小明 is filed with the same number
    warned = client.post("/guests/new/", data)

    # then nothing is created and the form names her profile with the number masked
    content = warned.content.decode()
    assert warned.status_code == 200
    assert Guest.objects.filter(full_name="王小明").count() == 0
    assert (
        f'<li>手机 138****4444 在档案 <a href="/guests/{nana.pk}/" '
        f'target="_blank">欧阳娜娜</a> <span class="muted mono">#{nana.pk}</span></li>'
    ) in content
    assert "13800004444" not in content.replace('value="+86-138-0000-4444"', "")

    # when the clerk confirms it is a shared phone, then the profile is filed
    confirmed = client.post("/guests/new/", {**data, "shared_phone_ok": "on"})
    assert confirmed.status_code == 302
    assert GuestPhone.objects.filter(e164="+8613800004444").count() == 2


def test_the_create_form_warns_of_an_id_number_on_another_profile(
    nana: Guest,
    make_staff,  # type: ignore[no-untyped-def]
) -> None:
    # given 欧阳娜娜 holding a resident ID
    client = client_of(make_staff("front_office"))
    number = resident_id(date(1990, 6, 1), "F", 3)
    spaced = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    data = form_data(full_name="欧阳娜娜", mobiles="13900001111", id_number=spaced)

    # when a clerk files her again with a new mobile and the same number as typed
    warned = client.post("/guests/new/", data)

    # then nothing is created and the form names her profile with the number masked
    content = warned.content.decode()
    assert warned.status_code == 200
    assert Guest.objects.count() == 1
    masked = f"{number[:6]}********{number[-4:]}"
    assert (
        f'<li>证件 {masked} 在档案 <a href="/guests/{nana.pk}/" '
        f'target="_blank">欧阳娜娜</a> <span class="muted mono">#{nana.pk}</span></li>'
    ) in content

    # when the clerk confirms, having checked the document, then the profile is filed
    confirmed = client.post("/guests/new/", {**data, "shared_document_ok": "on"})
    assert confirmed.status_code == 302
    assert Guest.objects.count() == 2


def test_editing_a_profile_with_its_own_id_number_warns_of_nothing(
    nana: Guest, manager: User
) -> None:
    # given 欧阳娜娜 and her own resident ID typed again on her edit form
    number = resident_id(date(1990, 6, 1), "F", 3)

    # when it is saved
    response = client_of(manager).post(
        f"/guests/{nana.pk}/edit/",
        form_data(full_name="欧阳娜娜", gender="F", id_number=number, title="总监"),
    )

    # then it is saved as any edit
    assert response.status_code == 302
    assert Guest.objects.get(pk=nana.pk).title == "总监"


def test_edit_records_a_profile_change(nana: Guest, manager: User) -> None:
    # given 欧阳娜娜 without a title
    client = client_of(manager)

    # when a manager gives her the title 总经理
    response = client.post(
        f"/guests/{nana.pk}/edit/",
        form_data(
            full_name="欧阳娜娜", gender="F", mobiles="13800004444", title="总经理"
        ),
    )

    # then the change is recorded with who, before and after; the card says 欧阳总
    change = ProfileChange.objects.filter(guest=nana, field="title").get()
    assert response.status_code == 302
    assert (change.actor, change.before, change.after) == (manager, "", "总经理")
    assert "欧阳总" in client.get(f"/guests/{nana.pk}/").content.decode()


def test_edit_removes_the_numbers_the_field_no_longer_lists(
    nana: Guest, manager: User
) -> None:
    # given 欧阳娜娜 with three mobiles
    GuestPhone.objects.create(guest=nana, raw="139-0013-9001", e164="+8613900139001")
    GuestPhone.objects.create(guest=nana, raw="139 0013 9002", e164="+8613900139002")
    client = client_of(manager)

    # when the field is saved with the first one and a new one
    response = client.post(
        f"/guests/{nana.pk}/edit/",
        form_data(
            full_name="欧阳娜娜", gender="F", mobiles="13800004444、139 0013 9003"
        ),
    )

    # then the profile holds exactly those, the removals are in the change log
    assert response.status_code == 302
    assert list(nana.phones.order_by("id").values_list("e164", "is_primary")) == [
        ("+8613800004444", True),
        ("+8613900139003", False),
    ]
    changes = ProfileChange.objects.filter(guest=nana, field="phone", actor=manager)
    assert sorted(changes.values_list("before", "after")) == [
        ("", "139 0013 9003"),
        ("139 0013 9002", ""),
        ("139-0013-9001", ""),
    ]
    edit = client.get(f"/guests/{nana.pk}/edit/").content.decode()
    assert 'value="13800004444, 139 0013 9003"' in edit


def test_the_change_log_masks_phones_and_id_numbers_as_the_card_does(
    nana: Guest,
    make_staff,
    manager: User,  # type: ignore[no-untyped-def]
) -> None:
    # given a phone added and a value holding an ID number in the log
    ProfileChange.objects.create(guest=nana, source="form", field="phone",
                                 before="", after="139 0013 9002")  # fmt: skip
    ProfileChange.objects.create(guest=nana, source="form", field="notes",
                                 before="", after="证件 110105199005170249")  # fmt: skip

    # when a front-desk clerk and a manager open the change log
    clerk = client_of(make_staff("front_office"))
    shown = clerk.get(f"/guests/{nana.pk}/?tab=changes").content.decode()
    managed = client_of(manager).get(f"/guests/{nana.pk}/?tab=changes")

    # then the clerk sees the number as the card shows it, nobody the whole ID
    assert '<td class="after">139****9002</td>' in shown
    assert "139 0013 9002" not in shown
    assert '<td class="after">证件 110105********0249</td>' in shown
    assert '<td class="after">139 0013 9002</td>' in managed.content.decode()
    assert "110105199005170249" not in managed.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["<td>导入</td><td>职务</td>", "<td>表单</td><td>证件</td>",
                     '<td class="after">居民身份证</td>', "<td>登记卡</td><td>性别</td>",
                     '<td class="after">女</td>', "<td>表单</td><td>电话</td>"]),
        ("en", ["<td>Import</td><td>Title / position</td>",
                "<td>Form</td><td>Identity documents</td>",
                '<td class="after">Resident ID card</td>',
                "<td>Registration card</td><td>Gender</td>",
                '<td class="after">Female</td>', "<td>Form</td><td>Phone</td>"]),
    ],
)  # fmt: skip
def test_the_change_log_names_fields_sources_and_coded_values(
    nana: Guest, manager: User, language: str, expected: list[str]
) -> None:
    # given changes logged with their codes
    for source, field, after in [("import", "title", "总经理"),
                                 ("form", "document", "resident_id"),
                                 ("registration", "gender", "F"),
                                 ("form", "phone", "13900139002")]:  # fmt: skip
        ProfileChange.objects.create(
            guest=nana, source=source, field=field, before="", after=after
        )
    client = client_of(manager)
    client.cookies["django_language"] = language

    # when the change log is opened
    page = client.get(
        f"/guests/{nana.pk}/?tab=changes", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    # then each is shown by its label in the viewer's language
    for fragment in expected:
        assert fragment in page


def test_a_landline_is_shown_as_a_landline(nana: Guest, manager: User) -> None:
    # given 欧阳娜娜's mobile; when a manager adds her office landline
    client = client_of(manager)
    client.post(
        f"/guests/{nana.pk}/edit/",
        form_data(
            full_name="欧阳娜娜", gender="F", mobiles="13800004444, 021-6123 4567"
        ),
    )

    # then it is stored as a landline and the card lists it apart, with its area code
    assert dict(nana.phones.values_list("e164", "kind")) == {
        "+8613800004444": "mobile",
        "+862161234567": "landline",
    }
    page = client.get(f"/guests/{nana.pk}/").content.decode()
    assert '<dt>手机</dt><dd class="mono">138****4444</dd>' in page
    assert '<dt>固话</dt><dd class="mono">021****4567</dd>' in page


def test_edit_is_denied_to_a_waiter(nana: Guest, waiter: User) -> None:
    # when a waiter tries to edit a profile
    response = client_of(waiter).post(
        f"/guests/{nana.pk}/edit/", form_data(full_name="欧阳丽丽")
    )

    # then it is refused and nothing changes
    assert response.status_code == 403
    assert Guest.objects.get(pk=nana.pk).full_name == "欧阳娜娜"


def test_document_reveal_is_denied_without_permission(
    nana: Guest, waiter: User
) -> None:
    # given a waiter, who may not see whole ID numbers
    document = nana.documents.get()

    # when they ask for the whole number
    response = client_of(waiter).post(f"/guests/documents/{document.pk}/reveal/")

    # then it is refused and nothing is audited
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="id_number.viewed").count() == 0


def test_document_reveal_is_audited(nana: Guest, manager: User) -> None:
    # given a manager, who may see whole ID numbers
    document = nana.documents.get()

    # when they ask for the whole number
    response = client_of(manager).post(
        f"/guests/documents/{document.pk}/reveal/", headers={"HX-Request": "true"}
    )

    # then the fragment holds the number and one audit row records the view
    number = resident_id(date(1990, 6, 1), "F", 3)
    assert response.status_code == 200
    assert f">{number}</span>" in response.content.decode()
    event = AuditEvent.objects.get(action="id_number.viewed")
    assert (event.actor, event.object_type, event.object_id) == (
        manager,
        "guests.identitydocument",
        str(document.pk),
    )


def test_guest_page_masks_the_id_number(nana: Guest, waiter: User) -> None:
    # when a waiter opens the guest page
    content = client_of(waiter).get(f"/guests/{nana.pk}/").content.decode()

    # then the number is masked and there is no reveal button
    number = resident_id(date(1990, 6, 1), "F", 3)
    assert number not in content
    assert nana.documents.get().number_masked in content
    assert "显示完整号码" not in content


def test_beside_a_masked_id_the_birth_date_is_the_birthday_alone(
    nana: Guest, waiter: User, manager: User
) -> None:
    # given a birth change in the log
    ProfileChange.objects.create(guest=nana, source="form", field="birth_date",
                                 before="1990-01-06", after="1990-06-01")  # fmt: skip

    # when a waiter, who sees the ID number masked, and a manager open the guest
    waited = client_of(waiter).get(f"/guests/{nana.pk}/").content.decode()
    changes = client_of(waiter).get(f"/guests/{nana.pk}/?tab=changes")
    managed = client_of(manager).get(f"/guests/{nana.pk}/").content.decode()

    # then the waiter has the birthday to greet the guest, not the year, month and
    # day that the mask hides; the manager, who may see the whole ID, has the date
    assert "<dt>生日</dt><dd>6月1日</dd>" in waited
    assert "1990-06-01" not in waited
    assert '<td class="after">6月1日</td>' in changes.content.decode()
    assert "1990" not in changes.content.decode()
    assert "<dt>出生日期</dt><dd>1990-06-01</dd>" in managed


@pytest.mark.parametrize("tab", ["stays", "bills", "observations", "changes"])
def test_guest_page_queries_are_bounded(
    nana: Guest,
    manager: User,
    django_assert_max_num_queries,
    tab: str,  # type: ignore[no-untyped-def]
) -> None:
    # given a guest with a long history
    for n in range(25):
        add_stay(nana, days_ago=10 + 5 * n, external_ref=f"S{n}")
    for n in range(8):
        add_bill(
            nana, f"B{n}", [("清蒸石斑鱼", "388.00", "liked"), ("白灼菜心", "48", "")]
        )
    for n in range(5):
        observation_add(
            actor=manager, guest=nana, department="fnb", text=f"第 {n} 条观察"
        )
    client = client_of(manager)

    # when the guest page is opened on each tab, then it stays within a fixed budget
    # (the card is one statement of it, one reads the consent answers, one counts
    # the SMS replies not yet handled for the navigation)
    with django_assert_max_num_queries(15):
        response = client.get(f"/guests/{nana.pk}/?tab={tab}")
    assert response.status_code == 200


def test_stays_are_paginated_newest_first(nana: Guest, manager: User) -> None:
    # given 25 stays
    for n in range(25):
        add_stay(nana, days_ago=10 + 5 * n, room=f"{1000 + n}", external_ref=f"S{n}")

    # when the second page of the stays tab is fetched by htmx
    response = client_of(manager).get(
        f"/guests/{nana.pk}/?tab=stays&page=2",
        headers={"HX-Request": "true", "HX-Target": "guest-tabs"},
    )

    # then it holds the five oldest stays, newest of them first
    content = response.content.decode()
    rooms = [f"<td>{1000 + n}</td>" for n in range(20, 25)]
    assert "<html" not in content
    assert [content.index(r) for r in rooms] == sorted(content.index(r) for r in rooms)
    assert "<td>1019</td>" not in content
    assert "第 2 / 2 页" in content


def test_observation_add_and_confirm(nana: Guest, manager: User, waiter: User) -> None:
    # given a waiter notices 欧阳娜娜 likes it bland
    response = client_of(waiter).post(
        f"/guests/{nana.pk}/observations/new/",
        {
            "kind": "preference",
            "department": "fnb",
            "touchpoint": "晚餐",
            "text": "要求少盐少油",
            "item": str(_item_pk("taste")),
            "proposed_value": "清淡",
        },
    )
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert (observation.status, observation.staff) == ("pending", waiter)

    # when a manager confirms it
    response = client_of(manager).post(
        f"/guests/observations/{observation.pk}/review/", {"decision": "confirm"}
    )

    # then the preference is in the profile
    assert response.status_code == 302
    preference = GuestPreference.objects.get(guest=nana, item__code="taste")
    assert preference.value_text == "清淡"
    assert Observation.objects.get().status == "confirmed"


def test_waiter_cannot_review(nana: Guest, waiter: User) -> None:
    # given a pending observation
    observation = observation_add(
        actor=waiter, guest=nana, department="fnb", text="喜欢靠窗"
    )

    # when the waiter tries to confirm it, then it is refused and stays pending
    response = client_of(waiter).post(
        f"/guests/observations/{observation.pk}/review/", {"decision": "confirm"}
    )
    assert response.status_code == 403
    assert Observation.objects.get().status == "pending"


def test_preferences_form_saves_typed_values(nana: Guest, manager: User) -> None:
    # when a manager sets AC 24 °C and a low pillow
    response = client_of(manager).post(
        f"/guests/{nana.pk}/preferences/", {"ac_temperature": "24", "pillow": "低"}
    )

    # then both are stored as data and each change is recorded
    assert response.status_code == 302
    values = {
        p.item.code: p.display_value()
        for p in GuestPreference.objects.filter(guest=nana).select_related("item")
    }
    assert values == {"ac_temperature": "24 °C", "pillow": "低"}
    assert set(
        ProfileChange.objects.filter(guest=nana, source="form").values_list(
            "field", flat=True
        )
    ) >= {"preference:ac_temperature", "preference:pillow"}


def test_special_date_lunar_birthday(nana: Guest, manager: User) -> None:
    # when a lunar birthday on the 15th of the 8th month is added
    response = client_of(manager).post(
        f"/guests/{nana.pk}/dates/new/",
        {"kind": "birthday", "calendar": "lunar", "month": "8", "day": "15"},
    )

    # then it is kept as a lunar date without a year
    special = SpecialDate.objects.get(guest=nana)
    assert response.status_code == 302
    assert (special.calendar, special.year, special.month, special.day) == (
        "lunar",
        None,
        8,
        15,
    )


def test_special_date_rejects_31_february(nana: Guest, manager: User) -> None:
    # when a solar date that does not exist is sent
    response = client_of(manager).post(
        f"/guests/{nana.pk}/dates/new/",
        {"kind": "birthday", "calendar": "solar", "month": "2", "day": "31"},
    )

    # then the form says so and nothing is saved
    assert "该月没有这一天" in response.content.decode()
    assert SpecialDate.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "told"),
    [
        ({"calendar": "solar", "month": "2", "day": "31"}, "That month has no such day"),
        ({"calendar": "solar", "month": "2", "day": "1", "year": "1800"},
         "The year must be between 1900 and 2100"),
        ({"calendar": "lunar", "month": "2", "day": "31"},
         "A lunar day runs from the 1st to the 30th"),
        ({"calendar": "solar", "month": "2", "day": "1", "is_leap_month": "on"},
         "Only lunar dates have leap months"),
    ],
)  # fmt: skip
def test_a_special_date_refused_is_told_in_english_to_english_staff(
    nana: Guest, manager: User, values: dict[str, str], told: str
) -> None:
    # given a manager working in English
    client = client_of(manager)
    client.cookies["django_language"] = "en"

    # when a date that cannot be is sent
    response = client.post(
        f"/guests/{nana.pk}/dates/new/",
        {"kind": "birthday", **values},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then the form says why in English
    assert told in response.content.decode()
    assert SpecialDate.objects.count() == 0


def test_guest_list_filters_by_class_and_query(prop: Property, manager: User) -> None:
    # given an A guest and a C guest
    GuestFactory(full_name="欧阳娜娜", guest_class="A", phones=["13800004444"])
    GuestFactory(full_name="李静", guest_class="C")
    client = client_of(manager)

    # when the list is filtered by class A, then by query 李
    by_class = client.get("/guests/?class=A").content.decode()
    by_query = client.get("/guests/?q=李静").content.decode()

    # then each shows just the matching guest
    assert "欧阳娜娜" in by_class
    assert "李静" not in by_class
    assert "李静" in by_query
    assert "欧阳娜娜" not in by_query


def test_company_create_and_contacts(prop: Property, manager: User) -> None:
    # when a manager files a company
    client = client_of(manager)
    response = client.post(
        "/guests/companies/new/",
        {"name": "华晟科技有限公司", "guest_class": "B", "discount_rate": "0.850"},
    )

    # then it exists and its contacts are listed on its page
    company = Company.objects.get()
    GuestFactory(full_name="张伟", gender="M", company=company, title="总经理")
    page = client.get(f"/guests/companies/{company.pk}/").content.decode()
    assert response.status_code == 302
    assert str(company.discount_rate) == "0.850"
    assert "张总" in page


def test_company_name_must_be_unique(prop: Property, manager: User) -> None:
    # given a company already on file
    Company.objects.create(property=prop, name="华晟科技有限公司")

    # when the same name is filed again, then the form refuses it
    response = client_of(manager).post(
        "/guests/companies/new/", {"name": "华晟科技有限公司", "guest_class": "B"}
    )
    assert "已有同名单位" in response.content.decode()
    assert Company.objects.count() == 1


def test_upcoming_birthday_on_the_card(
    nana: Guest, prop: Property, manager: User
) -> None:
    # given a birthday in five days
    day = prop.today() + timedelta(days=5)
    SpecialDate.objects.create(
        guest=nana, kind="birthday", month=day.month, day=day.day
    )

    # when the page is opened, then the date is among the upcoming ones
    content = client_of(manager).get(f"/guests/{nana.pk}/").content.decode()
    assert f'<span class="date-chip">{day.isoformat()}</span> 生日' in content


def _item_pk(code: str) -> int:
    from dossier.guests.models import PreferenceItem

    return PreferenceItem.objects.get(code=code).pk


def test_editing_a_profile_leaves_its_class_to_recomputation_and_pins(
    nana: Guest, manager: User
) -> None:
    # given 欧阳娜娜 in class C
    client = client_of(manager)
    before = Guest.objects.get(pk=nana.pk).guest_class

    # when the edit form is posted with class A
    response = client.post(
        f"/guests/{nana.pk}/edit/",
        form_data(
            full_name="欧阳娜娜", gender="F", mobiles="13800004444", guest_class="A"
        ),
    )

    # then the profile is saved but the class is unchanged and no change is recorded
    assert response.status_code == 302
    assert Guest.objects.get(pk=nana.pk).guest_class == before
    assert not ProfileChange.objects.filter(guest=nana, field="guest_class").exists()
    page = client.get(f"/guests/{nana.pk}/edit/").content.decode()
    assert "在客户分级页指定" in page


def test_a_new_profile_starts_in_class_c_whatever_the_form_says(
    prop: Property, make_staff
) -> None:  # type: ignore[no-untyped-def]
    # when a front-desk clerk posts a new guest with class A
    client = client_of(make_staff("front_office"))
    response = client.post(
        "/guests/new/",
        form_data(full_name="李静", mobiles="13800005555", guest_class="A"),
    )

    # then the guest is saved in class C, the class being a pin's or the spend's
    assert response.status_code == 302
    assert Guest.objects.get(full_name="李静").guest_class == "C"
    assert "在客户分级页指定" in client.get("/guests/new/").content.decode()


def test_companies_export_with_exact_discount_and_formula_safe_text(
    prop: Property, manager: User, waiter: User
) -> None:
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    Company.objects.create(
        property=prop,
        name="华晟科技有限公司",
        discount_rate=Decimal("0.850"),
        main_needs="+86 会议室",
    )
    response = client_of(manager).get("/guests/companies/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    row = dict(zip(headings, list(sheet[2]), strict=True))
    assert row["单位名称"].value == "华晟科技有限公司"
    assert Decimal(str(row["折扣率"].value)) == Decimal("0.850")
    assert (row["主要消费需求"].value, row["主要消费需求"].data_type) == (
        "+86 会议室",
        "s",
    )
    assert client_of(waiter).get(
        "/guests/companies/", {"export": "csv"}
    ).status_code in (
        403,
        404,
    )


def test_the_usual_rate_is_spend_and_hidden_without_permission(
    prop: Property, manager: User, waiter: User
) -> None:
    from decimal import Decimal

    from tests.factories import GuestFactory

    guest = GuestFactory(
        full_name="黄乐怡", property=prop, usual_rate=Decimal("686.40")
    )
    assert "686.40" in client_of(manager).get(f"/guests/{guest.pk}/").content.decode()
    assert not waiter.has_perm("history.view_spend")
    assert (
        "686.40" not in client_of(waiter).get(f"/guests/{guest.pk}/").content.decode()
    )
