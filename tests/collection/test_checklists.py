import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from dossier.collection.checklists import (
    ChecklistInput,
    checklist_item_save,
    checklist_items,
    checklists_seed,
    quick_observations_add,
)
from dossier.collection.errors import CollectionError, FieldsInvalid
from dossier.collection.models import ChecklistItem
from dossier.core.models import Property
from dossier.guests.models import Guest, GuestPreference, Observation
from dossier.guests.services import observation_review
from tests.collection.conftest import logged_in
from tests.conftest import StaffMaker
from tests.factories import GuestFactory, add_stay

pytestmark = pytest.mark.django_db


def prompt(prop: Property, department: str, label: str) -> ChecklistItem:
    return ChecklistItem.objects.get(property=prop, department=department, label=label)


def test_the_source_prompts_are_seeded_once(prop: Property) -> None:
    first = checklists_seed(property=prop)
    again = checklists_seed(property=prop)

    assert (first, again) == (10, 0)
    assert [p.label for p in checklist_items(prop, "housekeeping")] == [
        "枕头使用个数", "茶杯中的茶叶", "电视停留的频道", "空调温度", "客房用品使用情况",
    ]  # fmt: skip
    assert [p.label for p in checklist_items(prop, "fnb")] == [
        "点选的菜品", "口味", "酒水品牌", "剩余菜品", "对酱油、醋、咸菜等的要求",
    ]  # fmt: skip


def test_quick_values_become_observations_a_reviewer_confirms_into_the_profile(
    prop: Property, make_staff: StaffMaker, manager: User
) -> None:
    # given
    checklists_seed(property=prop)
    maid = make_staff("housekeeping", username="maid")
    guest: Guest = GuestFactory()
    ac = prompt(prop, "housekeeping", "空调温度")
    tea = prompt(prop, "housekeeping", "茶杯中的茶叶")
    pillows = prompt(prop, "housekeeping", "枕头使用个数")

    # when
    filed = quick_observations_add(
        actor=maid,
        guest=guest,
        department="housekeeping",
        values={ac.pk: "24", tea.pk: "普洱", pillows.pk: "3"},
        note="客人把浴袍放在了沙发上",
    )

    # then
    assert [(o.text, o.touchpoint, o.status) for o in filed] == [
        ("空调温度：24 °C", "整理客房", "pending"),
        ("茶杯中的茶叶：普洱", "整理客房", "pending"),
        ("枕头使用个数：3 个", "整理客房", "pending"),
        ("客人把浴袍放在了沙发上", "整理客房", "pending"),
    ]
    observation_review(actor=manager, observation=filed[0], confirm=True)
    preference = GuestPreference.objects.get(guest=guest, item__code="ac_temperature")
    assert preference.display_value() == "24 °C"


def test_one_bad_value_files_nothing_and_names_the_prompt(
    prop: Property, make_staff: StaffMaker
) -> None:
    checklists_seed(property=prop)
    waiter = make_staff("fnb", username="w")
    guest: Guest = GuestFactory()
    wine = prompt(prop, "fnb", "酒水品牌")
    sauces = prompt(prop, "fnb", "对酱油、醋、咸菜等的要求")
    pillows = prompt(prop, "housekeeping", "枕头使用个数")

    with pytest.raises(FieldsInvalid) as caught:
        quick_observations_add(
            actor=waiter, guest=guest, department="fnb",
            values={wine.pk: "茅台", sauces.pk: "酱油、番茄酱"},
        )  # fmt: skip
    with pytest.raises(CollectionError, match="不属于本部门"):
        quick_observations_add(
            actor=waiter, guest=guest, department="fnb", values={pillows.pk: "2"}
        )

    assert caught.value.errors == {
        str(sauces.pk): "“对酱油、醋、咸菜等的要求”没有选项“番茄酱”"
    }
    assert Observation.objects.count() == 0


def test_a_number_prompt_takes_only_a_number(
    prop: Property, make_staff: StaffMaker
) -> None:
    checklists_seed(property=prop)
    ac = prompt(prop, "housekeeping", "空调温度")

    with pytest.raises(FieldsInvalid) as caught:
        quick_observations_add(
            actor=make_staff("housekeeping"), guest=GuestFactory(),
            department="housekeeping", values={ac.pk: "二十四"},
        )  # fmt: skip

    assert caught.value.errors == {str(ac.pk): "“空调温度”应填数字，收到“二十四”"}


