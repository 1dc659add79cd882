"""What of a page the automatic screening reads: title, metadata, body, attachments."""

import hashlib

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .screening import screen_attachment, screen_document


def _stream_text(value):
    """All text in a StreamField value (rich text without tags)."""
    parts = []

    def walk(data):
        if isinstance(data, str):
            parts.append(strip_tags(data))
        elif isinstance(data, dict):
            for item in data.values():
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
            text = strip_tags(value or "")
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
        }
