"""Plain text of attached files, so screening can read them.

The type comes from the content where it can be told (a PDF starts with %PDF-, DOCX and
XLSX are ZIP packages with known parts) and from the file name otherwise (plain text). Legacy
binary Office files (.doc, .xls, .wps), images and scans have no text to read here: they give ""
and the screen reports them as not screened, so a human looks at them.

Table rows come out as one line each, cells separated by tabs: the check for lists of people
with addresses works line by line.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import PurePath
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".csv", ".md"}
# Guards against ZIP bombs and huge sheets: screening reads text, not archives.
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 200_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sniff_type(filename: str, data: bytes) -> str:
    """The readable type of an attachment: pdf, docx, xlsx, text, or "" when unknown."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            return ""
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return ""
    if PurePath(filename).suffix.lower() in TEXT_SUFFIXES:
        return "text"
    return ""


def extract_text(filename: str, data: bytes) -> str:
    """The text of an attachment, or "" when it cannot be read (unknown type, damaged file)."""
    kind = sniff_type(filename, data)
    reader = {"pdf": _pdf_text, "docx": _docx_text, "xlsx": _xlsx_text, "text": _plain_text}.get(
        kind
    )
    if reader is None:
        return ""
    try:
        return reader(data)
    except Exception:  # a damaged upload must not break the workflow; it is reported unscreened
        logger.warning("could not read %s as %s", filename, kind, exc_info=True)
        return ""


def _plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        return ""  # needs a password: cannot be screened
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(data: bytes) -> str:
    """The body, headers, footers and notes of a DOCX (markings often sit in the header)."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        # Headers first: that is where a classification marking stands on paper.
        names = [name for name in names if name.startswith("word/header")] + [
            name
            for name in names
            if name == "word/document.xml"
            or name.startswith(("word/footer", "word/footnotes", "word/endnotes"))
        ]
        for name in names:
            if package.getinfo(name).file_size > MAX_XML_BYTES:
                raise ValueError(f"{name} is too large to screen")
            xml = package.read(name)
            if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                raise ValueError(f"{name} declares entities; refusing to parse it")
            parts.append(_wordml_text(ElementTree.fromstring(xml)))
    return "\n".join(part for part in parts if part)


def _wordml_text(element) -> str:
    """Paragraphs one per line; a table row one line with cells separated by tabs."""
    lines = []

    def paragraph_text(paragraph):
        pieces = []
        for node in paragraph.iter():
            if node.tag == W + "t":
                pieces.append(node.text or "")
            elif node.tag == W + "tab":
                pieces.append("\t")
            elif node.tag in (W + "br", W + "cr"):
                pieces.append("\n")
        return "".join(pieces)

    def walk(node):
        for child in node:
            if child.tag == W + "p":
                lines.append(paragraph_text(child))
            elif child.tag == W + "tbl":
                for row in child.findall(W + "tr"):
                    cells = [
                        " ".join(paragraph_text(p) for p in cell.iter(W + "p")).strip()
                        for cell in row.findall(W + "tc")
                    ]
                    lines.append("\t".join(cells))
            else:
                walk(child)

    walk(element)
    return "\n".join(lines)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if sum(info.file_size for info in package.infolist()) > MAX_XML_BYTES * 4:
            raise ValueError("workbook is too large to screen")
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    try:
        for sheet in workbook.worksheets:
            lines.append(sheet.title)
            for number, row in enumerate(sheet.iter_rows(values_only=True)):
                if number >= MAX_SHEET_ROWS:
                    break
                cells = [_cell_text(value) for value in row]
                if any(cells):
                    lines.append("\t".join(cells))
    finally:
        workbook.close()
    return "\n".join(lines)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 13812345678.0 is a phone number, not a decimal
    return str(value)
