"""Import disclosure items from a legacy platform: one JSON object per line (JSON Lines).

Plain functions, so the `import_disclosures` command, a future admin upload or a background
task all run the same code: `import_file(path, unit)` or `import_lines(lines, unit, base_dir=…)`
return an `ImportReport`.

A record::

    {"id": "gwy-002", "title": "…", "issuer": "国务院办公厅", "doc_number": "国办发〔2019〕6号",
     "date": "2019-01-22", "category": "财政资金", "body": "plain text or HTML",
     "attachments": ["files/附件1.pdf", {"path": "files/表.docx", "title": "申请表"}]}

`category_hint` is read where `category` is absent (the shared corpus uses it). Optional:
`summary`, `genre` (a 体裁 such as 通知; guessed from the title otherwise), `index_number` (the
legacy 索引号, kept when given).

Records were reviewed on the old platform, so they arrive **published**: `date` becomes the
written, formed and publication date; the 索引号 is assigned as on any first publication (its
year is the publication year); the audit log says "imported" (`disclosure_pages.import`). The
legacy id is kept in `legacy_id` (unique): importing the same id again updates the page and
publishes a new revision only when something changed. A page that an editor has since changed
in a draft, or withdrawn, is left alone and reported.

Category → page model (the class column and key kind it lands in):

================================  ====================  ==========  ==========================
category                          page model            class       key kind (Art. 8)
================================  ====================  ==========  ==========================
政策法规, 法规文件                 PolicyDocumentPage    zcfg        zcwj (7)
规划计划                           PlanPage (year=date)  gzdt        ghjh (17)
办事指南                           ServiceGuidePage      bszn        bmfw (3)
表格下载                           FormDownloadPage      bgxz        —
工作动态                           NewsPage              gzdt        —
问题解答                           FaqPage (title is     wtjd        —
                                   the question, body
                                   the answer)
政府职能                           GeneralItemPage       zfzn        ldzc (1)
行政权力                           GeneralItemPage       xzql        xzqlsx (2)
行政执法                           GeneralItemPage       xzzf        zfjg (8)
财政资金                           GeneralItemPage       gzdt        qtxx (20)
人事信息                           GeneralItemPage       gzdt        —  (appointments are not
                                                                     the recruitment of rszl)
其他, and anything unknown         GeneralItemPage       gzdt        qtxx (20); unknown warns
a key kind's name or code          its typed page when the record can fill it (OrganisationPage,
                                   ServiceGuidePage, PolicyDocumentPage, EnforcementResultPage,
                                   ProcurementPage with the title as project, RecruitmentPage,
                                   PlanPage, EmergencyPage, ReliefFundsPage); else
                                   GeneralItemPage in the kind's class (PowerItemPage and
                                   FeeItemPage need a legal basis, LandCompensationPage a
                                   location, which free text does not give)
a class code (zcfg, …)             as the class's name above
================================  ==========================================================

Body: HTML (anything with a tag) is sanitised to the rich-text features of the body (Wagtail's
own whitelister, after dropping scripts, styles, frames, forms and the like with their
content); plain text becomes one rich-text block with a paragraph per line, escaped.
Attachments are files relative to the JSONL file (never outside its folder), stored as
Wagtail documents in the unit's collection; a file already there (same content and title) is
reused, so re-importing creates no duplicates.

**Screening.** Every record goes through the automatic screening (secrecy markings, personal
data; registered by the review app through SCREEN_HOOK) before it lands. A record with findings
is not published: it lands as a draft (an update: a draft revision, the live version stays)
and is submitted to its unit's review workflow, whose screening task lists the findings for
the editor and the reviewers; the import report warns with the findings, masked, and counts
the record as "held for review".

Errors are per line: a line that is not UTF-8, invalid JSON (also nested too deeply), a missing
id or title, a control character (NUL…) in any text, a bad date or one outside 1900–today, a
missing or disallowed attachment, or one whose content is not what its name says (HTML named
.pdf: checked by the security app through CHECK_FILE_HOOK), … are reported with the line
number and the good lines still go in. Each record is atomic: a failure leaves nothing of it
behind (documents it stored are deleted again).

Speed: publishing a page the usual way (add_child, `save_revision().publish()`) saves it three
times, re-indexes it (search and reference index) on every save and queries the tree and each
foreign key again: ~150 ms CPU per corpus record here, against ~25 ms on this path (see
bench/results/import.md). A new record is inserted once, live, with its single revision and
exactly what publishing leaves: first/last published at, live and latest revision, the
`page_published` and `published` signals (so the 索引号 is assigned by the usual receiver) and
the "imported" log entry. Fields are validated (`clean_fields`; foreign keys point at objects
loaded once per import); the slug is made unique per column from a set loaded once; tree paths
are handed out per batch with the column row locked, as add_child does per page. Search and
reference indexing are deferred to one bulk pass per batch (`deferred_indexing`). Updates go
through the ordinary `save_revision().publish()`.
"""

import codecs
import datetime
import hashlib
import json
import re
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail import hooks
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Collection, Page, ReferenceIndex, Revision
from wagtail.signals import page_published, published

