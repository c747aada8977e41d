"""SMS length in UTF-16 units, parts of 67 beyond 70, and the cost of a preview."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from dossier.messaging.sms import sms_preview, sms_render, sms_split, sms_units

# 69 characters around the name field: with 欧 the text is 70 characters long.
TEMPLATE = (
    "尊敬的{name}先生：祝您生日快乐！本店为您备好长寿面一碗与精美蛋糕一份，"
    "祝您生日快乐！本店为您备好长寿面一碗与精美蛋糕一份，期待您再次光临本酒店！"
)


def test_the_template_is_seventy_units_with_a_one_character_name() -> None:
    assert sms_units(sms_render(TEMPLATE, {"name": "欧"})) == 70


@pytest.mark.parametrize(
    ("name", "units", "parts"),
    [("欧", 70, 1), ("欧阳", 71, 2), ("𠮷", 71, 2)],
)
def test_parts_by_utf16_units(name: str, units: int, parts: int) -> None:
    # given the template rendered for the guest
    text = sms_render(TEMPLATE, {"name": name})

    # when previewed, then the units and parts follow the UTF-16 count
    preview = sms_preview(text, cost_per_part_fen=5)
    assert (preview.units, preview.parts) == (units, parts)


def test_the_preview_costs_parts_times_the_setting(settings: SettingsWrapper) -> None:
    settings.DOSSIER_SMS_COST_FEN = 7
    text = sms_render(TEMPLATE, {"name": "欧阳"})

    assert sms_preview(text).cost == Decimal("0.14")
    assert sms_preview("您好").cost == Decimal("0.07")
    assert sms_preview("").parts == 0


def test_parts_are_67_units_and_never_split_a_surrogate_pair() -> None:
    # given 66 ordinary characters, then 𠮷 that does not fit in the first part
    text = "好" * 66 + "𠮷" + "好" * 10

    parts = sms_split(text)

    assert [sms_units(p) for p in parts] == [66, 12]
    assert parts[1].startswith("𠮷")
    assert "".join(parts) == text
    assert [sms_units(p) for p in sms_split("好" * 135)] == [67, 67, 1]


def test_an_unknown_template_field_is_an_error() -> None:
    with pytest.raises(KeyError, match="surname"):
        sms_render("{surname}先生", {"name": "欧阳"})


def test_the_preview_command_speaks_the_house_language() -> None:
    # given a text of 71 UTF-16 units
    text = "欧" * 71
    out = io.StringIO()

    # when the archivist previews it on the command line
    call_command("sms_preview", text, stdout=out)

    # then it says, in Chinese, that it takes two messages
    assert out.getvalue().strip() == "长度 71（UTF-16 单位），2 条，费用 0.10 元"
