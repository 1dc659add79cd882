"""Checking and cleaning what citizens upload.

Files are recognised by their content, never by name or declared type: PDF (parsed with
pypdf), JPEG and PNG (decoded with Pillow). Images are re-encoded from their pixels, which
drops EXIF (GPS position, camera, author), comments and every other embedded chunk; PDFs are
rewritten page by page, which drops the document information and XMP metadata."""

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_FILES = 3
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


@dataclass
class CleanFile:
    content: ContentFile
    name: str  # the citizen's file name, for display only
    content_type: str

    @property
    def size(self):
        return self.content.size


def _display_name(uploaded, extension):
    stem = Path(uploaded.name or "file").stem.strip()[:80] or "file"
    return f"{stem}.{extension}"


def clean_upload(uploaded) -> CleanFile:
    """A cleaned copy of an uploaded file, or ValidationError with a message for the citizen."""
    name = Path(uploaded.name or "").name
    if uploaded.size > MAX_FILE_SIZE:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); each file may be at most %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "max": filesizeformat(MAX_FILE_SIZE),
            },
            code="file_too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(5)
    uploaded.seek(0)
    if head == b"%PDF-":
        return _clean_pdf(uploaded, name)
    return _clean_image(uploaded, name)


def _refuse(name):
    return ValidationError(
        _("“%(name)s” is not a PDF, JPEG or PNG file. Only these types can be attached.")
        % {"name": name},
        code="file_type",
    )


def _clean_pdf(uploaded, name):
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(uploaded)
        if reader.is_encrypted:
            raise ValidationError(
                _("“%(name)s” is password-protected; attach a PDF without a password.")
                % {"name": name},
                code="file_encrypted",
            )
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.add_metadata({"/Producer": ""})
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise _refuse(name) from None
    if not reader.pages:
        raise _refuse(name)
    return CleanFile(ContentFile(out.getvalue()), _display_name(uploaded, "pdf"), "application/pdf")


def _clean_image(uploaded, name):
    try:
        with Image.open(uploaded) as probe:
            image_format = probe.format
            if image_format not in ("JPEG", "PNG"):
                raise _refuse(name)
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("“%(name)s” has too many pixels; attach a smaller image.") % {"name": name},
                    code="image_too_large",
                )
            probe.verify()
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag gave
            out = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=90)
                extension, content_type = "jpg", "image/jpeg"
            else:
                mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
                image.convert(mode).save(out, "PNG")
                extension, content_type = "png", "image/png"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse(name) from None
    return CleanFile(ContentFile(out.getvalue()), _display_name(uploaded, extension), content_type)
