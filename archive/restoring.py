"""Restore an archive package into an installation where its unit exists without its items.

The package is verified first; nothing is written unless it is complete and unchanged. Pages
are re-created under the unit's catalogue column of their class, with their archived content,
索引号 (kept, never reassigned: `record_first_publication` only numbers items without one),
publication state and dates, revisions, review records, and attachments re-created from the
archived bytes. Everything happens in one transaction; files written to storage before a
failure are deleted again, so a failed import leaves nothing.
"""

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Page, Revision, Task, TaskState, Workflow, WorkflowState
from wagtail.signals import page_published, published

from disclosure_pages.models import (
    CatalogueClassPage,
    CatalogueIndexPage,
    CatalogueNode,
    DisclosureItem,
    IndexNumberSequence,
)
from review.models import FilingRecord, ScreeningOverride, ScreeningReport, Withdrawal
from unit_sites.models import UnitPage

from .exporting import FORMAT, ArchiveError, verify_package
from .references import (
    DOCUMENT,
    IMAGE,
    LOCALE,
    NODE,
    PAGE,
    REVISION,
    TAG,
    UNIT,
    USER,
    map_content,
)

LOG_ACTION = "archive.restore"
FINISHED_WORKFLOW = (
    WorkflowState.STATUS_APPROVED,
    WorkflowState.STATUS_NEEDS_CHANGES,
    WorkflowState.STATUS_CANCELLED,
)
_INDEX_NUMBER = re.compile(r"^(?P<code>[^/]+)/(?P<year>\d{4})-(?P<seq>\d+)$")


@dataclass
class ImportResult:
    pages: list = field(default_factory=list)
    documents: int = 0
    images: int = 0
    revisions: int = 0
    warnings: list = field(default_factory=list)


def _when(value):
    return parse_datetime(value) if value else None


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_package(bag_dir):
    """Verify the bag and read its package description, index and item metadata."""
    bag_dir = Path(bag_dir)
    problems = verify_package(bag_dir)
    if problems:
        raise ArchiveError(
            _("The archive package failed verification, nothing was imported:\n%(problems)s")
            % {"problems": "\n".join(f"- {problem}" for problem in problems)}
        )
    data = bag_dir / "data"
    package = _load(data / "package.json")
    if package.get("format") != FORMAT:
        raise ArchiveError(
            _("Unknown archive format %(format)s.") % {"format": package.get("format")}
        )
    index = _load(data / "items.json")
    items = [
        (data / "items" / entry["key"], _load(data / "items" / entry["key"] / "metadata.json"))
        for entry in index
    ]
    return package, items


