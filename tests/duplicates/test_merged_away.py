"""A profile merged into another is left out of everything the daily run and
campaigns select: its master carries the guest."""

from datetime import date

import pytest

from dossier.care.campaigns import CampaignInput, audience, campaign_save
from dossier.care.models import Task
from dossier.care.services import consent_record
from dossier.duplicates.merge import guest_merge, guest_merge_undo
from tests.care.conftest import only_rule, run_days
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(prop, manager):
    # given one guest twice, with the same mobile and birthday, who agreed to
    # marketing on one profile; the second merged into the first
    master = GuestFactory(
        full_name="陈嘉欣", phones=["13800001234"], birth_date=date(1990, 5, 6)
    )
    duplicate = GuestFactory(
        full_name="陳嘉欣", phones=["13800001234"], birth_date=date(1990, 5, 6)
    )
    consent_record(
        actor=None,
        guest=master,
        channel="sms",
        purpose="marketing",
        granted=True,
        source="会员入会表",
    )
    merge = guest_merge(actor=manager, master=master, duplicate=duplicate)
    return master, duplicate, merge


def test_one_birthday_reminder_for_a_merged_guest(prop, merged):
    master, _, _ = merged
    only_rule(prop, "生日祝福", days=0, channel="task")

    run_days(date(2027, 5, 6), date(2027, 5, 6))

    assert list(Task.objects.values_list("guest_id", "occurs_on")) == [
        (master.pk, date(2027, 5, 6))
    ]


def test_an_undone_merge_reminds_both_profiles_again(prop, manager, merged):
    master, duplicate, merge = merged
    only_rule(prop, "生日祝福", days=0, channel="task")
    guest_merge_undo(actor=manager, merge=merge)

    run_days(date(2027, 5, 6), date(2027, 5, 6))

    assert sorted(Task.objects.values_list("guest_id", flat=True)) == sorted(
        [master.pk, duplicate.pk]
    )


def test_a_campaign_neither_sends_to_nor_lists_a_merged_away_profile(prop, merged):
    master, _, _ = merged
    campaign = campaign_save(
        actor=None,
        prop=prop,
        data=CampaignInput(name="冬季火锅节", channel="sms", body="{称呼}，八折！"),
    )

    found = audience(campaign)

    assert [(g.pk, address) for g, address in found.to] == [
        (master.pk, "+8613800001234")
    ]
    assert found.refused == []
