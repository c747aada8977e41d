"""A class change's reason is worded in the reader's language when shown."""

import importlib
from decimal import Decimal

import pytest
from django.utils import translation

from dossier.classes.models import ClassChange
from dossier.classes.reasons import Earned
from dossier.classes.rules import Rules, class_earned
from dossier.classes.services import class_pin, class_unpin, classes_recompute
from tests.web.english import assert_english, english_client

migration = importlib.import_module(
    "dossier.classes.migrations.0002_class_change_reason_code"
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    "big": (
        "近 365 天消费 ¥50,000.00，2 次，达到 A 类下限 ¥50,000.00",
        "¥50,000.00 spent in the last 365 days, 2 visits, "
        "reaching the A-class minimum of ¥50,000.00",
    ),
    "regular": (
        "近 365 天消费 ¥10,000.00，1 次，达到 B 类下限 ¥10,000.00",
        "¥10,000.00 spent in the last 365 days, 1 visit, "
        "reaching the B-class minimum of ¥10,000.00",
    ),
    "staff": (
        "近 365 天消费 ¥0.00，0 次，协议单位客人",
        "¥0.00 spent in the last 365 days, 0 visits, a guest of a contract company",
    ),
}


def test_a_computed_reason_reads_in_each_language(prop, guests, manager):
    # given classes recomputed by a manager
    classes_recompute(property=prop, actor=manager)

    for name, (chinese, english) in EXPECTED.items():
        change = ClassChange.objects.get(guest=guests[name])

        # then the text kept is the house's, and each reader gets their language
        assert change.reason == chinese
        with translation.override("zh-hans"):
            assert change.reason_shown == chinese
        with translation.override("en"):
            assert change.reason_shown == english


def test_an_english_recompute_still_keeps_the_text_in_the_houses_language(prop, guests):
    with translation.override("en"):
        classes_recompute(property=prop)

    change = ClassChange.objects.get(guest=guests["big"])
    assert change.reason == EXPECTED["big"][0]


def test_an_unpin_shows_the_typed_reason_as_typed_and_the_figures_translated(
    prop, guests, manager
):
    small = guests["small"]
    class_pin(actor=manager, guest=small, klass="A", reason="试用")
    class_unpin(actor=manager, guest=small, reason="试用结束")

    pinned, unpinned = ClassChange.objects.filter(guest=small).order_by("id")
    with translation.override("en"):
        assert pinned.reason_shown == "试用"
        assert unpinned.reason_shown == (
            "试用结束; ¥200.00 spent in the last 365 days, 1 visit, "
            "below the B-class minimum of ¥10,000.00"
        )
    assert unpinned.reason == (
        "试用结束；近 365 天消费 ¥200.00，1 次，未达 B 类下限 ¥10,000.00"
    )


def test_the_class_pages_show_the_reason_in_english(prop, guests, manager):
    classes_recompute(property=prop, actor=manager)
    client = english_client(manager)
    big = guests["big"]

    page = assert_english(
        client, f"/classes/guests/{big.pk}/", ("李大方", "李先生", "李女士")
    )

    assert EXPECTED["big"][1] in page


RULES = Rules(
    a_min_spend=Decimal("50000.00"),
    b_min_spend=Decimal("10000.00"),
    a_min_visits=0,
    b_min_visits=6,
    company_is_b=True,
    window_days=365,
)


@pytest.mark.parametrize(
    ("spend", "visits", "company", "code"),
    [
        ("123456.78", 9, False, "a_spend"),
        ("10000.00", 1, False, "b_spend"),
        ("900.00", 7, False, "b_visits"),
        ("0.00", 0, True, "company"),
        ("9999.99", 1, False, "c"),
    ],
)
def test_changes_made_before_codes_get_theirs_from_their_text(
    spend: str, visits: int, company: bool, code: str
) -> None:
    # given the text a change kept before codes, alone and after a typed reason
    why: Earned = class_earned(
        RULES, spend=Decimal(spend), visits=visits, has_company=company
    )[1]
    text = why.house_text()

    # when the migration reads it
    computed = migration._parsed(text)
    unpinned = migration._parsed(f"试用结束；不续；{text}")

    # then it finds the code and the numbers the change was made with
    assert computed == (code, why.args())
    assert unpinned == (code, {**why.args(), "note": "试用结束；不续"})
    assert migration._parsed("集团董事长，总经理指定") is None


def test_the_migration_codes_the_changes_already_made(prop, guests, manager):
    # given changes as they were kept before codes: figures, an unpin, a typed pin
    from django.apps import apps

    classes_recompute(property=prop, actor=manager)
    class_pin(actor=manager, guest=guests["small"], klass="A", reason="试用")
    class_unpin(actor=manager, guest=guests["small"], reason="试用结束")
    ClassChange.objects.update(reason_code="", reason_args={})

    # when the migration runs
    migration.reasons_coded(apps, None)

    # then each reason the figures gave has its code again, the typed one none
    coded = {
        (c.guest_id, c.kind): (c.reason_code, c.reason_args.get("note"))
        for c in ClassChange.objects.all()
    }
    assert coded == {
        (guests["big"].pk, "computed"): ("a_spend", None),
        (guests["regular"].pk, "computed"): ("b_spend", None),
        (guests["staff"].pk, "computed"): ("company", None),
        (guests["small"].pk, "pinned"): ("", None),
        (guests["small"].pk, "unpinned"): ("c", "试用结束"),
    }
    with translation.override("en"):
        shown = ClassChange.objects.get(guest=guests["big"]).reason_shown
    assert shown == EXPECTED["big"][1]