class _Restorer:
    def __init__(self, unit, user, result):
        self.unit = unit
        self.user = user
        self.result = result
        self.pages = {}  # archived page id → new page id (items of the package)
        self.documents = {}  # archived document id → new id
        self.images = {}
        self.revisions = {}
        self.stored = []  # (storage, name) of files written, to delete if the import fails
        self.users = {}
        self.collection = (
            unit.collection if unit.collection_id else Collection.get_first_root_node()
        )
        catalogue = CatalogueIndexPage.objects.child_of(unit).first()
        if catalogue is None:
            raise ArchiveError(
                _("The unit %(unit)s has no disclosure catalogue.") % {"unit": unit.title}
            )
        self.columns = {
            column.node.code: column
            for column in CatalogueClassPage.objects.child_of(catalogue).select_related("node")
        }

    # --- references ------------------------------------------------------------------

    def user_named(self, username):
        if not username:
            return None
        if username not in self.users:
            self.users[username] = get_user_model().objects.filter(username=username).first()
        return self.users[username]

    def required_user(self, username, what):
        """A user for a record that must name one: the archived account, else the importer."""
        found = self.user_named(username) or self.user
        if found is None:
            raise ArchiveError(
                _(
                    "The account %(name)s who %(what)s does not exist in this installation; "
                    "name an account to record it with (--user)."
                )
                % {"name": username, "what": what}
            )
        return found

    def resolver(self, item_dir, refs):
        def resolve(kind, old_id):
            if old_id is None:
                return None
            key = str(old_id)
            if kind == DOCUMENT:
                entry = refs["documents"].get(key)
                return self.document(item_dir, entry) if entry else None
            if kind == IMAGE:
                entry = refs["images"].get(key)
                return self.image(item_dir, entry) if entry else None
            if kind == PAGE:
                return self.page_for(old_id, refs["pages"].get(key))
            if kind == NODE:
                code = refs["nodes"].get(key)
                node = CatalogueNode.objects.filter(code=code).first() if code else None
                return node.pk if node else None
            if kind == USER:
                found = self.user_named(refs["users"].get(key))
                return found.pk if found else None
            if kind == TAG:
                name = refs["tags"].get(key)
                return Tag.objects.get_or_create(name=name)[0].pk if name else None
            if kind == UNIT:
                return self.unit.pk
            if kind == LOCALE:
                return self.unit.locale_id
            if kind == REVISION:
                return self.revisions.get(old_id)
            return None

        return resolve

    def page_for(self, old_id, entry):
        """An archived page reference: an item of this package, else the same 索引号 or the
        same address in this installation, else nothing."""
        if old_id in self.pages:
            return self.pages[old_id]
        if not entry:
            return None
        if entry.get("index_number"):
            pk = (
                DisclosureItem.objects.filter(index_number=entry["index_number"])
                .values_list("pk", flat=True)
                .first()
            )
            if pk:
                return pk
        return (
            Page.objects.filter(url_path=entry.get("url_path")).values_list("pk", flat=True).first()
        )

    # --- files -----------------------------------------------------------------------

    def _bytes(self, item_dir, entry):
        data = (item_dir / entry["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise ArchiveError(
                _("%(path)s does not match its recorded checksum.") % {"path": entry["file"]}
            )
        return data

    def _store(self, obj, entry, data):
        obj.file.save(entry["filename"], ContentFile(data), save=False)
        self.stored.append((obj.file.storage, obj.file.name))

    def _finish_file(self, obj, entry):
        obj.save()
        if entry.get("created_at"):
            type(obj).objects.filter(pk=obj.pk).update(created_at=_when(entry["created_at"]))
        if entry.get("tags"):
            obj.tags.add(*entry["tags"])

    def document(self, item_dir, entry):
        if entry["id"] in self.documents:
            return self.documents[entry["id"]]
        data = self._bytes(item_dir, entry)
        document = get_document_model()(title=entry["title"], collection=self.collection)
        self._store(document, entry, data)
        document.file_size = len(data)
        document.file_hash = hashlib.sha1(data).hexdigest()  # what Wagtail's hash_filelike gives
        self._finish_file(document, entry)
        self.documents[entry["id"]] = document.pk
        self.result.documents += 1
        return document.pk

    def image(self, item_dir, entry):
        import willow

        if entry["id"] in self.images:
            return self.images[entry["id"]]
        data = self._bytes(item_dir, entry)
        width, height = willow.Image.open(io.BytesIO(data)).get_size()
        image = get_image_model()(
            title=entry["title"], collection=self.collection, width=width, height=height
        )
        focal = entry.get("focal_point") or [None] * 4
        (image.focal_point_x, image.focal_point_y) = focal[0], focal[1]
        (image.focal_point_width, image.focal_point_height) = focal[2], focal[3]
        self._store(image, entry, data)
        image.file_size = len(data)
        image.file_hash = hashlib.sha1(data).hexdigest()
        self._finish_file(image, entry)
        self.images[entry["id"]] = image.pk
        self.result.images += 1
        return image.pk

    def delete_stored_files(self):
        for storage, name in self.stored:
            try:
                storage.delete(name)
            except OSError:
                pass

    # --- pages -----------------------------------------------------------------------

    @staticmethod
    def _placed(content, page, model):
        """Content with this installation's place of the page in the tree."""
        content = dict(content)
        content.update(
            pk=page.pk if page else None,
            path=page.path if page else "",
            depth=page.depth if page else 0,
            numchild=0,
            url_path=page.url_path if page else "",
            content_type=ContentType.objects.get_for_model(model).pk,
            alias_of=None,
            wagtail_admin_comments=[],  # editors' comment threads are not archived
        )
        content["tagged_items"] = [
            {**item, "pk": None, "content_object": page.pk if page else None}
            for item in content.get("tagged_items") or []
        ]
        return content

    def create_page(self, item_dir, metadata):
        """Pass 1: the page, placed in its catalogue column; references to other items of
        the package are filled in by pass 2, once every item has its new id."""
        model = apps.get_model(metadata["page_type"])
        if not issubclass(model, DisclosureItem):
            raise ArchiveError(
                _("%(type)s is not a disclosure page type.") % {"type": metadata["page_type"]}
            )
        class_code = (metadata.get("catalogue_class") or {}).get("code")
        column = self.columns.get(class_code)
        if column is None:
            raise ArchiveError(
                _("The unit %(unit)s has no catalogue column %(code)s for %(title)s.")
                % {"unit": self.unit.title, "code": class_code, "title": metadata["title"]}
            )
        refs = metadata["references"]
        content = map_content(model, metadata["content"], self.resolver(item_dir, refs))
        content = self._placed(content, None, model)
        content.update(latest_revision=None, live_revision=None)
        page = model.from_serializable_data(content)
        page.pk = page.id = None
        page.index_number = metadata["index_number"]
        try:
            column.add_child(instance=page)
        except ValidationError as error:
            raise ArchiveError(
                _("%(title)s cannot be restored: %(error)s")
                % {"title": metadata["title"], "error": "; ".join(error.messages)}
            ) from error
        self.pages[int(metadata["content"]["pk"])] = page.pk
        return page

    def complete_page(self, page, item_dir, metadata, revisions):
        """Pass 2: references to other items, the revisions, the publication state."""
        model = type(page)
        refs = metadata["references"]
        resolve = self.resolver(item_dir, refs)
        content = self._placed(map_content(model, metadata["content"], resolve), page, model)
        final = model.from_serializable_data(
            {**content, "latest_revision": None, "live_revision": None}
        )
        changed = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in ("latest_revision", "live_revision")
            and not f.primary_key
            and getattr(final, f.attname) != getattr(page, f.attname)
            and f.name in metadata["content"]
            and f.name not in ("path", "depth", "numchild", "url_path", "content_type")
        ]
        if changed:
            for name in changed:
                setattr(page, name, getattr(final, name))
            page.save(clean=False, update_fields=changed)

        base_type = page.get_base_content_type()
        own_type = ContentType.objects.get_for_model(model)
        for archived in revisions:
            revision_content = self._placed(
                map_content(model, archived["content"], resolve), page, model
            )
            revision = Revision.objects.create(
                content_type=own_type,
                base_content_type=base_type,
                object_id=str(page.pk),
                user=self.user_named(archived["user"]),
                created_at=_when(archived["created_at"]),
                approved_go_live_at=_when(archived["approved_go_live_at"]),
                object_str=archived["object_str"],
                content=revision_content,
            )
            self.revisions[archived["id"]] = revision.pk
            self.result.revisions += 1
        latest = next(
            (r for r in revisions if r["is_latest"]), revisions[-1] if revisions else None
        )
        live = next((r for r in revisions if r["is_live"]), None)
        original = metadata["content"]
        Page.objects.filter(pk=page.pk).update(
            live=original.get("live", False),
            has_unpublished_changes=original.get("has_unpublished_changes", False),
            first_published_at=_when(original.get("first_published_at")),
            last_published_at=_when(original.get("last_published_at")),
            go_live_at=_when(original.get("go_live_at")),
            expire_at=_when(original.get("expire_at")),
            expired=original.get("expired", False),
            draft_title=original.get("draft_title") or page.title,
            latest_revision_id=self.revisions.get(latest["id"]) if latest else None,
            live_revision_id=self.revisions.get(live["id"]) if live else None,
            latest_revision_created_at=_when(latest["created_at"]) if latest else None,
        )
        page.refresh_from_db()
        return page

    # --- review records --------------------------------------------------------------

    def restore_review(self, page, item_dir, metadata, review):
        refs = metadata["references"]
        resolve = self.resolver(item_dir, refs)
        for data in review.get("withdrawals", []):
            url_parts = page.get_url_parts()  # as review.views.withdraw_page records it
            Withdrawal.objects.create(
                page=page,
                site_id=url_parts[0] if url_parts else None,
                path=data["path"],
                title=data["title"],
                reason=data["reason"],
                note=data["note"],
                successor_id=resolve(PAGE, data.get("successor_id")),
                withdrawn_by=self.required_user(data["withdrawn_by"], _("withdrew the item")),
                withdrawn_at=_when(data["withdrawn_at"]),
            )
        for data in review.get("filing_records", []):
            if FilingRecord.objects.filter(number=data["number"]).exists():
                raise ArchiveError(
                    _("The filing number %(number)s is already used in this installation.")
                    % {"number": data["number"]}
                )
            FilingRecord.objects.create(
                page=page,
                number=data["number"],
                kind=data["kind"],
                page_title=data["page_title"],
                unit_name=data["unit_name"],
                office_name=data["office_name"],
                year=data["year"],
                reason=data["reason"],
                filed_by=self.required_user(data["filed_by"], _("filed the item")),
                filed_at=_when(data["filed_at"]),
            )
        for data in review.get("screening_overrides", []):
            override = ScreeningOverride.objects.create(
                page=page,
                finding_key=data["finding_key"],
                finding=data["finding"],
                reason=data["reason"],
                decided_by=self.required_user(data["decided_by"], _("overrode a finding")),
            )
            ScreeningOverride.objects.filter(pk=override.pk).update(
                decided_at=_when(data["decided_at"])
            )
        for data in review.get("workflow_states", []):
            self.restore_workflow_state(page, metadata, data)

    def restore_workflow_state(self, page, metadata, data):
        if data["status"] not in FINISHED_WORKFLOW:
            self.result.warnings.append(
                _("%(title)s: the review in progress at export is kept in the package only.")
                % {"title": metadata["title"]}
            )
            return
        workflow = Workflow.objects.filter(name=data["workflow"]).first()
        if workflow is None:
            self.result.warnings.append(
                _(
                    "%(title)s: no workflow named %(name)s here; its review history is kept in the "
                    "package only."
                )
                % {"title": metadata["title"], "name": data["workflow"]}
            )
            return
        state = WorkflowState.objects.create(
            content_type=ContentType.objects.get_for_model(type(page)),
            base_content_type=page.get_base_content_type(),
            object_id=str(page.pk),
            workflow=workflow,
            status=data["status"],
            requested_by=self.user_named(data["requested_by"]),
        )
        WorkflowState.objects.filter(pk=state.pk).update(created_at=_when(data["created_at"]))
        for task_data in data["tasks"]:
            task = Task.objects.filter(name=task_data["task"]).first()
            revision_id = self.revisions.get(task_data["revision_id"])
            if task is None or revision_id is None:
                self.result.warnings.append(
                    _("%(title)s: the task %(task)s could not be restored.")
                    % {"title": metadata["title"], "task": task_data["task"]}
                )
                continue
            state_model = apps.get_model(task_data["task_state_type"])
            if not issubclass(state_model, TaskState):
                state_model = TaskState
            extra = {}
            if task_data.get("attested") is not None and hasattr(state_model, "attested"):
                extra["attested"] = task_data["attested"]
            task_state = state_model.objects.create(
                workflow_state=state,
                revision_id=revision_id,
                task=task,
                status=task_data["status"],
                finished_at=_when(task_data["finished_at"]),
                finished_by=self.user_named(task_data["finished_by"]),
                comment=task_data["comment"] or "",
                **extra,
            )
            TaskState.objects.filter(pk=task_state.pk).update(
                started_at=_when(task_data["started_at"])
            )
            report = task_data.get("screening_report")
            if report is not None:
                created = ScreeningReport.objects.create(
                    task_state=task_state,
                    page=page,
                    findings=report["findings"],
                    overridden=report["overridden"],
                )
                ScreeningReport.objects.filter(pk=created.pk).update(
                    created_at=_when(report["created_at"])
                )

    # --- after ------------------------------------------------------------------------

    def advance_index_sequences(self, index_numbers):
        """New items must never be handed an imported 索引号: move each counter past them."""
        highest = {}
        for number in index_numbers:
            match = _INDEX_NUMBER.match(number or "")
            if match:
                key = (match["code"], int(match["year"]))
                highest[key] = max(highest.get(key, 0), int(match["seq"]))
        for (code, year), last in highest.items():
            sequence, _created = IndexNumberSequence.objects.select_for_update().get_or_create(
                org_code=code, year=year
            )
            if sequence.last < last:
                sequence.last = last
                sequence.save(update_fields=["last"])