from .blocks import RICH_TEXT_FEATURES
from .models import (
    CatalogueClassPage,
    CatalogueIndexPage,
    CatalogueNode,
    DisclosureItem,
    EmergencyPage,
    EnforcementResultPage,
    FaqPage,
    FormDownloadPage,
    GeneralItemPage,
    Genre,
    IndexNumberSequence,
    NewsPage,
    OrganisationPage,
    PlanPage,
    PolicyDocumentPage,
    ProcurementPage,
    RecruitmentPage,
    ReliefFundsPage,
    ServiceGuidePage,
)
from .taxonomy import CATALOGUE_CLASSES, KEY_KINDS

LOG_ACTION = "disclosure_pages.import"
# Hooks that apps above this one register (this app imports none of them):
# - CHECK_FILE_HOOK: fn(path) raising ValidationError when an attachment's content is not
#   what its name says (security: HTML named .pdf, a zip bomb…).
# - SCREEN_HOOK: fn(page) → list of findings (text for the report) on a page about to be
#   imported (review: secrecy markings, personal data). A record with findings is not
#   published: it lands as a draft submitted to its unit's review workflow.
CHECK_FILE_HOOK = "gongkai_check_imported_file"
SCREEN_HOOK = "gongkai_screen_imported_page"
BATCH_SIZE = 500  # records per transaction; each record also has its own savepoint
OTHER = "其他"


# --- categories ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a category lands: a page model, its class column and its key kind."""

    model: type
    class_code: str
    kind_code: str | None


_CLASS_TARGETS = {
    "zfzn": Target(GeneralItemPage, "zfzn", "ldzc"),
    "xzql": Target(GeneralItemPage, "xzql", "xzqlsx"),
    "xzzf": Target(GeneralItemPage, "xzzf", "zfjg"),
    "zcfg": Target(PolicyDocumentPage, "zcfg", "zcwj"),
    "bszn": Target(ServiceGuidePage, "bszn", "bmfw"),
    "bgxz": Target(FormDownloadPage, "bgxz", None),
    "gzdt": Target(NewsPage, "gzdt", None),
    "wtjd": Target(FaqPage, "wtjd", None),
}
_LEGACY_TARGETS = {  # the legacy platforms' own column names (see the shared corpus)
    "法规文件": _CLASS_TARGETS["zcfg"],
    "规划计划": Target(PlanPage, "gzdt", "ghjh"),
    "财政资金": Target(GeneralItemPage, "gzdt", "qtxx"),
    "人事信息": Target(GeneralItemPage, "gzdt", None),
    OTHER: Target(GeneralItemPage, "gzdt", "qtxx"),
}
# Typed pages that a record of free text can fill (no required field it cannot supply).
_KIND_MODELS = {
    "ldzc": OrganisationPage,
    "bmfw": ServiceGuidePage,
    "sfjm": PolicyDocumentPage,
    "zcwj": PolicyDocumentPage,
    "zfjg": EnforcementResultPage,
    "zbcg": ProcurementPage,
    "rszl": RecruitmentPage,
    "ghjh": PlanPage,
    "tfsj": EmergencyPage,
    "jzkw": ReliefFundsPage,
}


def _category_table():
    table = {}
    for code, name, _description in CATALOGUE_CLASSES:
        table[code] = table[name] = _CLASS_TARGETS[code]
    for _item, code, name, class_code in KEY_KINDS:
        table[code] = table[name] = Target(
            _KIND_MODELS.get(code, GeneralItemPage), class_code, code
        )
    table.update(_LEGACY_TARGETS)
    return table


CATEGORIES = _category_table()


def resolve_category(category):
    """The target of a category name or code, and whether it was unknown (→ 其他)."""
    category = (category or "").strip()
    if not category:
        return CATEGORIES[OTHER], False
    target = CATEGORIES.get(category)
    return (target, False) if target else (CATEGORIES[OTHER], True)


# Title endings that name the 体裁, longest first.
_GENRE_SUFFIXES = [
    ("复函", Genre.LETTER),
    ("批复", Genre.REPLY),
    ("答复", Genre.REPLY),
    ("通知", Genre.NOTICE),
    ("公告", Genre.ANNOUNCEMENT),
    ("通告", Genre.BULLETIN),
    ("决定", Genre.DECISION),
    ("意见", Genre.OPINION),
    ("办法", Genre.MEASURES),
    ("规定", Genre.REGULATION),
    ("条例", Genre.REGULATION),
    ("细则", Genre.REGULATION),
    ("规划", Genre.PLAN),
    ("报告", Genre.REPORT),
    ("纪要", Genre.MINUTES),
    ("指南", Genre.GUIDE),
    ("函", Genre.LETTER),
]


def guess_genre(title):
    title = title.strip().rstrip("。．.")
    for suffix, genre in _GENRE_SUFFIXES:
        if title.endswith(suffix):
            return genre
    return Genre.OTHER


# --- body ------------------------------------------------------------------------------

