"""At 390 px and by keyboard: an archivist takes a sign-out from situation to handover."""

from typing import Any

import pytest

from dossier.personnel.models import SignOut, SignOutState
from tests.personnel.conftest import (  # noqa: F401
    DELEGATE_ID,
    archivist,
    make_file,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 390, "height": 844}


def _fits(page: Any) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= NARROW["width"]


def _step_reached(page: Any, heading: str) -> None:
    """The step's heading is shown and has the keyboard focus, which the page moves
    there once the swap has settled; keys pressed before that would go elsewhere."""
    page.locator(f"text={heading}").wait_for(timeout=15000)
    page.wait_for_function(
        "h => document.activeElement && document.activeElement.textContent === h",
        arg=heading,
        timeout=15000,
    )


def test_a_delegate_sign_out_by_keyboard_on_a_phone_screen(
    live_server: Any,
    page: Any,
    make_file: Any,  # noqa: F811
) -> None:
    # given an archivist and a file (the archivist fixture is made by make_file)
    file = make_file()
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "archivist")
    page.fill("input[name=password]", "pw-Dossier-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")

    # when the list and the file open
    page.goto(f"{live_server.url}/personnel/")
    assert _fits(page)
    page.goto(f"{live_server.url}/personnel/files/{file.pk}/sign-out/")
    assert _fits(page)

    # the situation is chosen with the keyboard
    page.focus("input[name=requester_kind][value=self]")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("input[name=requester_kind][value=delegate]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/personnel/sign-outs/*/")
    assert _fits(page)

    # the documents are ticked with the space bar, one short
    for code in ["transfer_letter", "attorney_handwritten", "delegate_id"]:
        page.focus(f"input[name=documents][value={code}]")
        page.keyboard.press("Space")
    page.fill("input[name=requester_name]", "李娜")
    page.fill("input[name=requester_id_number]", DELEGATE_ID)
    page.fill("input[name=destination_unit]", "杭州市西湖区人才服务中心")
    page.fill("input[name=destination_address]", "杭州市西湖区文三路 1 号")
    page.fill("input[name=letter_number]", "杭西人调 2026-31")
    page.select_option("select[name=issuer_kind]", "talent_service")
    page.fill("input[name=issuer_name]", "杭州市西湖区人才服务中心")
    page.press("input[name=issuer_name]", "Enter")
    refusal = page.locator(".refusal")
    refusal.wait_for(timeout=15000)
    page.wait_for_function(
        "document.activeElement.classList.contains('refusal')", timeout=3000
    )

    # then the refusal names what is missing, in place, without losing the input
    assert "委托书：委托人已按手印" in refusal.inner_text()
    assert "受托人身份证复印件" in refusal.inner_text()
    assert (
        page.input_value("input[name=destination_unit]") == "杭州市西湖区人才服务中心"
    )
    assert _fits(page)

    # when the rest is ticked, the register entry is written
    for code in ["attorney_fingerprint", "employee_id_copy", "delegate_id_copy"]:
        page.focus(f"input[name=documents][value={code}]")
        page.keyboard.press("Space")
    page.press("input[name=issuer_name]", "Enter")
    _step_reached(page, "第三步：密封检查与签收")
    assert _fits(page)

    # and the handover is confirmed by keyboard
    page.focus("input[name=seal_intact]")
    page.keyboard.press("Space")
    page.focus("input[name=seam_stamp_intact]")
    page.keyboard.press("Space")
    page.focus("input[name=acknowledged]")
    page.keyboard.press("Space")
    page.press("input[name=acknowledged_name]", "Enter")
    _step_reached(page, "第四步：登记接收单位回执")
    assert _fits(page)
    assert SignOut.objects.get().state == SignOutState.HANDED_OVER

    # and every other page of the archive fits the phone screen too
    sign_out = SignOut.objects.get()
    for path in [
        "/personnel/register/",
        "/personnel/receipts/",
        f"/personnel/sign-outs/{sign_out.pk}/print/",
        f"/personnel/files/{file.pk}/",
        f"/personnel/files/{file.pk}/edit/",
        "/personnel/files/new/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert _fits(page), path
