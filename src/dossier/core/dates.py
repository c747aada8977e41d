"""Dates a person remembers (birthdays, anniversaries), one way per language.

Chinese writes 1970年12月4日 and 12月4日; English the numeric forms the rest of
its pages use, 1970-12-04 and 12-04, so a birthday and this year's day read alike.
"""

from datetime import date

from django.utils.dateformat import format as date_format
from django.utils.translation import pgettext


def full_date(day: date) -> str:
    """A date with its year: 1970年12月4日, 1970-12-04."""
    return date_format(day, pgettext("date format", "Y年n月j日"))


def month_day(day: date) -> str:
    """A day of the year without the year: 12月4日, 12-04."""
    return date_format(day, pgettext("date format", "n月j日"))
