"""The benchmark's guests: valid, and never two holders of one ID number."""

from bench import generate
from dossier.zh.idnumber import parse_id_number


def test_the_archive_and_the_files_to_import_never_share_an_id_number() -> None:
    # given the archive's first guests and those of the four files the bench imports
    archive = [row[2] for row in generate.guest_inputs(20_000)]
    files = [
        row[3]
        for offset in (50_000_000, 60_000_000, 70_000_000, 75_000_000)
        for row in generate.guest_rows(20_000, seed=offset, offset=offset)
    ]

    # then every number is different, also without its check character
    numbers = archive + files
    assert len({n[:17] for n in numbers}) == len(numbers)


def test_each_number_parses_and_agrees_with_the_gender_written() -> None:
    for name, gender, _mobile, number, *_ in generate.guest_rows(
        500, offset=50_000_000
    ):
        parsed = parse_id_number(number)
        assert parsed.gender == ("M" if gender == "男" else "F"), (name, number)
