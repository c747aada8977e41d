"""The title of a reminder's task is kept in the house's language and shown in the
reader's; a title or occasion staff typed stays as typed."""

import importlib
from datetime import date

import pytest
from django.utils import translation

from dossier.care.models import Task
from dossier.guests.services import special_date_add
from tests.care.conftest import only_rule, run_days
from tests.factories import GuestFactory, add_stay
from tests.web.english import assert_english, english_client

migration = importlib.import_module("dossier.care.migrations.0004_task_title_args")

pytestmark = pytest.mark.django_db


def _shown(task: Task) -> dict[str, str]:
    shown = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            shown[language] = task.title_shown
    return shown


def test_a_birthday_task_reads_in_each_language_a_typed_occasion_as_typed(prop):
    # given a guest born on 28 February, and another whose typed anniversary it is
    only_rule(prop, "生日祝福", days=0, channel="task",
              date_kinds="birthday,custom")  # fmt: skip
    born = GuestFactory(full_name="林晓", gender="F", birth_date=date(1990, 2, 28))
    married = GuestFactory(full_name="周强", gender="M")
    special_date_add(actor=None, guest=married, kind="custom", calendar="solar",
                     month=2, day=28, label="相识纪念日")  # fmt: skip

    # when the day's reminders are made
    run_days(date(2027, 2, 28), date(2027, 2, 28))

    # then each title is kept in Chinese and shown in the reader's language
    birthday, anniversary = (
        Task.objects.get(guest=born),
        Task.objects.get(guest=married),
    )
    assert birthday.title == "生日（2月28日）：林女士"
    assert _shown(birthday) == {
        "zh-hans": "生日（2月28日）：林女士",
        "en": "Birthday (February 28): 林女士",
    }
    assert _shown(anniversary) == {
        "zh-hans": "相识纪念日（2月28日）：周先生",
        "en": "相识纪念日 (February 28): 周先生",
    }


def test_a_holiday_card_task_reads_in_each_language(prop):
    only_rule(prop, "节日贺卡", days=7)
    GuestFactory(full_name="林晓", gender="F", guest_class="A")

    run_days(date(2026, 9, 24), date(2026, 9, 24), jobs=["care.holidays"])

    task = Task.objects.get()
    assert _shown(task) == {
        "zh-hans": "国庆节贺卡（10月1日）：林女士",
        "en": "National Day card (October 1): 林女士",
    }


def test_a_feedback_task_made_by_an_english_user_is_kept_in_chinese(prop):
    # given a guest who left on 1 December
    only_rule(prop, "离店回访", days=1)
    guest = GuestFactory(full_name="林晓", gender="F")
    add_stay(guest, arrival=date(2026, 11, 29), departure=date(2026, 12, 1))

    # when the run is started while English is active
    with translation.override("en"):
        run_days(date(2026, 12, 2), date(2026, 12, 2))

    # then
    task = Task.objects.get()
    assert task.title == "离店回访（12月1日离店）：林女士"
    assert _shown(task)["en"] == "Feedback call (left on December 1): 林女士"


def test_the_tasks_page_shows_titles_in_english(prop, manager):
    only_rule(prop, "节日贺卡", days=7, owner_department="management")
    GuestFactory(full_name="林晓", gender="F", guest_class="A")
    run_days(date(2026, 9, 24), date(2026, 9, 24), jobs=["care.holidays"])
    Task.objects.update(due=prop.today())

    greeting = tuple(Task.objects.get().detail.splitlines())
    page = assert_english(
        english_client(manager), "/care/tasks/", ("林晓", "林女士", *greeting)
    )

    assert "National Day card (October 1): 林女士" in page


def test_a_typed_title_is_shown_as_typed(prop):
    guest = GuestFactory(full_name="林晓")
    task = Task.objects.create(
        guest=guest, title="确认婚宴菜单：少辣", due=date(2027, 3, 1)
    )

    assert _shown(task) == {"zh-hans": "确认婚宴菜单：少辣", "en": "确认婚宴菜单：少辣"}


@pytest.mark.parametrize(
    ("kind", "title", "occurs_on", "args"),
    [
        ("special_date", "结婚纪念日、生日（2月28日）：林女士", date(2027, 2, 28),
         {"who": "林女士", "occasions": ["结婚纪念日", "生日"]}),
        ("holiday", "国庆节贺卡（10月1日）：林女士", date(2026, 10, 1),
         {"who": "林女士", "occasions": ["国庆节"]}),
        ("feedback", "离店回访（12月1日离店）：Ms Peretz", date(2026, 12, 1),
         {"who": "Ms Peretz", "occasions": []}),
        ("revisit", "新晋 A 类客人回访：林女士", date(2026, 11, 1),
         {"who": "林女士", "occasions": []}),
        ("special_date", "生日（3月1日）：林女士", date(2027, 2, 28), None),
        ("", "确认婚宴菜单：少辣", None, None),
    ],
)  # fmt: skip
def test_tasks_made_before_get_their_parts_from_their_title(
    kind, title, occurs_on, args
):
    assert migration._parsed(kind, title, occurs_on) == args


def test_the_migration_gives_tasks_made_before_their_parts(prop):
    from django.apps import apps

    only_rule(prop, "节日贺卡", days=7)
    GuestFactory(full_name="林晓", gender="F", guest_class="A")
    run_days(date(2026, 9, 24), date(2026, 9, 24), jobs=["care.holidays"])
    Task.objects.update(title_args={})

    migration.titles_parsed(apps, None)

    task = Task.objects.get()
    assert task.title_args == {"who": "林女士", "occasions": ["国庆节"]}
    assert _shown(task)["en"] == "National Day card (October 1): 林女士"


def test_a_run_started_in_english_greets_in_the_houses_language(prop):
    # given a greeting that names the occasion
    only_rule(
        prop, "生日祝福", days=0, channel="task", template="{称呼}，{纪念日}快乐！"
    )
    guest = GuestFactory(full_name="林晓", gender="F", birth_date=date(1990, 2, 28))

    # when the run is started by someone working in English
    with translation.override("en"):
        run_days(date(2027, 2, 28), date(2027, 2, 28))

    # then the greeting is in Chinese, as the guest will read it
    assert Task.objects.get(guest=guest).detail.endswith("林女士，生日快乐！")