# A start tag with well-formed attributes, or an end tag: "a<b & c > d" in plain text is not.
_TAG_RE = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9]*"
    r"""(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
    r"\s*/?|/[a-zA-Z][a-zA-Z0-9]*\s*)>"
)
# Dropped with everything inside them: never shown, never run.
_DROPPED_TAGS = [
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "template",
    "noscript",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "link",
    "meta",
    "base",
    "head",
    "title",
]


def looks_like_html(text):
    return bool(_TAG_RE.search(text))


def sanitise_html(html):
    """Rich text in the database format with only the body's features (no script, no event
    handler, no javascript: link): Wagtail's whitelister, after a pass that drops dangerous
    elements with their content and keeps the structure of headings and tables."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all("h1"):
        tag.name = "h2"
    for tag in soup.find_all(["h5", "h6"]):
        tag.name = "h4"
    for row in soup.find_all("tr"):  # tables are not a rich-text feature: a line per row
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
        paragraph = soup.new_tag("p")
        paragraph.string = "　".join(cell for cell in cells if cell)
        row.replace_with(paragraph)
    cleaned = EditorHTMLConverter(features=RICH_TEXT_FEATURES).to_database_format(str(soup))
    return cleaned.strip()


def text_to_html(text):
    """Plain text → one escaped paragraph per non-empty line."""
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


def body_html(body):
    body = body or ""
    return sanitise_html(body) if looks_like_html(body) else text_to_html(body)


# --- records ---------------------------------------------------------------------------


class RecordError(Exception):
    """A record that cannot be imported; the message says why."""


@dataclass
class AttachmentFile:
    path: Path
    title: str


@dataclass
class Record:
    line: int
    legacy_id: str
    title: str
    issuer: str
    doc_number: str
    date: datetime.date | None
    category: str
    target: Target
    html: str
    attachments: list
    summary: str = ""
    genre: str = Genre.OTHER
    index_number: str | None = None
    unknown_category: bool = False


# Control characters (NUL included) and lone surrogates: no legacy text needs them, and they
# break XML (the Atom feeds), PostgreSQL (NUL) and UTF-8 output (surrogates).
_INVALID_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _check_characters(name, value):
    match = _INVALID_CHARS_RE.search(value)
    if match:
        raise RecordError(
            _(
                "“%(field)s” contains a control character (U+%(code)04X) at position "
                "%(position)d; remove it and import the line again."
            )
            % {"field": name, "code": ord(match.group()), "position": match.start() + 1}
        )
    return value


def _text(data, name, max_length, *, required=False):
    value = data.get(name)
    if value is None:
        value = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(_("“%(field)s” must be text.") % {"field": name})
    value = _check_characters(name, value).strip()
    if required and not value:
        raise RecordError(_("“%(field)s” is missing.") % {"field": name})
    if len(value) > max_length:
        raise RecordError(
            _("“%(field)s” is longer than %(max)d characters.") % {"field": name, "max": max_length}
        )
    return value


_DATE_RE = re.compile(r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?$")
EARLIEST_DATE = datetime.date(1900, 1, 1)


def parse_date(value):
    """ISO dates, and the same with / . or 年月日; empty → None. Only dates from 1900 to
    today: records were published on the old platform, and year 1 or 9999 is a typing error
    (and breaks date arithmetic further on)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordError(_("Bad date “%(date)s”: use YYYY-MM-DD.") % {"date": value})
    match = _DATE_RE.match(value.strip())
    try:
        if not match:
            raise ValueError
        date = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise RecordError(_("Bad date “%(date)s”: use YYYY-MM-DD.") % {"date": value}) from None
    latest = timezone.localdate()
    if not EARLIEST_DATE <= date <= latest:
        raise RecordError(
            _("Date “%(date)s” is out of range: it must lie between %(earliest)s and %(latest)s.")
            % {"date": value, "earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()}
        )
    return date


def _attachments(data, base_dir):
    entries = data.get("attachments") or []
    if not isinstance(entries, list):
        raise RecordError(_("“attachments” must be a list of file paths."))
    allowed = {ext.lower() for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []}
    base = Path(base_dir).resolve()
    files = []
    for entry in entries:
        title = ""
        if isinstance(entry, dict):
            title = entry.get("title") or ""
            entry = entry.get("path")
        if not isinstance(entry, str) or not entry.strip() or not isinstance(title, str):
            raise RecordError(_("“attachments” must be a list of file paths."))
        _check_characters("attachments", entry)
        _check_characters("attachments", title)
        path = (base / entry.strip()).resolve()
        if Path(entry).is_absolute() or not path.is_relative_to(base):
            raise RecordError(
                _("Attachment “%(path)s” is outside the folder of the import file.")
                % {"path": entry}
            )
        if not path.is_file():
            raise RecordError(_("Attachment “%(path)s” not found.") % {"path": entry})
        extension = path.suffix.lower().lstrip(".")
        if allowed and extension not in allowed:
            raise RecordError(
                _("Attachment “%(path)s”: file type “%(ext)s” is not allowed.")
                % {"path": entry, "ext": extension}
            )
        for check in hooks.get_hooks(CHECK_FILE_HOOK):
            try:
                check(path)
            except ValidationError as error:
                raise RecordError(" ".join(error.messages)) from None
        files.append(AttachmentFile(path=path, title=title.strip()[:255] or path.stem))
    return files


def parse_record(line_number, text, base_dir):
    """One line → a Record, or RecordError saying what is wrong with it."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise RecordError(_("Invalid JSON: %(error)s") % {"error": error}) from None
    except RecursionError:  # a line of ten thousand "[": no record is nested like that
        raise RecordError(_("Invalid JSON: nested too deeply.")) from None
    if not isinstance(data, dict):
        raise RecordError(_("Each line must be a JSON object."))
    legacy_id = _text(data, "id", 100, required=True)
    title = _text(data, "title", 255, required=True)
    category = _text(data, "category", 100) or _text(data, "category_hint", 100)
    target, unknown = resolve_category(category)
    genre = _text(data, "genre", 10)
    if genre and genre not in Genre.values:
        raise RecordError(_("Unknown genre “%(genre)s”.") % {"genre": genre})
    body = data.get("body") or ""
    if not isinstance(body, str):
        raise RecordError(_("“%(field)s” must be text.") % {"field": "body"})
    _check_characters("body", body)
    return Record(
        line=line_number,
        legacy_id=legacy_id,
        title=title,
        issuer=_text(data, "issuer", 200),
        doc_number=_text(data, "doc_number", 100),
        date=parse_date(data.get("date")),
        category=category,
        target=target,
        html=_body_html(body),
        attachments=_attachments(data, base_dir),
        summary=_text(data, "summary", 300),
        genre=genre or guess_genre(title),
        index_number=_text(data, "index_number", 40) or None,
        unknown_category=unknown,
    )


def _body_html(body):
    try:
        return body_html(body)
    except RecursionError:  # markup nested thousands deep
        raise RecordError(_("“body” is nested too deeply to be read as HTML.")) from None


# --- the report ------------------------------------------------------------------------


@dataclass
class Issue:
    line: int
    message: str
    legacy_id: str = ""

    def __str__(self):
        where = _("line %(line)d") % {"line": self.line}
        if self.legacy_id:
            where += f" ({self.legacy_id})"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0  # landed as drafts for review: the screening found something
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    pages: list = field(default_factory=list)  # pks of pages created or updated

    @property
    def failed(self):
        return len(self.errors)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged + self.held + self.failed

    def summary(self):
        return _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(held)d held "
            "for review, %(failed)d failed."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "held": self.held,
            "failed": self.failed,
        }


