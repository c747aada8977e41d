"""Headings to fields, in Chinese or English, with synonyms the user can override."""

import pytest

from dossier.imports.mapping import (
    MappingError,
    mapping_guess,
    mapping_parse,
    mapping_resolve,
    normalise_heading,
)


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("姓名", "full_name"), ("客人姓名", "full_name"), ("Guest Name", "full_name"),
        ("性别", "gender"), ("SEX", "gender"), ("手机号", "mobile"),
        ("移动电话", "mobile"), ("联系电话", "phone"), ("Tel", "phone"),
        ("出生日期", "birth_date"), ("Date of Birth", "birth_date"),
        ("身份证号", "id_number"), ("ID_NO", "id_number"), ("证件号码", "id_number"),
        ("证件类型", "id_type"), ("工作单位", "employer"), ("Company", "employer"),
        ("职位", "title"), ("常住地", "residence"), ("爱好", "hobbies"),
        ("消费记录", "consumption"), ("Remark", "notes"), ("邮箱", "email"),
        ("VIP", "vip_level"), ("会员等级", "vip_level"), ("客户类别", "guest_class"),
        ("会员卡号", "card_number"), ("＊手机号码：", "mobile"), ("姓 名", "full_name"),
        ("房价（元）", None),
    ],
)  # fmt: skip
def test_headings_are_recognised(heading: str, field: str | None) -> None:
    guessed = mapping_guess("guests", [heading])[heading]

    assert guessed == (field or "")


def test_normalising_folds_width_case_and_marks() -> None:
    assert normalise_heading(" ＊Ｍｏｂｉｌｅ： ") == "mobile"
    assert normalise_heading("手机(必填)") == "手机"


def test_unknown_columns_are_ignored_and_repeats_go_to_the_first() -> None:
    mapping = mapping_guess("guests", ["姓名", "客人姓名", "电话", "联系电话", "楼层"])

    assert mapping == {
        "姓名": "full_name",
        "客人姓名": "",
        "电话": "phone",
        "联系电话": "phone",
        "楼层": "",
    }


def test_stays_know_their_own_columns() -> None:
    mapping = mapping_guess(
        "stays",
        [
            "姓名",
            "房号",
            "房型",
            "房价",
            "到店日期",
            "离店日期",
            "人数",
            "状态",
            "单号",
        ],
    )

    assert list(mapping.values()) == [
        "full_name", "room", "room_type", "rate", "arrival", "departure", "adults",
        "status", "external_ref",
    ]  # fmt: skip


def test_user_choices_override_the_guess() -> None:
    overrides = mapping_parse(["楼层=notes", "电话="])

    mapping = mapping_resolve("guests", ["姓名", "电话", "楼层"], overrides)

    assert mapping == {"姓名": "full_name", "电话": "", "楼层": "notes"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"楼层": "full_name"}, "“姓名”和“楼层”都对应到“姓名”，请只保留一列"),
        ({"没有": "notes"}, "表格中没有“没有”这一列"),
    ],
)
def test_bad_choices_are_explained(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(MappingError) as caught:
        mapping_resolve("guests", ["姓名", "楼层"], overrides)

    assert caught.value.message == message


def test_cli_pairs_need_an_equals_sign() -> None:
    with pytest.raises(MappingError):
        mapping_parse(["姓名"])
