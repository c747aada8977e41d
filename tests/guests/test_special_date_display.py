import pytest
from django.utils import translation

from dossier.guests.models import CalendarKind, SpecialDate


@pytest.mark.parametrize(
    ("fields", "chinese"),
    [
        ({"year": 1970, "month": 12, "day": 4}, "1970年12月4日"),
        ({"year": None, "month": 2, "day": 29}, "2月29日"),
        (
            {"year": 2020, "month": 4, "day": 8, "is_leap_month": True},
            "农历 2020年闰四月初八",
        ),
        ({"year": None, "month": 12, "day": 30}, "农历 腊月三十"),
    ],
)
def test_written_in_chinese(fields, chinese):
    if "is_leap_month" in fields or chinese.startswith("农历"):
        fields = {**fields, "calendar": CalendarKind.LUNAR}
    with translation.override("zh-hans"):
        assert SpecialDate(**fields).display() == chinese


def test_solar_dates_in_english_carry_no_chinese_and_read_as_the_pages_dates():
    with translation.override("en"):
        assert SpecialDate(year=1970, month=12, day=4).display() == "1970-12-04"
        assert SpecialDate(month=2, day=29).display() == "02-29"
