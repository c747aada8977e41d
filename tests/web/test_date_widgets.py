"""Date fields show and keep their value in the Chinese interface."""

from datetime import date

import pytest
from django.utils import translation

from dossier.guests.models import Company
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def test_the_guest_edit_form_writes_the_birth_date_as_the_picker_reads_it(
    client, manager, prop
):
    guest = GuestFactory(
        full_name="欧阳娜娜", property=prop, birth_date=date(1983, 3, 7)
    )
    client.force_login(manager)
    with translation.override("zh-hans"):
        page = client.get(f"/guests/{guest.pk}/edit/").content.decode()
    assert 'value="1983-03-07"' in page
    assert "1983/03/07" not in page


def test_company_contract_dates_survive_an_unchanged_save(client, manager, prop):
    company = Company.objects.create(
        property=prop,
        name="华晟科技有限公司",
        contract_start=date(2026, 5, 18),
        contract_end=date(2027, 5, 17),
    )
    client.force_login(manager)
    page = client.get(f"/guests/companies/{company.pk}/edit/").content.decode()
    assert 'value="2026-05-18"' in page
    assert 'value="2027-05-17"' in page
