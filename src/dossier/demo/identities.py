"""Deterministic identities for the demo's guests: names, documents, phones, e-mail.

Each guest's identity comes from its own random generator, seeded by the demo seed and
the guest's stable key, so that it does not depend on which or how many bookings were
loaded. Mainland guests get a surname drawn by its real frequency, a given name from the
corpus sample, and a resident ID built by :func:`dossier.zh.idnumber.make_id_number`
from a county code in use in the birth year; guests from abroad get a Latin name of
their country and a passport.

Drawn independently, two guests' document numbers can meet (a hundred thousand
passports of nine digits, or of a letter and eight, hold a few such pairs; an Irish and
an American passport have the same shape, and the archive keys a document by its type
and number, not its country). A maker therefore remembers the numbers it gave, and a
guest whose number was already given draws another, from a generator of its own key
and attempt: the same guests get the same numbers on every build, and every other
value of the guest stays as it was drawn.
"""

import dataclasses
import functools
import itertools
import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

import phonenumbers

from dossier.demo import latin_names
from dossier.demo.sources import (
    FIRST_BIRTH_YEAR,
    LAST_BIRTH_YEAR,
    Region,
    given_names_read,
    regions_by_year,
    surnames_read,
)
from dossier.zh.idnumber import Gender, make_id_number
from dossier.zh.phones import InvalidPhone, normalize_phone

# The data set's hotels are in Portugal: its home market plays the demo hotel's
# mainland guests, together with the bookings from China.
DOMESTIC = frozenset({"PRT", "CN", "CHN"})
PERMITS = {"HKG": ("hk_macau_permit", "H"), "MAC": ("hk_macau_permit", "M"),
           "TWN": ("taiwan_permit", "")}  # fmt: skip