# --- deferred search and reference indexing --------------------------------------------

_deferred = threading.local()
_gate_lock = threading.Lock()
_gated_models = set()


def _gated_search_update(sender, instance, raw=False, **kwargs):
    """Stands in for modelsearch's post_save receiver: the same, unless this thread is
    deferring indexing; then the object is only noted for the bulk pass."""
    if raw:
        return
    pending = getattr(_deferred, "pending", None)
    if pending is not None:
        pending.note(instance)
        return
    from modelsearch.signal_handlers import post_save_signal_handler

    post_save_signal_handler(instance, raw=raw, **kwargs)


def _install_gates():
    """Route modelsearch's per-model post_save receivers through the gate (once per model)."""
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    with _gate_lock:
        for model in index.get_indexed_models():
            if model in _gated_models:
                continue
            # Connect first: a save in between is indexed twice rather than not at all.
            post_save.connect(_gated_search_update, sender=model)
            if not post_save.disconnect(post_save_signal_handler, sender=model):
                post_save.disconnect(_gated_search_update, sender=model)  # not auto-updated
            _gated_models.add(model)


class PendingIndex:
    """Objects saved while indexing is deferred; `flush()` indexes them in bulk: the search
    index (each page as its most specific type) and the reference index."""

    chunk = 500

    def __init__(self):
        self.objects = defaultdict(set)

    def __len__(self):
        return sum(len(pks) for pks in self.objects.values())

    def note(self, instance):
        self.objects[type(instance)].add(instance.pk)

    def flush(self):
        from modelsearch.index import get_indexed_models
        from wagtail.search.backends import get_search_backends

        pending, self.objects = self.objects, defaultdict(set)
        by_model = defaultdict(list)
        for model, pks in pending.items():
            if not issubclass(model, Page):
                by_model[model].extend(pks)
                continue
            pks = sorted(pks)
            for start in range(0, len(pks), self.chunk):  # each page as its specific type
                for pk, content_type in Page.objects.filter(
                    pk__in=pks[start : start + self.chunk]
                ).values_list("pk", "content_type"):
                    specific = ContentType.objects.get_for_id(content_type).model_class()
                    by_model[specific].append(pk)
        loaded = {}
        for model, pks in by_model.items():
            pks.sort()
            # Loaded as update_index loads them: the index's related fields prefetched.
            queryset = (
                model.get_indexed_objects()
                if hasattr(model, "get_indexed_objects")
                else model._default_manager.all()
            )
            if issubclass(model, DisclosureItem):  # names of its class and kind are indexed
                queryset = queryset.select_related("catalogue_class", "key_kind", "unit")
            if issubclass(model, ClusterableModel):  # read by the reference index: 2 queries
                queryset = queryset.prefetch_related(  # per page otherwise (tags, comments)
                    *(rel.get_accessor_name() for rel in get_all_child_relations(model))
                )
            loaded[model] = [
                obj
                for start in range(0, len(pks), self.chunk)
                for obj in queryset.filter(pk__in=pks[start : start + self.chunk])
            ]
        indexed = set(get_indexed_models())
        backends = list(get_search_backends(with_auto_update=True))
        with transaction.atomic():  # one commit, not one per object
            self._index(loaded, indexed, backends)

    def _index(self, loaded, indexed, backends):
        for model, objects in loaded.items():
            if model in indexed:
                for backend in backends:
                    for start in range(0, len(objects), self.chunk):
                        backend.add_bulk(model, objects[start : start + self.chunk])
            if ReferenceIndex.is_indexed(model):
                for start in range(0, len(objects), self.chunk):
                    update_reference_index(model, objects[start : start + self.chunk])


