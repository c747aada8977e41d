"""Search-key folding and CJK n-grams."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.zh.fold import cjk_ngrams, fold, is_cjk, to_simplified


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ÉLODIE", "elodie"),
        ("MÜLLER", "muller"),
        ("Straße", "strasse"),
        ("ＡＢＣ贸易", "abc贸易"),
        ("陳嘉欣", "陈嘉欣"),
        ("歐陽娜娜", "欧阳娜娜"),
        ("  Anne\u3000 Marie\t", "anne marie"),
        ("Ｔｅｌ：１３８", "tel:138"),
        ("ガ", "ガ"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "simplified"),
    [("陳嘉欣", "陈嘉欣"), ("頭髮", "头发"), ("乾隆", "乾隆"), ("ABC", "ABC")],
)
def test_to_simplified(text: str, simplified: str) -> None:
    assert to_simplified(text) == simplified


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("喜欢靠窗", {"喜欢", "欢靠", "靠窗"}),
        ("茶 水", {"茶", "水"}),
        ("不吃香菜, no cilantro", {"不吃", "吃香", "香菜"}),
        ("abc", set()),
        ("", set()),
    ],
)
def test_cjk_bigrams(text: str, grams: set[str]) -> None:
    assert cjk_ngrams(text) == grams


def test_cjk_trigrams() -> None:
    assert cjk_ngrams("喜欢靠窗 茶", n=3) == {"喜欢靠", "欢靠窗", "茶"}


def test_cjk_ngrams_rejects_zero() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        cjk_ngrams("茶", n=0)


@pytest.mark.parametrize(
    ("char", "expected"), [("陈", True), ("〇", True), ("a", False)]
)
def test_is_cjk(char: str, expected: bool) -> None:
    assert is_cjk(char) is expected


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_ngrams_are_cjk_and_short(text: str) -> None:
    grams = cjk_ngrams(text)

    assert all(1 <= len(gram) <= 2 and all(map(is_cjk, gram)) for gram in grams)
