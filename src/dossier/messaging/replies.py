"""Whether a guest's reply asks to stop messages (回复TD退订)."""

import unicodedata

# What guests write to opt out, after width folding, case folding and trimming.
OPT_OUT_WORDS = frozenset(
    {"td", "t", "退订", "退定", "退", "取消订阅", "unsubscribe", "stop"}
)
# Punctuation a guest may add around the word: 退订。 TD! 【退订】
_TRIM = " \t\r\n\u3000。，、！？；：.,!?;:~～…\"'“”‘’()（）[]【】<>《》"


def reply_is_opt_out(text: str) -> bool:
    """``"TD"``, ``"ＴＤ"``, ``" T "``, ``"退订。"`` opt out; ``"T恤还有吗"`` does not.

    Only a reply that is nothing but an opt-out word counts: a question that starts
    with T is a question, and goes to the inbox.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().strip(_TRIM)
    return folded in OPT_OUT_WORDS
