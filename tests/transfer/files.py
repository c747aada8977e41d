"""Real files for attachment tests: PDF with Chinese text, docx, images, and uploads."""

import io
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django.fixtures import Settings as SettingsWrapper
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"


@pytest.fixture
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """A MEDIA_ROOT of this test only."""
    root = tmp_path / "files"
    settings.MEDIA_ROOT = root
    return root


def pdf_bytes(*lines: str) -> bytes:
    """A one-page PDF drawing ``lines`` with the CID font STSong-Light."""
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(CJK_FONT, 14)
    for row, line in enumerate(lines):
        page.drawString(72, 760 - 24 * row, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (1200, 800), colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def upload(
    name: str, content: bytes, claimed: str = "application/pdf"
) -> SimpleUploadedFile:
    """An upload whose browser-claimed type is ``claimed`` (never trusted)."""
    return SimpleUploadedFile(name, content, content_type=claimed)
