"""The full text of attachments: extraction from PDF, docx and plain text, and search.

Text is cut into the same keys the guest index uses for notes: every two-character
word of each run of Chinese (so 合同 and 发票 are found inside 采购合同发票), and each
Latin or digit term of two characters or more. A query is answered from those keys
with one indexed look-up per key, the same way on SQLite and PostgreSQL; a case
matches when its attachments together hold every word.
"""

import logging
import re
from collections.abc import Iterable
from pathlib import Path

from django.db.models import QuerySet

from dossier.core.models import Property
from dossier.records.models import Attachment, AttachmentKey, Case
from dossier.zh.fold import cjk_ngrams, fold, is_cjk

logger = logging.getLogger(__name__)

# Enough for a long contract; the rest of a huge file adds little to search.
MAX_TEXT = 500_000
MAX_TERM = 32
_TERM = re.compile(r"[0-9a-z]{2,}")

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"


def decode_text(data: bytes) -> str | None:
    """Plain text in UTF-8 (with or without BOM) or GB18030, or None if neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        parts: list[str] = []
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(len(part) for part in parts) > MAX_TEXT:
                break
        return "\n".join(parts)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        logger.warning("PDF text not read: %s", error, extra={"path": str(path)})
        return ""


def _docx_text(path: Path) -> str:
    from zipfile import BadZipFile

    import docx

    try:
        document = docx.Document(str(path))
    except (BadZipFile, KeyError, ValueError) as error:
        logger.warning("docx text not read: %s", error, extra={"path": str(path)})
        return ""
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def text_extract(path: Path, content_type: str) -> str:
    """The text of a stored file of ``content_type``; empty for other kinds."""
    if content_type == PDF:
        text = _pdf_text(path)
    elif content_type == DOCX:
        text = _docx_text(path)
    elif content_type == TEXT:
        text = decode_text(path.read_bytes()[: MAX_TEXT * 4]) or ""
    else:
        text = ""
    return text.replace("\x00", "")[:MAX_TEXT]


def text_keys(texts: Iterable[str]) -> set[str]:
    """``w:`` two-character Chinese words and ``t:`` Latin or digit terms."""
    keys: set[str] = set()
    for text in texts:
        folded = fold(text)
        keys.update("w:" + word for word in cjk_ngrams(folded, 2) if len(word) == 2)
        keys.update("t:" + term[:MAX_TERM] for term in _TERM.findall(folded))
    return keys


def attachment_index(attachment: Attachment) -> None:
    """Replace the keys of ``attachment`` with those of its current text."""
    AttachmentKey.objects.filter(attachment=attachment).delete()
    if attachment.destroyed_at is not None:
        return
    AttachmentKey.objects.bulk_create(
        (
            AttachmentKey(attachment=attachment, case_id=attachment.case_id, key=key)
            for key in sorted(text_keys([attachment.name, attachment.text]))
        ),
        batch_size=1000,
    )


def _query_keys(query: str) -> tuple[list[str], list[str], list[str]]:
    """Exact keys, term prefixes, and lone characters that no key can answer."""
    folded = fold(query)
    exact: list[str] = []
    singles: list[str] = []
    for gram in sorted(cjk_ngrams(folded, 2)):
        (exact if len(gram) == 2 else singles).append(gram)
    exact = ["w:" + gram for gram in exact]
    latin = "".join(" " if is_cjk(char) else char for char in folded)
    prefixes = ["t:" + term[:MAX_TERM] for term in _TERM.findall(latin)]
    return exact, prefixes, singles


def fulltext_case_ids(prop: Property, query: str) -> QuerySet[Case, int]:
    """Ids of the cases of ``prop`` whose attachments hold every word of ``query``.

    Chinese words are matched as two-character words (a longer phrase as all of its
    two-character words), terms by prefix, each from the (key, case) index alone; a
    single Chinese character, which no key holds, is looked for in the text itself.
    """
    exact, prefixes, singles = _query_keys(query)
    cases = Case.objects.filter(property=prop)
    if not (exact or prefixes or singles):
        return cases.none().values_list("pk", flat=True)
    for key in exact:
        cases = cases.filter(
            pk__in=AttachmentKey.objects.filter(key=key).values("case_id")
        )
    for prefix in prefixes:
        cases = cases.filter(
            pk__in=AttachmentKey.objects.filter(key__startswith=prefix).values(
                "case_id"
            )
        )
    for char in singles:
        cases = cases.filter(
            pk__in=Attachment.objects.filter(
                destroyed_at__isnull=True, text__contains=char
            ).values("case_id")
        )
    return cases.values_list("pk", flat=True)
