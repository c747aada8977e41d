"""Template filters of the archive pages."""

from django import template
from django.contrib.auth.models import User

from dossier.core.people import staff_name
from dossier.records.attachments import kind_label
from dossier.records.disposal import exclusion_text
from dossier.records.loans import borrower_label
from dossier.records.models import Loan

register = template.Library()


@register.filter
def person(user: User | None) -> str:
    """A member of staff by name (林芳), the user name when no name is on file."""
    return "" if user is None else staff_name(user)


@register.filter
def borrower(loan: Loan) -> str:
    """Who borrows: a member of staff by name, or a person named with a department."""
    return borrower_label(loan)


@register.filter
def file_kind(content_type: str) -> str:
    """A file's type as staff say it: PDF 文档, Word 文档, JPEG 图片."""
    return kind_label(content_type)


@register.filter
def exclusion(stored: str) -> str:
    """Why a register leaves a case out, in the reader's language."""
    return exclusion_text(stored)
