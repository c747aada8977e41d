"""Which replies opt the number out (回复TD退订) and which go to the inbox."""

import pytest

from dossier.messaging.services import reply_is_opt_out


@pytest.mark.parametrize(
    "text",
    ["TD", "td", "ＴＤ", " T ", "退订", "退订。", "t", "退订！", "【退订】", "Td\n"],
)
def test_opt_out_replies(text: str) -> None:
    assert reply_is_opt_out(text) is True


@pytest.mark.parametrize(
    "text", ["T恤还有吗", "谢谢", "TD是什么意思", "不要退订", "", "  ", "TTD"]
)
def test_other_replies_are_not_opt_outs(text: str) -> None:
    assert reply_is_opt_out(text) is False
