"""The archive's sub-navigation in a real browser: readable contrast, fits 390 px."""

from typing import Any

import pytest

from dossier.core.models import Property
from dossier.records.scheme import class_add, scheme_create
from dossier.records.services import CaseDraft, IntakeInput, case_file
from tests.conftest import StaffMaker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The WCAG contrast ratio of each sub-navigation link's text on its own background.
CONTRASTS = """
() => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll("nav.subnav a")].map((a) => {
    const [l1, l2] = [lum(rgb(getComputedStyle(a).color)), lum(background(a))];
    return [a.textContent.trim(), (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)];
  });
}
"""


@pytest.mark.parametrize(
    "path",
    [
        "/records/cases/",
        "/records/disposal/",
        "/records/holds/",
        "/records/trash/",
        "/records/retention/",
        "/records/scheme/revise/",
        "/records/folders/",
    ],
)
def test_the_sub_navigation_is_readable_and_fits_a_phone(
    path: str, page: Any, live_server: Any, prop: Property, make_staff: StaffMaker
) -> None:
    # given the archivist with one filed case, on a 390 px wide phone
    archivist = make_staff("archive", username="archivist")
    version = scheme_create(actor=archivist, prop=prop, name="本店档案分类方案")
    department = class_add(
        actor=archivist, version=version, parent=None, code="01", name="客户服务中心"
    )
    contracts = class_add(
        actor=archivist, version=version, parent=department, code="02", name="合同"
    )
    case_file(
        actor=archivist,
        draft=CaseDraft(
            archive_class=contracts, title="供应商合同", department="采购部"
        ),
        intake=IntakeInput(),
    )
    phone = page
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("input[name=username]", "archivist")
    phone.fill("input[name=password]", "pw-Dossier-1")
    phone.press("input[name=password]", "Enter")
    phone.wait_for_url(f"{live_server.url}/")

    # when an archive page opens
    phone.goto(f"{live_server.url}{path}")

    # then every link reads at 4.5:1 or better and nothing runs off the screen
    contrasts = phone.evaluate(CONTRASTS)
    assert len(contrasts) == 11
    assert [name for name, ratio in contrasts if ratio < 4.5] == []
    overflow = phone.evaluate(
        "() => [...document.querySelectorAll('nav.subnav a')]"
        ".filter((a) => a.getBoundingClientRect().right > window.innerWidth)"
        ".map((a) => a.textContent.trim())"
    )
    assert overflow == []
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390

    # and the links are reached with the keyboard
    phone.focus("nav.subnav a >> nth=0")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "分类编号表"