SHARE_OF_MEN = 0.56
# Population of each province in millions (2020 census, rounded), by code prefix.
PROVINCE_WEIGHTS = {
    "11": 22, "12": 14, "13": 75, "14": 35, "15": 24, "21": 43, "22": 24, "23": 32,
    "31": 25, "32": 85, "33": 65, "34": 61, "35": 42, "36": 45, "37": 102, "41": 99,
    "42": 58, "43": 66, "44": 126, "45": 50, "46": 10, "50": 32, "51": 84, "52": 39,
    "53": 47, "54": 4, "61": 40, "62": 25, "63": 6, "64": 7, "65": 26,
}  # fmt: skip
# Mainland mobile prefixes, repeated by how common they are; every one of them is a
# valid range for any eight digits that follow.
MOBILE_PREFIXES = (
    ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139"] * 4
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159"] * 3
    + ["180", "181", "182", "183", "185", "186", "187", "188", "189"] * 3
    + ["145", "147", "166", "173", "175", "176", "177", "178", "191", "198", "199"]
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
PHONE_TRIES = 12
PHONE_FREE_DIGITS = 7


@dataclass(frozen=True)
class Identity:
    full_name: str
    surname: str
    gender: str
    birth: date
    doc_type: str
    doc_number: str
    doc_country: str
    phone: str
    email: str
    residence: str
    is_foreign: bool


class IdentityMaker:
    """Makes identities from the shipped name and region tables, loaded once."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        # (document type, number) of every identity made, so that none is given twice.
        self._issued: set[tuple[str, str]] = set()
        self.surnames, cumulative = surnames_read()
        self.surname_weights = cumulative
        self.given_names = given_names_read()
        self._by_year: dict[
            int, tuple[list[str], list[int], dict[str, list[Region]]]
        ] = {}

    def make(self, key: str, country: str) -> Identity:
        """The identity of the guest with stable ``key`` from ``country`` (ISO 3166)."""
        rng = random.Random(f"{self.seed}:{key}")
        gender = "M" if rng.random() < SHARE_OF_MEN else "F"
        birth = _birth_date(rng)
        if country in DOMESTIC or country in PERMITS:
            identity = self._chinese(rng, gender, birth, country)
        else:
            identity = self._foreign(rng, gender, birth, country)
        return self._number_unique(key, identity)

    def _number_unique(self, key: str, identity: Identity) -> Identity:
        """``identity``, its document number drawn again while another guest of this
        maker holds it (see the module's note)."""
        number = identity.doc_number
        for attempt in itertools.count(1):
            if (identity.doc_type, number) not in self._issued:
                break
            rng = random.Random(f"{self.seed}:{key}:number:{attempt}")
            number = self._number(rng, identity)
        self._issued.add((identity.doc_type, number))
        return dataclasses.replace(identity, doc_number=number)

    def _number(self, rng: random.Random, identity: Identity) -> str:
        """Another number of the same kind: a resident ID keeps its region, birth
        date and gender, and changes its order code."""
        if identity.doc_type == "resident_id":
            sex: Gender = "M" if identity.gender == "M" else "F"
            region = identity.doc_number[:6]
            return make_id_number(region, identity.birth, rng.randrange(500), sex)
        if identity.doc_type == "passport":
            return _passport(rng, identity.doc_country)
        letter = identity.doc_number[:1] if identity.doc_number[:1].isalpha() else ""
        return letter + "".join(rng.choices("0123456789", k=8))

    def _chinese(
        self, rng: random.Random, gender: str, birth: date, country: str
    ) -> Identity:
        surname = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        full_name = surname + rng.choice(self.given_names)
        region = self._region(rng, birth.year)
        if country in PERMITS:
            doc_type, letter = PERMITS[country]
            number = letter + "".join(rng.choices("0123456789", k=8))
            doc_country, residence = country, ""
            phone = _foreign_phone(rng, latin_names.ISO2[country])
        else:
            sex: Gender = "M" if gender == "M" else "F"
            number = make_id_number(region.code, birth, rng.randrange(500), sex)
            doc_type, doc_country, residence = "resident_id", "CHN", region.residence
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        email = ""
        if rng.random() < 0.3:
            email = f"{rng.randrange(10**7, 10**10)}@{rng.choice(EMAIL_DOMAINS)}"
        return Identity(
            full_name,
            surname,
            gender,
            birth,
            doc_type,
            number,
            doc_country,
            phone,
            email,
            residence,
            is_foreign=False,
        )

    def _foreign(
        self, rng: random.Random, gender: str, birth: date, country: str
    ) -> Identity:
        pool = latin_names.pool_for(country)
        first = rng.choice(pool.men if gender == "M" else pool.women)
        surname = latin_names.surname_form(rng.choice(pool.surnames), gender)
        iso2 = latin_names.ISO2.get(country, "")
        phone = _foreign_phone(rng, iso2) if iso2 and rng.random() < 0.7 else ""
        email = ""
        if rng.random() < 0.6:
            local = _ascii(f"{first}.{surname}").lower()
            email = f"{local}{rng.randrange(100)}@{rng.choice(EMAIL_DOMAINS)}"
        return Identity(
            full_name=f"{first} {surname}",
            surname=surname,
            gender=gender,
            birth=birth,
            doc_type="passport",
            doc_number=_passport(rng, country),
            doc_country=country if len(country) == 3 else "",
            phone=phone,
            email=email,
            residence="",
            is_foreign=True,
        )

    def _region(self, rng: random.Random, year: int) -> Region:
        if year not in self._by_year:
            grouped: dict[str, list[Region]] = {}
            for region in regions_by_year()[year]:
                grouped.setdefault(region.code[:2], []).append(region)
            provinces = [code for code in PROVINCE_WEIGHTS if code in grouped]
            weights = list(accumulate(PROVINCE_WEIGHTS[code] for code in provinces))
            self._by_year[year] = (provinces, weights, grouped)
        provinces, weights, grouped = self._by_year[year]
        province = rng.choices(provinces, cum_weights=weights)[0]
        return rng.choice(grouped[province])


def _birth_date(rng: random.Random) -> date:
    first = date(FIRST_BIRTH_YEAR, 1, 1).toordinal()
    last = date(LAST_BIRTH_YEAR, 12, 31).toordinal()
    # The sum of two uniform draws peaks in the middle: more guests in their forties.
    middle = (rng.randint(first, last) + rng.randint(first, last)) // 2
    return date.fromordinal(middle)


def _passport(rng: random.Random, country: str) -> str:
    """A passport number in the usual shape of the country's passports."""
    digits = "0123456789"
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if country in ("GBR", "USA", "IRL", "AUS"):
        return "".join(rng.choices(digits, k=9))
    if country in ("FRA", "BEL", "LUX"):
        return (
            "".join(rng.choices(digits, k=2))
            + "".join(rng.choices(letters, k=2))
            + "".join(rng.choices(digits, k=5))
        )
    if country in ("DEU", "AUT", "CHE"):
        return "C" + "".join(rng.choices("CFGHJKLMNPRTVWXYZ0123456789", k=8))
    return rng.choice(letters) + "".join(rng.choices(digits, k=8))


@functools.cache
def _phone_range(iso2: str) -> tuple[str, int, bool]:
    """The leading digits of the region's example mobile number, how many digits
    follow them, and whether any digits there make a valid number (checked once per
    region on a seeded sample)."""
    example = phonenumbers.example_number_for_type(
        iso2, phonenumbers.PhoneNumberType.MOBILE
    )
    if example is None:
        return "", 0, False
    national = str(phonenumbers.national_significant_number(example))
    kept = max(2, len(national) - PHONE_FREE_DIGITS)
    prefix, free = f"+{example.country_code}{national[:kept]}", len(national) - kept
    sample = random.Random(iso2)
    valid = all(
        _valid(prefix + f"{sample.randrange(10**free):0{free}d}") for _ in range(200)
    )
    return prefix, free, valid


def _valid(number: str) -> bool:
    try:
        normalize_phone(number)
    except InvalidPhone:
        return False
    return True


def _foreign_phone(rng: random.Random, iso2: str) -> str:
    """A valid mobile number of ``iso2``: the example number's range, new digits."""
    prefix, free, always_valid = _phone_range(iso2)
    if not prefix:
        return ""
    for _ in range(PHONE_TRIES):
        candidate = prefix + f"{rng.randrange(10**free):0{free}d}"
        if always_valid or _valid(candidate):
            return candidate
    return ""


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch == ".")
    )
