"""What of a page the automatic screening reads: title, metadata, body, attachments.

Rich text is read as the reader sees it: each block (paragraph, heading, list item, table
cell, quotation) and each line break is a line of its own, so a marking that stands on its
own line is still one, and digits at the end of one paragraph never fuse with digits at the
start of the next. StreamField blocks, table cells and struct fields are lines of their own too.
"""

import hashlib
from html.parser import HTMLParser

from django.utils.translation import gettext as _
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .screening import screen_attachment, screen_document

# Elements that start a new line where a browser would (HTML block and table elements).
LINE_ELEMENTS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table thead tbody tfoot tr caption "
    "figure figcaption hr br section article header footer address".split()
)
# A table row is one line with its cells separated by tabs, as attachments are read
# (review.extraction): the screen reads each cell on its own and each row as a list entry.
CELL_ELEMENTS = frozenset({"td", "th"})
SKIPPED_ELEMENTS = frozenset({"script", "style"})


class _LineParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [[]]
        self.skipping = 0

    def _break(self):
        if self.lines[-1]:
            self.lines.append([])

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        elif tag in LINE_ELEMENTS:
            self._break()
        elif tag in CELL_ELEMENTS and self.lines[-1]:
            self.lines[-1].append("\t")

    def handle_startendtag(self, tag, attrs):
        if tag in LINE_ELEMENTS:
            self._break()

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in LINE_ELEMENTS:
            self._break()

    def handle_data(self, data):
        if not self.skipping:
            # Newlines in the source are layout, not text: a browser shows them as a space.
            self.lines[-1].append(data.replace("\r", " ").replace("\n", " "))


def html_lines(html: str) -> str:
    """The text of an HTML fragment, one line per block, cell or line break."""
    if not html or ("<" not in html and "&" not in html):
        return html or ""
    parser = _LineParser()
    parser.feed(html)
    parser.close()
    lines = ("".join(parts).strip() for parts in parser.lines)
    return "\n".join(line for line in lines if line)


# Keys of a stored StreamField block that are bookkeeping, not content.
BLOCK_META_KEYS = frozenset({"id", "type"})


def _stream_text(value):
    """All text in a StreamField value, each block, struct field and table cell on its own
    lines, rich text as the reader sees it."""
    parts = []

    def walk(data):
        if isinstance(data, str):
            parts.append(html_lines(data))
        elif isinstance(data, dict):
            if "type" in data and "value" in data:  # a stored block: {"type", "value", "id"}
                walk(data["value"])
                return
            if isinstance(data.get("data"), list):  # a TableBlock: rows of cells
                for row in data["data"]:
                    cells = [html_lines(cell or "").replace("\n", " ") for cell in row or []]
                    parts.append("\t".join(cells).strip())
                parts.append(html_lines(data.get("table_caption") or ""))
                return
            for key, item in data.items():
                if key not in BLOCK_META_KEYS:
                    walk(item)
        elif isinstance(data, list | tuple):
            for item in data:
                walk(item)

    walk(list(value.raw_data) if hasattr(value, "raw_data") else value)
    return "\n".join(part for part in parts if part)


# Identifiers that legitimately contain long digit runs and no personal data.
SKIPPED_FIELDS = {"slug", "url_path", "index_number", "legacy_id", "draft_title", "seo_title"}
TEXT_FIELD_TYPES = {"CharField", "TextField"}


def page_fields(page):
    """field label → text, for the title and every text-bearing field the page type adds."""
    fields = {str(_("Title")): page.title}
    for field in page._meta.concrete_fields:
        if field.model is Page or field.name in SKIPPED_FIELDS or field.choices:
            continue
        value = getattr(page, field.name, None)
        if isinstance(field, StreamField):
            text = _stream_text(value)
        elif isinstance(field, RichTextField):
            text = html_lines(value or "")
        elif field.get_internal_type() in TEXT_FIELD_TYPES:
            text = value or ""
        else:
            continue
        if text:
            fields[str(field.verbose_name)] = text
    return fields


def screen_page(page):
    findings = screen_document(page_fields(page))
    for block in getattr(page, "attachments", None) or []:
        document = block.value.get("document")
        if document is None:
            continue
        with document.file.open("rb") as handle:
            findings += screen_attachment(document.filename, handle.read())
    return [ScreeningFinding(finding) for finding in findings]


def screen_revision(revision):
    return screen_page(revision.as_object())


class ScreeningFinding:
    """A finding with a stable key, so a reviewer's override survives a resubmission."""

    def __init__(self, finding):
        self.finding = finding
        self.where_label = finding.where
        self.label = str(finding.label)
        self.value_masked = finding.value_masked
        digest = hashlib.sha256(f"{finding.kind}|{finding.where}|{finding.value_masked}".encode())
        self.key = digest.hexdigest()[:32]

    def as_dict(self):
        return {
            "key": self.key,
            "where": self.where_label,
            "kind": self.finding.kind,
            "label": self.label,
            "value": self.value_masked,
            "start": self.finding.start,
            "end": self.finding.end,
            "line": self.finding.line,
        }
