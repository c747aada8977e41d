"""How staff are named: surname first for Chinese names, as written for others."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from dossier.core.people import staff_name


@pytest.mark.parametrize(
    ("first_name", "last_name", "username", "expected"),
    [
        ("晓东", "陈", "chenxd", "陈晓东"),
        ("晓东", "欧阳", "oyxd", "欧阳晓东"),
        ("Anna", "Weber", "aweber", "Anna Weber"),
        ("Élodie", "Martin", "emartin", "Élodie Martin"),
        ("", "", "desk1", "desk1"),
        ("芳", "", "lf", "芳"),
    ],
)
def test_a_staff_member_is_named_as_colleagues_write_it(
    first_name: str, last_name: str, username: str, expected: str
) -> None:
    # given a user with these name parts (not saved: naming reads no database)
    user = User(first_name=first_name, last_name=last_name, username=username)

    # then the name reads
    assert staff_name(user) == expected


def test_nobody_has_no_name() -> None:
    assert staff_name(None) == ""
    assert staff_name(AnonymousUser()) == ""