def test_a_department_adds_its_own_prompt(prop: Property, manager: User) -> None:
    made = checklist_item_save(
        actor=manager, property=prop,
        data=ChecklistInput(department="fnb", label="米饭软硬", kind="choice",
                            choices=("偏软", "适中", "偏硬")),
    )  # fmt: skip

    with pytest.raises(CollectionError, match="至少需要两个选项"):
        checklist_item_save(
            actor=manager, property=prop,
            data=ChecklistInput(department="fnb", label="汤", kind="choice", choices=("热",)),
        )  # fmt: skip
    with pytest.raises(CollectionError, match="该部门已有要点“米饭软硬”"):
        checklist_item_save(
            actor=manager, property=prop,
            data=ChecklistInput(department="fnb", label=" 米饭软硬", kind="text"),
        )  # fmt: skip
    assert [p.label for p in checklist_items(prop, "fnb")] == [made.label]


def test_the_phone_form_finds_a_guest_by_room_and_saves_one_tap_per_item(
    prop: Property, make_staff: StaffMaker
) -> None:
    # given a guest in room 1208
    maid = make_staff("housekeeping", username="maid")
    guest: Guest = GuestFactory(full_name="陈静")
    add_stay(guest, days_ago=0, nights=3, room="1208", status="in_house")
    client = logged_in(maid)

    # when
    found = client.get("/collection/quick/?q=1208").content.decode()
    form = client.get(f"/collection/quick/{guest.pk}/").content.decode()
    tea = prompt(prop, "housekeeping", "茶杯中的茶叶")
    saved = client.post(
        f"/collection/quick/{guest.pk}/",
        {"department": "housekeeping", f"item-{tea.pk}": ["绿茶"]},
    )

    # then
    assert f"/collection/quick/{guest.pk}/" in found
    assert 'class="tap"' in form
    assert 'name="viewport"' in form
    assert saved.status_code == 302
    assert Observation.objects.get().text == "茶杯中的茶叶：绿茶"


def test_the_phone_form_shows_the_error_next_to_the_item(
    prop: Property, make_staff: StaffMaker
) -> None:
    maid = make_staff("housekeeping", username="maid")
    guest: Guest = GuestFactory()
    client = logged_in(maid)
    client.get(f"/collection/quick/{guest.pk}/")
    ac = prompt(prop, "housekeeping", "空调温度")

    page = client.post(
        f"/collection/quick/{guest.pk}/",
        {"department": "housekeeping", f"item-{ac.pk}": "很冷"},
    )

    assert page.status_code == 200
    assert f'id="item-{ac.pk}-error"' in page.content.decode()
    assert "“空调温度”应填数字，收到“很冷”" in page.content.decode()
    assert Observation.objects.count() == 0


def test_api_lists_prompts_and_files_observations(prop: Property, waiter: User) -> None:
    client = logged_in(waiter)
    guest: Guest = GuestFactory()

    prompts = client.get("/api/v1/collection/checklists?department=fnb").json()
    taste = next(p for p in prompts if p["label"] == "口味")
    filed = client.post(
        "/api/v1/collection/observations",
        json.dumps(
            {
                "guest_id": guest.pk,
                "department": "fnb",
                "values": {str(taste["id"]): "微辣"},
            }
        ),
        content_type="application/json",
    )
    refused = client.post(
        "/api/v1/collection/observations",
        json.dumps(
            {
                "guest_id": guest.pk,
                "department": "fnb",
                "values": {str(taste["id"]): "麻辣"},
            }
        ),
        content_type="application/json",
    )

    assert taste["choices"] == ["清淡", "偏咸", "偏甜", "微辣", "重辣", "酸辣"]
    assert filed.status_code == 201
    assert filed.json()["observations"][0]["text"] == "口味：微辣"
    assert refused.status_code == 422
    assert refused.json()["errors"] == {str(taste["id"]): "“口味”没有选项“麻辣”"}


def test_a_manager_logs_a_contact_from_the_quick_form(
    prop: Property, manager: User
) -> None:
    guest: Guest = GuestFactory()

    response = logged_in(manager).post(
        f"/collection/quick/{guest.pk}/",
        {"touchpoint": "餐厅巡台", "note": "客人对今晚的鲈鱼很满意"},
    )

    assert response.status_code == 302
    filed = Observation.objects.get()
    assert (filed.department, filed.touchpoint, filed.kind) == (
        "management",
        "餐厅巡台",
        "note",
    )


def test_the_quick_search_says_in_words_why_a_guest_was_found(
    prop: Property, waiter: User, client: Any
) -> None:
    from tests.factories import GuestFactory

    GuestFactory(full_name="欧阳晓雯", property=prop)
    client.force_login(waiter)
    page = client.get("/collection/quick/", {"q": "oyxw"}).content.decode()
    assert "欧阳晓雯" in page
    assert "拼音首字母" in page
    assert "{&#x27;" not in page
    assert "{'" not in page
