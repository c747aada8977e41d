"""Two profiles of one guest, each with something in every table that holds a guest."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import User

from dossier.care.models import Task
from dossier.guests.models import Guest, MemberCard, PreferenceItem, Tag
from dossier.guests.services import (
    GuestInput,
    IdentityInput,
    guest_update,
    observation_add,
    preference_set,
    special_date_add,
)
from dossier.search.indexing import guest_reindex
from tests.factories import GuestFactory, add_bill, add_stay, resident_id

BIRTH = date(1985, 3, 14)


@dataclass
class Pair:
    master: Guest
    duplicate: Guest


@pytest.fixture
def pair(manager: User) -> Pair:
    """陈嘉欣 (the master) and 陳嘉欣, written on two visits by different staff."""
    master = GuestFactory(
        full_name="陈嘉欣",
        birth_date=BIRTH,
        phones=["13800004444"],
        id_numbers=[resident_id()],
        title="总经理",
        notes="喜欢安静",
    )
    duplicate = GuestFactory(
        full_name="陳嘉欣",
        birth_date=BIRTH,
        phones=["+86 138-0000-4444", "13911112222"],
        id_numbers=[resident_id()],
        title="董事长",
        notes="常住 0812",
        email="chen@example.com",
        family="已婚，一子",
        vip_level="金卡",
    )
    guest_update(
        actor=manager,
        guest=duplicate,
        data=GuestInput(documents=[IdentityInput("E12345678", doc_type="passport")]),
    )
    add_stay(master, days_ago=40, room="0606")
    add_stay(duplicate, days_ago=20, room="0812")
    add_stay(duplicate, days_ago=10, room="0812")
    add_bill(duplicate, "B-1", [("清蒸鲈鱼", "128.00", "liked")])
    observation_add(actor=manager, guest=duplicate, department="fnb", text="不吃香菜")
    special_date_add(actor=manager, guest=duplicate, kind="wedding", month=5, day=20)
    pillow = PreferenceItem.objects.get(code="pillow")
    preference_set(actor=manager, guest=master, item=pillow, value="低")
    preference_set(actor=manager, guest=duplicate, item=pillow, value="高")
    lighting = PreferenceItem.objects.get(code="lighting")
    preference_set(actor=manager, guest=duplicate, item=lighting, value="柔和")
    MemberCard.objects.create(guest=duplicate, number="V-88")
    vip, vegetarian = (
        Tag.objects.create(property=master.property, name=name)
        for name in ("VIP", "素食")
    )
    master.tags.add(vip)
    duplicate.tags.add(vip, vegetarian)
    Task.objects.create(guest=duplicate, title="生日送花", due=date(2030, 3, 14))
    guest_reindex([master.pk, duplicate.pk])  # cards and tags were added directly
    return Pair(Guest.objects.get(pk=master.pk), Guest.objects.get(pk=duplicate.pk))