def update_reference_index(model, objects):
    """`ReferenceIndex.create_or_update_for_object` for many objects of one model: the same
    records, but the existing ones read in one query and the new ones written in one insert,
    instead of two or three queries per object."""
    if not objects:
        return
    content_types = [
        ContentType.objects.get_for_model(cls, for_concrete_model=False)
        for cls in [model, *model._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    known_content_type_ids = {ct.id for ct in content_types}
    found = {
        str(obj.pk): set(ReferenceIndex._extract_references_from_object(obj)) for obj in objects
    }
    rows = ReferenceIndex.objects.filter(
        base_content_type=base_content_type, object_id__in=list(found)
    ).values_list(
        "object_id",
        "to_content_type",
        "to_object_id",
        "model_path",
        "content_path",
        "content_type_id",
        "id",
    )
    existing = defaultdict(dict)
    for object_id, *reference, ct_id, pk in rows:
        existing[object_id][tuple(reference)] = (ct_id, pk)
    new, stale = [], []
    for object_id, references in found.items():
        known = existing.get(object_id, {})
        new.extend(
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=object_id,
                to_content_type_id=to_ct_id,
                to_object_id=to_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_ct_id, to_id, model_path, content_path in references - set(known)
        )
        # As Wagtail does: a record made for a more specific type than this model is kept.
        stale.extend(
            pk
            for reference, (ct_id, pk) in known.items()
            if reference not in references and ct_id in known_content_type_ids
        )
    ignore = {"ignore_conflicts": True} if connection.features.supports_ignore_conflicts else {}
    ReferenceIndex.objects.bulk_create(new, **ignore)
    if stale:
        ReferenceIndex.objects.filter(id__in=stale).delete()


@contextmanager
def deferred_indexing():
    """Within the block, this thread's saves are not indexed one by one (search index and
    reference index) but noted in the yielded PendingIndex; call its `flush()` to index
    them in bulk (e.g. after each committed batch). What is left is flushed at the end."""
    from wagtail.signal_handlers import disable_reference_index_auto_update

    _install_gates()
    outer = getattr(_deferred, "pending", None)
    if outer is not None:  # nested: the outer block flushes
        yield outer
        return
    pending = _deferred.pending = PendingIndex()
    try:
        with disable_reference_index_auto_update():
            yield pending
    finally:
        _deferred.pending = None
    pending.flush()


# --- the import ------------------------------------------------------------------------


class UnitCatalogue:
    """A unit's catalogue, loaded once per import: its columns, the taxonomy, its collection,
    and the tree positions handed out to new pages during the current batch."""

    def __init__(self, unit):
        self.unit = unit
        catalogue = CatalogueIndexPage.objects.child_of(unit).first()
        if catalogue is None:
            raise ValueError(_("Unit “%(unit)s” has no catalogue.") % {"unit": unit.slug})
        self.columns = {
            column.node.code: column
            for column in CatalogueClassPage.objects.child_of(catalogue).select_related("node")
        }
        self.nodes = {node.code: node for node in CatalogueNode.objects.all()}
        self.collection = unit.collection or Collection.get_first_root_node()
        self._slugs = {}
        self._relations = {}
        self._last_step = {}  # column pk → step of its last child, during a batch
        self._in_batch = False
        self._sequences = {}  # year → [IndexNumberSequence row, last number], during a batch
        self._numbers_taken = set()  # 索引号 of the unit in the years of _sequences

    def column(self, class_code):
        column = self.columns.get(class_code)
        if column is None:
            raise RecordError(
                _("The unit's catalogue has no “%(class)s” column.") % {"class": class_code}
            )
        return column

    def relation_fields(self, model):
        if model not in self._relations:
            self._relations[model] = [
                *("path", "depth", "url_path"),  # set by the tree on insert
                *(field.name for field in model._meta.concrete_fields if field.is_relation),
            ]
        return self._relations[model]

    def free_slug(self, column, wanted):
        slugs = self._slugs.get(column.pk)
        if slugs is None:
            slugs = self._slugs[column.pk] = set(
                Page.objects.child_of(column).values_list("slug", flat=True)
            )
        slug, suffix = wanted, 1
        while slug in slugs:
            suffix += 1
            slug = f"{wanted}-{suffix}"
        slugs.add(slug)
        return slug

    def next_path(self, column):
        """The treebeard path of a new last child of `column`, as add_child would compute
        it, without its three queries per page: the column row is locked (as add_child
        does) and its last child read once per batch; `end_batch` fixes numchild."""
        step = self._last_step.get(column.pk)
        if step is None:
            # Lock the column row until the batch commits, as add_child does for each page.
            list(Page.objects.select_for_update().filter(pk=column.pk).values_list("pk"))
            last = (
                Page.objects.filter(path__startswith=column.path, depth=column.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            step = Page._str2int(last[-Page.steplen :]) if last else 0
        step += 1
        self._last_step[column.pk] = step
        return Page._get_path(column.path, column.depth + 1, step)

    def begin_batch(self):
        self._in_batch = True

    def index_number(self, year):
        """The 索引号 that first publication would give a new page of `year` now
        (`next_index_number`: the unit's sequence, numbers already taken skipped), or None
        outside a batch, where publication numbers it as usual. The sequence row is read and
        locked once per batch and year instead of once per page; the new value is written at
        once, inside the record's savepoint."""
        if not self._in_batch:
            return None
        org_code = self.unit.org_code
        sequence = self._sequences.get(year)
        if sequence is None:
            row, _created = IndexNumberSequence.objects.select_for_update().get_or_create(
                org_code=org_code, year=year
            )
            self._numbers_taken.update(
                DisclosureItem.objects.filter(
                    index_number__startswith=f"{org_code}/{year}-"
                ).values_list("index_number", flat=True)
            )
            sequence = self._sequences[year] = [row, row.last]
        while True:
            sequence[1] += 1
            number = f"{org_code}/{year}-{sequence[1]:05d}"
            if number not in self._numbers_taken:
                break
        IndexNumberSequence.objects.filter(pk=sequence[0].pk).update(last=sequence[1])
        self._numbers_taken.add(number)
        return number

    def note_index_number(self, number):
        self._numbers_taken.add(number)

    def forget_record(self):
        """A record failed and its savepoint was rolled back: numbers are read again."""
        self._sequences = {}
        self._numbers_taken = set()

    def end_batch(self):
        """Count the children of the columns that got new pages (a failed record leaves only a
        harmless gap in the paths, never a wrong count)."""
        for column in self.columns.values():
            if column.pk in self._last_step:
                column.numchild = Page.objects.filter(
                    path__startswith=column.path, depth=column.depth + 1
                ).count()
                Page.objects.filter(pk=column.pk).update(numchild=column.numchild)
        self._last_step = {}
        self._in_batch = False
        self.forget_record()

    def discard_batch(self):
        self._last_step = {}
        self._slugs = {}
        self._in_batch = False
        self.forget_record()


def _file_hash(path):
    digest = hashlib.sha1()  # Wagtail's own document file_hash (not for security)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _store_attachments(record, catalogue, user, stored):
    """Documents for the record's files: an identical one in the unit's collection is reused.
    Newly stored files are added to `stored` so a failed record can delete them again."""
    Document = get_document_model()
    blocks = []
    for attachment in record.attachments:
        file_hash = _file_hash(attachment.path)
        document = Document.objects.filter(
            collection=catalogue.collection, file_hash=file_hash, title=attachment.title
        ).first()
        if document is None:
            document = Document(
                title=attachment.title, collection=catalogue.collection, uploaded_by_user=user
            )
            with open(attachment.path, "rb") as handle:
                document.file.save(attachment.path.name, File(handle), save=False)
            stored.append(document.file)
            document.file_size = attachment.path.stat().st_size
            document.file_hash = file_hash
            document.save()
        blocks.append({"type": "attachment", "value": {"document": document.pk, "title": ""}})
    return blocks


def _fields_for(record, catalogue, attachments):
    """The page fields a record sets (the same for a new page and an update)."""
    target = record.target
    fields = {
        "title": record.title,
        "issuer": record.issuer or catalogue.unit.title,
        "doc_number": record.doc_number,
        "written_date": record.date,
        "genre": record.genre,
        "summary": record.summary,
        "key_kind": catalogue.nodes.get(target.kind_code) if target.kind_code else None,
        "attachments": attachments,
    }
    if record.date:  # else publication sets today's date, and an update keeps it
        fields["publish_date"] = fields["formed_date"] = record.date
    body = [{"type": "paragraph", "value": record.html}] if record.html else []
    if target.model is FaqPage:  # the title asks, the body answers
        fields.update(question=record.title, answer=record.html or escape(record.title))
        body = []
    if target.model is PlanPage:
        fields["plan_year"] = record.date.year if record.date else None
    if target.model is ProcurementPage:
        fields["project_name"] = record.title[:200]
    fields["body"] = body
    return fields


def _stream_signature(value):
    """A StreamField value without its block ids, to compare content."""
    raw = value.raw_data if hasattr(value, "raw_data") else value
    return [(block["type"], block["value"]) for block in raw]


def _has_changed(page, fields):
    for name, value in fields.items():
        current = getattr(page, name)
        if name in ("body", "attachments"):
            if _stream_signature(current) != _stream_signature(value):
                return True
        elif name == "key_kind":
            if page.key_kind_id != (value.pk if value else None):
                return True
        elif current != value:
            return True
    return False


def screen(page):
    """What the screening hooks find in a page about to be imported (empty: nothing, or no
    screening app installed)."""
    findings = []
    for screen_page in hooks.get_hooks(SCREEN_HOOK):
        findings += screen_page(page)
    return findings


def _submit_for_review(page, user):
    """A draft with findings goes to its unit's review workflow, whose screening task lists
    them for the editor and reviewers (without a workflow it stays a draft)."""
    workflow = page.get_workflow()
    if workflow is not None and workflow.active:
        workflow.start(page, user)


def _create(record, catalogue, user, attachments):
    """The fast path: insert the page live with its one revision, as publishing leaves it.
    When the screening finds something, the page is inserted as a draft instead and submitted
    for review. Returns (page, findings)."""
    target = record.target
    column = catalogue.column(target.class_code)
    model = target.model
    now = timezone.now()
    page = model(
        slug=catalogue.free_slug(column, slugify(record.legacy_id, allow_unicode=True) or "item"),
        legacy_id=record.legacy_id,
        index_number=record.index_number,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        owner=user,
        locale_id=column.locale_id,  # the parent's, as Page.get_default_locale would query
        unit=catalogue.unit,
        catalogue_class=column.node,
        **_fields_for(record, catalogue, attachments),
    )
    if page.key_kind is None and model.key_kind_code:
        page.key_kind = catalogue.nodes.get(model.key_kind_code)
    if model is ServiceGuidePage:
        page.fees = ""  # unknown: the model's default "free of charge" would be a claim
    # Validate every field but the foreign keys, which point at objects loaded above (a live
    # page's full_clean would query each one); the slug is unique by free_slug.
    page.clean_fields(exclude=catalogue.relation_fields(model))
    findings = screen(page)
    if findings:  # a draft: never public before a reviewer has seen the findings
        page.live = False
        page.has_unpublished_changes = True
        page.first_published_at = page.last_published_at = None
    # What first publication records (record_first_publication), set before the insert
    # instead of updated after it: the 发布日期 and, unless the record brings one, the 索引号.
    # A draft gets them when it is published.
    elif page.publish_date is None:
        page.publish_date = timezone.localdate()
    if page.index_number is None:
        if not findings:
            page.index_number = catalogue.index_number(page.publish_date.year)
    else:  # a legacy 索引号: later numbers of this batch skip it
        catalogue.note_index_number(page.index_number)
    page.depth, page.path, page.numchild = column.depth + 1, catalogue.next_path(column), 0
    page._cached_parent_obj = column  # what add_child leaves, so get_parent() needs no query
    page._is_site_root = False  # an item never roots a site (Page.save would ask)
    # Unit, class, kind and issuer are set above from the column; deriving them from the tree
    # again would cost two queries a page (a test checks both give the same).
    page._place_in_catalogue = _already_placed
    page.save(clean=False, log_action=None)  # the import log entry below records creation
    del page._place_in_catalogue
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
    )
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=None if findings else revision,
        latest_revision_created_at=revision.created_at,
        draft_title=page.title,
    )
    page.latest_revision = revision
    page.live_revision = None if findings else revision
    page.latest_revision_created_at = revision.created_at
    log(
        instance=page,
        action=LOG_ACTION,
        user=user,
        revision=revision,
        content_changed=True,
        data={"legacy_id": record.legacy_id, "held_for_review": bool(findings)},
    )
    if findings:
        _submit_for_review(page, user)
        return page, findings
    # What publishing announces: the 索引号 and any other receiver of first publication.
    page_published.send(sender=model, instance=page, revision=revision)
    published.send(sender=model, instance=page, revision=revision)
    return page, findings


def _already_placed():
    pass


def _update(record, page, catalogue, user, attachments):
    """Same legacy id again: publish a new revision if anything changed, or, when the
    screening finds something in it, keep it as a draft submitted for review (the live
    version stays). Returns ("updated" | "unchanged" | "held", findings)."""
    target = record.target
    if page.unit_id != catalogue.unit.pk:
        raise RecordError(
            _("Already imported into another unit (%(unit)s).") % {"unit": page.unit_name}
        )
    if type(page) is not target.model:
        raise RecordError(
            _("Already imported as a %(old)s; category “%(category)s” needs a %(new)s.")
            % {
                "old": page._meta.verbose_name,
                "category": record.category,
                "new": target.model._meta.verbose_name,
            }
        )
    if not page.live:
        raise RecordError(_("Withdrawn on this platform: not published again."))
    if page.has_unpublished_changes:
        raise RecordError(_("Has unpublished changes on this platform: not overwritten."))
    fields = _fields_for(record, catalogue, attachments)
    column = catalogue.column(target.class_code)
    moved = page.get_parent().pk != column.pk
    if not moved and not _has_changed(page, fields):
        return "unchanged", []
    for name, value in fields.items():
        setattr(page, name, value)
    findings = screen(page)
    if findings:
        page.save_revision(user=user, log_action=LOG_ACTION)
        _submit_for_review(page, user)
        return "held", findings
    if moved:
        page.move(column, pos="last-child", user=user)
        page = DisclosureItem.objects.get(pk=page.pk).specific
        for name, value in fields.items():
            setattr(page, name, value)
    revision = page.save_revision(user=user, log_action=False)
    revision.publish(user=user, log_action=LOG_ACTION, skip_permission_checks=True)
    return "updated", []


_LOOK_UP = object()


def import_record(record, catalogue, *, user=None, existing_pk=_LOOK_UP):
    """Create or update the page of one record: returns ("created" | "updated" |
    "unchanged" | "held", page pk, screening findings); "held" is a draft submitted for
    review because the screening found something. `existing_pk` is the pk of the page already imported with the
    record's legacy id, or None when there is none (looked up when not given). Atomic: on
    any error nothing of the record stays, not even the files it stored."""
    stored = []
    try:
        with transaction.atomic():
            attachments = _store_attachments(record, catalogue, user, stored)
            if existing_pk is _LOOK_UP:
                existing_pk = (
                    DisclosureItem.objects.filter(legacy_id=record.legacy_id)
                    .values_list("pk", flat=True)
                    .first()
                )
            if existing_pk is None:
                page, findings = _create(record, catalogue, user, attachments)
                return ("held" if findings else "created"), page.pk, findings
            page = Page.objects.get(pk=existing_pk).specific
            outcome, findings = _update(record, page, catalogue, user, attachments)
            return outcome, page.pk, findings
    except BaseException:
        catalogue.forget_record()
        for stored_file in stored:
            stored_file.storage.delete(stored_file.name)
        raise


def _describe(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    return str(error) or error.__class__.__name__


def import_lines(lines, unit, *, base_dir, user=None, on_issue=None, batch_size=BATCH_SIZE):
    """Import JSON Lines (an iterable of strings, numbered from 1) into `unit`.

    `base_dir` is the folder attachments are relative to; `on_issue(kind, issue)` is called
    for each "error" or "warning" as it happens. Blank lines are skipped. Records are
    committed in batches of `batch_size`, each record in its own savepoint."""
    catalogue = UnitCatalogue(unit)
    report = ImportReport()

    def issue(kind, line, message, legacy_id=""):
        item = Issue(line=line, message=message, legacy_id=legacy_id)
        (report.errors if kind == "error" else report.warnings).append(item)
        if on_issue:
            on_issue(kind, item)

    def import_one(line_number, record, existing):
        try:
            outcome, pk, findings = import_record(
                record, catalogue, user=user, existing_pk=existing.get(record.legacy_id)
            )
        except RecordError as error:
            issue("error", line_number, str(error), record.legacy_id)
            return
        except Exception as error:  # one record's failure must not stop the others
            issue("error", line_number, _describe(error), record.legacy_id)
            return
        existing[record.legacy_id] = pk  # the same id again later in the file updates it
        if record.unknown_category:
            issue(
                "warning",
                line_number,
                _("Unknown category “%(category)s”: imported as %(other)s.")
                % {"category": record.category, "other": OTHER},
                record.legacy_id,
            )
        if findings:
            issue(
                "warning",
                line_number,
                _("Held for review as a draft, not published: the screening found %(findings)s")
                % {"findings": "；".join(str(finding) for finding in findings)},
                record.legacy_id,
            )
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            report.pages.append(pk)

    def run_batch(batch):
        parsed = []
        for line_number, text in batch:
            try:
                parsed.append((line_number, parse_record(line_number, text, base_dir), None))
            except RecordError as error:
                parsed.append((line_number, None, error))
            except Exception as error:  # one line's surprise must not stop the others
                parsed.append((line_number, None, RecordError(_describe(error))))
        legacy_ids = [record.legacy_id for _line, record, _error in parsed if record]
        try:
            with transaction.atomic():
                catalogue.begin_batch()
                existing = dict(
                    DisclosureItem.objects.filter(legacy_id__in=legacy_ids).values_list(
                        "legacy_id", "pk"
                    )
                )
                for line_number, record, error in parsed:
                    if error is not None:
                        issue("error", line_number, str(error))
                    else:
                        import_one(line_number, record, existing)
                catalogue.end_batch()
        except BaseException:
            catalogue.discard_batch()
            raise

    with deferred_indexing() as pending:
        batch = []
        for line_number, text in enumerate(lines, start=1):
            if isinstance(text, bytes):  # a file read as bytes: each line decoded on its own
                if line_number == 1:
                    text = text.removeprefix(codecs.BOM_UTF8)
                try:
                    text = text.decode("utf-8")
                except UnicodeDecodeError as error:
                    issue(
                        "error",
                        line_number,
                        _(
                            "Not valid UTF-8 (byte %(position)d of the line): save the file as "
                            "UTF-8 and import it again."
                        )
                        % {"position": error.start + 1},
                    )
                    continue
            if not text.strip():
                continue
            batch.append((line_number, text))
            if len(batch) >= batch_size:
                run_batch(batch)
                pending.flush()
                batch = []
        if batch:
            run_batch(batch)
    return report


def import_file(path, unit, *, user=None, on_issue=None, batch_size=BATCH_SIZE):
    """Import a JSONL file into `unit`; attachments are relative to the file's folder.
    Read as bytes, so a line that is not UTF-8 is reported by its number and the others go
    in."""
    path = Path(path)
    with open(path, "rb") as handle:
        return import_lines(
            handle,
            unit,
            base_dir=path.parent,
            user=user,
            on_issue=on_issue,
            batch_size=batch_size,
        )