def check_importable(unit_slug, items):
    """The unit, and that none of the items is already here; a Chinese error otherwise."""
    unit = UnitPage.objects.filter(slug=unit_slug).first()
    if unit is None:
        raise ArchiveError(
            _("The unit %(slug)s does not exist in this installation; provision it first.")
            % {"slug": unit_slug}
        )
    numbers = [metadata["index_number"] for _dir, metadata in items if metadata["index_number"]]
    existing = sorted(
        DisclosureItem.objects.filter(index_number__in=numbers).values_list(
            "index_number", flat=True
        )
    )
    if existing:
        raise ArchiveError(
            _("Items with these index numbers already exist, nothing was imported: %(numbers)s")
            % {"numbers": "、".join(existing)}
        )
    legacy = [metadata["legacy_id"] for _dir, metadata in items if metadata.get("legacy_id")]
    clashes = sorted(
        DisclosureItem.objects.filter(legacy_id__in=legacy).values_list("legacy_id", flat=True)
    )
    if clashes:
        raise ArchiveError(
            _("Items with these legacy ids already exist, nothing was imported: %(ids)s")
            % {"ids": "、".join(clashes)}
        )
    return unit


def import_bag(bag_dir, *, user=None):
    """Restore a package (see the module docstring); returns an `ImportResult`."""
    package, items = read_package(bag_dir)
    unit = check_importable(package["unit"]["slug"], items)
    result = ImportResult()
    restorer = _Restorer(unit, user, result)
    try:
        with transaction.atomic():
            created = [(restorer.create_page(d, m), d, m) for d, m in items]
            for page, item_dir, metadata in created:
                revisions = _load(item_dir / "revisions.json")
                page = restorer.complete_page(page, item_dir, metadata, revisions)
                restorer.restore_review(page, item_dir, metadata, _load(item_dir / "review.json"))
                result.pages.append(page)
            restorer.advance_index_sequences([m["index_number"] for _d, m in items])
            for page in result.pages:
                revision = page.live_revision or page.latest_revision
                log(
                    instance=page,
                    action=LOG_ACTION,
                    user=user,
                    revision=revision,
                    data={"package": f"gongkai:{unit.org_code}:{package['year']}"},
                )
                if page.live:
                    # What publishing announces (caches, feeds); the 索引号 is already set.
                    page_published.send(sender=type(page), instance=page, revision=revision)
                    published.send(sender=type(page), instance=page, revision=revision)
    except BaseException:
        restorer.delete_stored_files()
        raise
    return result
