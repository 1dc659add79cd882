"""Checking admin uploads (Wagtail documents and images) by their content, not their name.

A file must be what its extension says: a ".pdf" must be a PDF, a ".docx" a Word package, etc.
Markup that a browser would run (HTML, SVG, XML with scripts) is refused whatever its name, and
archives are opened to refuse path traversal, absolute paths and zip bombs."""

import io
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from review.extraction import sniff_type

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
# Limits for archives (plain .zip and Office/ODF packages alike).
MAX_ARCHIVE_MEMBERS = 10_000
MAX_ARCHIVE_UNPACKED = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_IMAGE_PIXELS = 40_000_000
TEXT_EXTENSIONS = {"txt", "csv"}
# What browsers would render as active content, in the first bytes of a file.
MARKUP_SIGNS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def _refuse(message, code):
    return ValidationError(message, code=code)


def _mismatch(name, extension):
    return _refuse(
        _(
            "“%(name)s” is not really a .%(extension)s file: its content is of another type. "
            "Upload the original file."
        )
        % {"name": name, "extension": extension},
        code="content_mismatch",
    )


def looks_like_markup(head: bytes) -> bool:
    """Whether the file starts as HTML/SVG/XML (binary formats never start with "<")."""
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()[:1024]
    return sample.startswith(b"<") and any(sign in sample for sign in MARKUP_SIGNS)


def check_archive(name, data):
    """Refuse archives whose member names escape the folder or whose content would blow up."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refuse(
            _("“%(name)s” is a damaged archive and cannot be opened.") % {"name": name},
            code="archive_damaged",
        ) from None
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise _refuse(
            _("“%(name)s” holds too many files (more than %(max)d).")
            % {"name": name, "max": MAX_ARCHIVE_MEMBERS},
            code="archive_too_many_files",
        )
    unpacked = 0
    for member in members:
        member_name = member.filename
        posix, windows = PurePosixPath(member_name), PureWindowsPath(member_name)
        if (
            posix.is_absolute()
            or windows.is_absolute()
            or windows.drive
            or member_name.startswith(("/", "\\"))
            or ".." in posix.parts
            or ".." in windows.parts
        ):
            raise _refuse(
                _(
                    "“%(name)s” contains a file with an unsafe path (“%(member)s”) that would be "
                    "unpacked outside its folder."
                )
                % {"name": name, "member": member_name[:100]},
                code="archive_path",
            )
        unpacked += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if unpacked > MAX_ARCHIVE_UNPACKED or (
            member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO
        ):
            raise _refuse(
                _(
                    "“%(name)s” would unpack to far more data than its size (more than %(max)s "
                    "or %(ratio)d times its size); such archives are refused."
                )
                % {
                    "name": name,
                    "max": filesizeformat(MAX_ARCHIVE_UNPACKED),
                    "ratio": MAX_COMPRESSION_RATIO,
                },
                code="archive_bomb",
            )


def _read(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


def check_document(uploaded):
    """Raise ValidationError unless the document's content matches its extension."""
    name = PurePosixPath((uploaded.name or "").replace("\\", "/")).name
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    data = _read(uploaded)
    if looks_like_markup(data[:2048]):
        raise _refuse(
            _(
                "“%(name)s” contains web page or SVG markup, which could run scripts in "
                "visitors’ browsers; it cannot be published as a document."
            )
            % {"name": name},
            code="markup",
        )
    kind = sniff_type(name, data)
    if extension == "pdf":
        # PDF readers accept the header anywhere in the first kilobyte.
        if kind != "pdf" and b"%PDF-" not in data[:1024]:
            raise _mismatch(name, extension)
    elif extension in ("docx", "xlsx"):
        if kind != extension:
            raise _mismatch(name, extension)
        check_archive(name, data)
    elif extension in ("odt", "ods"):
        if not data.startswith(ZIP_MAGIC):
            raise _mismatch(name, extension)
        check_archive(name, data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                mimetype = archive.read("mimetype")
            except KeyError:
                raise _mismatch(name, extension) from None
        if not mimetype.startswith(b"application/vnd.oasis.opendocument"):
            raise _mismatch(name, extension)
    elif extension in ("doc", "xls"):
        if not data.startswith(OLE2_MAGIC):
            raise _mismatch(name, extension)
    elif extension == "zip":
        if not data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
            raise _mismatch(name, extension)
        check_archive(name, data)
    elif extension in TEXT_EXTENSIONS:
        if b"\x00" in data[:8192]:
            raise _mismatch(name, extension)
    # Other extensions are refused by WAGTAILDOCS_EXTENSIONS before this runs.


def check_image(uploaded):
    """Refuse images with too many pixels before decoding them, and anything Pillow does
    not recognise as a raster image (an SVG renamed .png, say)."""
    name = PurePosixPath((uploaded.name or "").replace("\\", "/")).name
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    if looks_like_markup(head):
        raise _refuse(
            _(
                "“%(name)s” is an SVG or web page, which could run scripts in visitors’ "
                "browsers; upload a JPEG, PNG, GIF or WebP image."
            )
            % {"name": name},
            code="markup",
        )
    too_large = ValidationError(
        _(
            "“%(name)s” has too many pixels; images may have at most %(max)d million pixels. "
            "Reduce its size and upload it again."
        )
        % {"name": name, "max": MAX_IMAGE_PIXELS // 1_000_000},
        code="image_too_large",
    )
    try:
        # Image.open reads only the header: the size is known before any pixel is decoded.
        with Image.open(uploaded) as probe:
            width, height = probe.size
    except Image.DecompressionBombError:
        raise too_large from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse(
            _("“%(name)s” is not an image file that can be read.") % {"name": name},
            code="image_unreadable",
        ) from None
    finally:
        uploaded.seek(0)
    if width * height > MAX_IMAGE_PIXELS:
        raise too_large
