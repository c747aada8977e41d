"""My tasks in a real browser at 390 px: read, close one by keyboard, see it swapped."""

from datetime import date, timedelta

import pytest

from dossier.care.models import Task
from tests.factories import GuestFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_waiter_closes_a_task_by_keyboard_on_a_phone(live_server, page, make_staff):
    # given a waiter with an overdue task and one due later
    make_staff("fnb", username="waiter")
    guest = GuestFactory(full_name="欧阳娜娜", gender="F")
    overdue = Task.objects.create(
        guest=guest,
        title="生日（12月1日）：欧阳女士",
        due=date.today() - timedelta(days=3),
        department="fnb",
        kind="special_date",
    )
    Task.objects.create(
        guest=guest,
        title="离店回访：欧阳女士",
        due=date.today() + timedelta(days=2),
        department="fnb",
        kind="feedback",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "waiter")
    page.fill("input[name=password]", "pw-Dossier-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")

    # when the waiter opens my tasks and closes the overdue one with the keyboard
    page.goto(f"{live_server.url}/care/tasks/")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.focus(f"#outcome-{overdue.pk}")
    page.keyboard.type("已送长寿面，客人很满意")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    row = page.locator(f"#task-{overdue.pk}")
    row.locator("text=已送长寿面，客人很满意").wait_for(timeout=15000)

    # then the page fits the phone and the task is done
    assert width <= 390
    overdue.refresh_from_db()
    assert (overdue.status, overdue.outcome) == ("done", "已送长寿面，客人很满意")
    assert "已完成" in row.inner_text()
