"""The main pages, opened by a user who chose English, speak English throughout."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import StaffMaker
from tests.web.english import assert_english, english_client


@pytest.fixture
def admin_en(make_staff: StaffMaker) -> Client:
    user: User = make_staff("admin", username="sysadmin")
    return english_client(user)


PAGES = [
    "/care/tasks/",
    "/care/rules/",
    "/care/rules/new/",
    "/care/runs/",
    "/care/campaigns/",
    "/care/campaigns/new/",
    "/classes/",
    "/classes/key-guests/",
    "/analyses/",
    "/analyses/cost-rates/",
    "/analyses/profile/",
    "/analyses/loyalty/",
    "/analyses/profit/",
    "/analyses/future/",
    "/analyses/promotion/",
    "/analyses/consumption/",
    "/collection/quick/",
    "/collection/quotas/",
    "/collection/quotas/settings/",
    "/collection/checklists/",
    "/collection/registrations/",
    "/personnel/",
    "/personnel/files/new/",
    "/personnel/register/",
    "/personnel/receipts/",
    "/inbox/",
    "/inbox/send/",
    "/messaging/inbox/",
    "/records/",
    "/records/cases/",
    "/records/trash/",
    "/records/holds/",
    "/records/retention/",
    "/records/scheme/",
    "/records/loans/",
    "/records/disposal/",
    "/records/folders/",
    "/duplicates/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_speaks_english(admin_en: Client, url: str) -> None:
    assert_english(admin_en, url)
