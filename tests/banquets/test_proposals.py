from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dossier.banquets.selectors import menu_proposals, terms_parse
from dossier.banquets.services import dish_evaluate, menu_dish_add
from dossier.guests.models import Company, Guest, PreferenceItem
from dossier.guests.services import observation_add, preference_set
from tests.factories import GuestFactory, add_bill

pytestmark = pytest.mark.django_db


def serve(banqueting: User, menu, ratings: dict[str, str], **tags: str) -> None:  # type: ignore[no-untyped-def]
    for name, rating in ratings.items():
        line = menu_dish_add(
            actor=banqueting, menu=menu, name=name, ingredients=tags.get(name)
        )
        if rating:
            dish_evaluate(actor=banqueting, line=line, evaluation=rating, note="")


def test_liked_dishes_are_proposed_most_recent_first_with_date_and_occasion(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    # given
    old = make_menu(zhang, days_ago=200, occasion="公司年会")
    recent = make_menu(zhang, days_ago=20, occasion="六十大寿")
    serve(banqueting, old, {"东坡肉": "liked", "白灼虾": "liked"})
    serve(banqueting, recent, {"清蒸石斑鱼": "liked", "白灼虾": "left_over"})

    # when
    found = menu_proposals(zhang)

    # then
    assert [(v.dish.name, v.latest.occasion, v.latest.on) for v in found.proposed] == [  # type: ignore[union-attr]
        ("清蒸石斑鱼", "六十大寿", recent.event_date),
        ("东坡肉", "公司年会", old.event_date),
    ]
    flagged = {v.dish.name: v for v in found.flagged}
    assert list(flagged) == ["白灼虾"]
    assert [(e.rating, e.occasion) for e in flagged["白灼虾"].negative_evidence] == [
        ("left_over", "六十大寿")
    ]


def test_a_dish_liked_again_after_being_left_over_is_proposed_again(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    serve(
        banqueting,
        make_menu(zhang, days_ago=90, occasion="家宴"),
        {"佛跳墙": "left_over"},
    )
    serve(
        banqueting, make_menu(zhang, days_ago=9, occasion="寿宴"), {"佛跳墙": "liked"}
    )

    found = menu_proposals(zhang)

    assert [v.dish.name for v in found.proposed] == ["佛跳墙"]
    assert found.flagged == []


def test_a_dish_clashing_with_an_allergy_is_flagged_by_name_or_ingredient(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    # given 张伟 is "对花生过敏"; one dish names peanuts, one declares them
    menu = make_menu(zhang, days_ago=30, occasion="家宴")
    serve(
        banqueting,
        menu,
        {"花生猪手": "liked", "宫保鸡丁": "liked", "清炒时蔬": "liked"},
        宫保鸡丁="鸡肉、花生、辣椒",
    )

    # when
    found = menu_proposals(zhang)

    # then
    assert [v.dish.name for v in found.proposed] == ["清炒时蔬"]
    clashes = {v.dish.name: [str(c) for c in v.clashes] for v in found.flagged}
    assert clashes == {"宫保鸡丁": ["过敏：花生"], "花生猪手": ["过敏：花生"]}


def test_taboos_come_from_observations_and_the_taboo_item(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    preference_set(
        actor=banqueting,
        guest=zhang,
        item=PreferenceItem.objects.get(code="taboo"),
        value="不吃牛肉",
    )
    observation_add(
        actor=banqueting,
        guest=zhang,
        department="fnb",
        text="客人说对海鲜过敏，要求换菜",
    )
    serve(
        banqueting,
        make_menu(zhang, days_ago=5, occasion="家宴"),
        {"黑椒牛肉粒": "liked", "海鲜粥": "liked", "素三鲜": "liked"},
    )

    found = menu_proposals(zhang)

    assert [t.term for t in found.taboos] == ["花生", "牛肉", "海鲜"]
    assert [v.dish.name for v in found.proposed] == ["素三鲜"]
    assert sorted(v.dish.name for v in found.flagged) == ["海鲜粥", "黑椒牛肉粒"]


def test_dining_bill_ratings_count_as_evidence(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    # given the menu liked 红烧肉 long ago; a bill three days ago says it was left over
    serve(
        banqueting, make_menu(zhang, days_ago=60, occasion="家宴"), {"红烧肉": "liked"}
    )
    add_bill(
        zhang,
        "B-1",
        [("红烧肉", "88.00", "left_over"), ("蒜蓉菜心", "38.00", "liked")],
        opened_at=timezone.now() - timedelta(days=3),
    )

    found = menu_proposals(zhang)

    assert [v.dish.name for v in found.proposed] == ["蒜蓉菜心"]
    assert found.proposed[0].latest.source == "餐饮账单 中餐厅"  # type: ignore[union-attr]
    assert [v.dish.name for v in found.flagged] == ["红烧肉"]


def test_a_company_menu_weighs_the_allergies_of_its_contacts(
    banqueting: User,
    acme: Company,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    contact: Guest = GuestFactory(full_name="李娜", company=acme)
    preference_set(
        actor=banqueting,
        guest=contact,
        item=PreferenceItem.objects.get(code="allergy"),
        value="芒果",
    )
    serve(
        banqueting,
        make_menu(acme, days_ago=10, occasion="年终答谢宴"),
        {"杨枝甘露": "liked"},
        杨枝甘露="芒果、西柚、西米",
    )

    found = menu_proposals(acme)

    assert found.proposed == []
    assert [str(c) for c in found.flagged[0].clashes] == ["李娜 · 过敏：芒果"]


def test_the_menu_being_drafted_is_not_its_own_evidence(
    banqueting: User,
    zhang: Guest,
    make_menu,  # type: ignore[no-untyped-def]
) -> None:
    menu = make_menu(zhang, days_ago=1, occasion="家宴")
    serve(banqueting, menu, {"东坡肉": "disliked"})

    assert menu_proposals(zhang, menu=menu).flagged == []
    assert [v.dish.name for v in menu_proposals(zhang).flagged] == ["东坡肉"]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("对花生过敏", ["花生"]),
        ("对花生、虾过敏", ["花生", "虾"]),
        ("海鲜过敏", ["海鲜"]),
        ("忌口：羊肉、香菜", ["羊肉", "香菜"]),
        ("不吃辣", ["辣"]),
        ("喜欢靠窗的位置", []),
    ],
)
def test_the_foods_named_in_a_taboo(text: str, terms: list[str]) -> None:
    assert terms_parse(text) == terms
