"""On a 390 px phone, with the keyboard: a loan slip sent with mistakes comes back
with each error beside its field, a summary that takes the focus and leads to the
field, and everything typed still there."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User

from dossier.records.models import Loan
from tests.records.conftest import FileCase, archivist, file_case, minor, scheme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["archivist", "file_case", "minor", "scheme"]

# Whether the error of a field sits in the same field block as the field itself.
BESIDE = """
(name) => {
  const input = document.getElementById("id_" + name);
  const error = document.getElementById("id_" + name + "_error");
  return Boolean(input && error && input.closest(".field") === error.closest(".field"));
}
"""

# Whether an element is in view below the sticky top bar, not hidden under it.
CLEAR_OF_TOP_BAR = """
(id) => {
  const bar = document.querySelector(".topbar").getBoundingClientRect();
  const box = document.getElementById(id).getBoundingClientRect();
  return box.top >= bar.bottom && box.bottom <= window.innerHeight;
}
"""


def _login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-Dossier-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{url}/")


def test_a_loan_slip_with_mistakes_comes_back_whole_on_a_phone(
    live_server: Any,
    page: Any,
    archivist: User,
    manager: User,
    file_case: FileCase,
) -> None:
    # given a filed case open on the archivist's phone
    case = file_case(title="年度布草洗涤合同").case
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server.url, "archivist")
    page.goto(f"{live_server.url}/records/cases/{case.pk}/")
    page.wait_for_load_state("load")

    # when the slip is typed with an unknown approver and no due date, and sent
    page.focus("#id_borrower_name")
    page.keyboard.type("赵敏")
    page.keyboard.press("Tab")
    page.keyboard.type("财务部")
    page.keyboard.press("Tab")
    page.keyboard.type("wang")
    page.focus("#id_purpose")
    page.keyboard.type("审计抽查")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")

    # then the summary has the focus and names both mistakes
    summary = page.locator("#loan-errors")
    assert page.evaluate("() => document.activeElement.id") == "loan-errors"
    assert [line for line in summary.inner_text().splitlines() if line] == [
        "借出申请未提交，请更正下列内容：",
        "批准人（用户名）：找不到用户名为“wang”的批准人，请核对后再填",
        "应还日期：请填写日期",
    ]

    # and each error sits beside its field, which is marked invalid
    for name in ("approver", "due_date"):
        assert page.evaluate(BESIDE, name)
        assert page.get_attribute(f"#id_{name}", "aria-invalid") == "true"
    assert page.get_attribute("#id_approver", "aria-describedby") == "id_approver_error"

    # and nothing typed is lost
    values = {
        name: page.input_value(f"#id_{name}")
        for name in ("borrower_name", "borrower_department", "approver", "purpose")
    }
    assert values == {
        "borrower_name": "赵敏",
        "borrower_department": "财务部",
        "approver": "wang",
        "purpose": "审计抽查",
    }

    # and the page fits the phone
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    # when the summary's first link is followed with the keyboard
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # then the field to correct has the focus; corrected, the slip goes through
    assert page.evaluate("() => document.activeElement.id") == "id_approver"
    assert page.evaluate(CLEAR_OF_TOP_BAR, "id_approver")
    page.fill("#id_approver", "manager")
    due = case.property.today() + timedelta(days=7)
    page.fill("#id_due_date", f"{due:%Y-%m-%d}")
    page.focus("#id_purpose")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/records/cases/{case.pk}/")
    assert "借出申请已提交" in page.locator(".messages").inner_text()
    loan = Loan.objects.get()
    assert (loan.borrower_name, loan.purpose, loan.due_date) == (
        "赵敏",
        "审计抽查",
        due,
    )
