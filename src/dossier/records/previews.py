"""Previews of attachments: a PNG thumbnail of an image or of a PDF's first page.

Thumbnails are made once, when a version is stored. The first page of a PDF is drawn
by ``pdftoppm`` (poppler-utils) when it is installed; without it, or when it fails,
the preview page shows the extracted text instead, so nothing depends on it.
"""

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

THUMB_SIZE = (480, 480)
PDFTOPPM_TIMEOUT = 30
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff"}
PDF = "application/pdf"
TEXT_PREVIEW_CHARS = 20_000


def pdftoppm_path() -> str | None:
    return shutil.which("pdftoppm")


def _thumbnail(source: Path, target: Path) -> bool:
    try:
        with Image.open(source) as image:
            image.thumbnail(THUMB_SIZE)
            converted = image.convert("RGBA" if "A" in image.getbands() else "RGB")
            converted.save(target, "PNG")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        logger.warning("no thumbnail for an image", extra={"path": str(source)})
        target.unlink(missing_ok=True)
        return False
    return True


def _pdf_first_page(source: Path, target: Path) -> bool:
    program = pdftoppm_path()
    if program is None:
        return False
    with tempfile.TemporaryDirectory() as work:
        prefix = Path(work) / "page"
        try:
            command = [program, "-png", "-f", "1", "-l", "1", "-r", "72"]
            subprocess.run(
                [*command, "-singlefile", str(source), str(prefix)],
                check=True,
                capture_output=True,
                timeout=PDFTOPPM_TIMEOUT,
            )
        except (subprocess.SubprocessError, OSError) as error:
            logger.warning("pdftoppm failed: %s", error, extra={"path": str(source)})
            return False
        page = prefix.with_suffix(".png")
        return page.is_file() and _thumbnail(page, target)


def preview_make(source: Path, content_type: str) -> Path | None:
    """Write the thumbnail of ``source`` beside it; None when there is no picture."""
    target = source.with_name(source.name + ".thumb.png")
    if content_type in IMAGE_TYPES:
        made = _thumbnail(source, target)
    elif content_type == PDF:
        made = _pdf_first_page(source, target)
    else:
        made = False
    return target if made else None


def text_preview(text: str) -> tuple[str, bool]:
    """The start of a text for the preview page, and whether it was cut."""
    return text[:TEXT_PREVIEW_CHARS], len(text) > TEXT_PREVIEW_CHARS
