"""Export one unit's disclosure items of one year as a BagIt package (Art. 6 (4), Art. 9).

Which items: those the unit published in the year (发布日期 in the year) that are live, and
those withdrawn since, with their withdrawal record: the archive is the record of what was
published, so an item's later withdrawal is part of it, not a reason to leave it out. Drafts
never published are not in the archive.

Layout (payload under data/, see docs/archive.md):

    data/package.json                 unit, year, format version
    data/items.json                   index of the items: 索引号, title, status, files
    data/items/<索引号>/metadata.json  catalogue metadata, the published content, references
    data/items/<索引号>/page.html      the public page as rendered for the unit's site
    data/items/<索引号>/revisions.json every revision: content, created at, by whom
    data/items/<索引号>/review.json    workflow and task states, filings, withdrawals
    data/items/<索引号>/attachments/   documents the item refers to, bytes as stored
    data/items/<索引号>/images/        images the item refers to
"""

import json
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.test import RequestFactory
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, TaskState, WorkflowState

from disclosure_pages.models import CatalogueNode, DisclosureItem
from review.models import FilingRecord, ScreeningOverride, ScreeningReport, Withdrawal
from unit_sites.models import canonical_site_for

from . import bagformat
from .references import DOCUMENT, IMAGE, NODE, PAGE, TAG, USER, collect_references

FORMAT = "gongkai-archive/1"


class ArchiveError(Exception):
    """A package cannot be made, read or restored; the message says why (in Chinese)."""


def _iso(value):
    return value.isoformat() if value else None


def _dump(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n",
        encoding="utf-8",
    )


def items_for(unit, year):
    """The unit's items published in `year`: live ones and those withdrawn since."""
    withdrawn = Withdrawal.objects.values("page_id")
    return (
        DisclosureItem.objects.filter(unit=unit, publish_date__year=year)
        .filter(Q(live=True) | Q(pk__in=withdrawn))
        .order_by("publish_date", "index_number", "pk")
        .specific()
    )


def item_key(page):
    """The item's folder name: its 索引号 (the '/' made a '_'), stable across installations."""
    if page.index_number:
        return page.index_number.replace("/", "_")
    return f"page-{page.pk}"


def render_public_html(page, site):
    """The page as the public sees it on the unit's site (anonymous GET through its serve)."""
    _site_id, _root, page_path = page.get_url_parts()
    request = RequestFactory().get(
        page_path or page.url_path,
        HTTP_HOST=site.hostname,
        SERVER_PORT=site.port,
    )
    request.user = AnonymousUser()
    request._wagtail_site = site
    response = page.serve(request)
    if hasattr(response, "render"):
        response.render()
    return response.content


def _user_name(user_id, users):
    if user_id is None:
        return None
    if user_id not in users:
        users[user_id] = (
            get_user_model().objects.filter(pk=user_id).values_list("username", flat=True).first()
        )
    return users[user_id]


def _file_entry(obj, folder, item_dir):
    """Copy a document's or image's file into the item's folder; its description."""
    original = PurePosixPath(obj.file.name).name
    suffix = PurePosixPath(original).suffix.lower()
    relative = f"{folder}/{obj.pk}{suffix}"
    target = item_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with obj.file.open("rb") as source, open(target, "wb") as handle:
            shutil.copyfileobj(source, handle)
    except (FileNotFoundError, OSError) as error:
        raise ArchiveError(
            _("The file of “%(title)s” (%(name)s) cannot be read from storage: %(error)s")
            % {"title": obj.title, "name": obj.file.name, "error": error}
        ) from error
    entry = {
        "id": obj.pk,
        "title": obj.title,
        "filename": original,
        "file": relative,
        "size": target.stat().st_size,
        "sha256": bagformat.sha256_of(target),
        "collection": obj.collection.name if obj.collection_id else None,
        "created_at": _iso(obj.created_at),
        "tags": sorted(tag.name for tag in obj.tags.all()),
    }
    if hasattr(obj, "focal_point_x"):
        entry["focal_point"] = [
            obj.focal_point_x,
            obj.focal_point_y,
            obj.focal_point_width,
            obj.focal_point_height,
        ]
    return entry


def _references(model, contents, item_dir, users):
    """What the contents refer to, described so an import can find or re-create it."""
    found = {}
    for content in contents:
        for kind, ids in collect_references(model, content).items():
            found.setdefault(kind, set()).update(ids)
    refs = {"documents": {}, "images": {}, "pages": {}, "nodes": {}, "tags": {}, "users": {}}
    for document in get_document_model().objects.filter(pk__in=found.get(DOCUMENT, ())):
        refs["documents"][str(document.pk)] = _file_entry(document, "attachments", item_dir)
    for image in get_image_model().objects.filter(pk__in=found.get(IMAGE, ())):
        refs["images"][str(image.pk)] = _file_entry(image, "images", item_dir)
    for page in Page.objects.filter(pk__in=found.get(PAGE, ())):
        index_number = (
            DisclosureItem.objects.filter(pk=page.pk).values_list("index_number", flat=True).first()
        )
        refs["pages"][str(page.pk)] = {
            "title": page.title,
            "url_path": page.url_path,
            "index_number": index_number,
        }
    for node in CatalogueNode.objects.filter(pk__in=found.get(NODE, ())):
        refs["nodes"][str(node.pk)] = node.code
    for tag in Tag.objects.filter(pk__in=found.get(TAG, ())):
        refs["tags"][str(tag.pk)] = tag.name
    for user_id in found.get(USER, ()):
        refs["users"][str(user_id)] = _user_name(user_id, users)
    return refs


def _metadata(page, unit, site, content, refs):
    catalogue = page.catalogue_class
    key_kind = page.key_kind
    return {
        "format": FORMAT,
        "index_number": page.index_number,
        "title": page.title,
        "status": "live" if page.live else "withdrawn",
        "page_type": page.specific_class._meta.label_lower,
        "page_type_name": str(page.specific_class._meta.verbose_name),
        "unit": {"slug": unit.slug, "title": unit.title, "org_code": unit.org_code},
        "catalogue_class": {"code": catalogue.code, "name": catalogue.name} if catalogue else None,
        "key_kind": {"code": key_kind.code, "name": key_kind.name} if key_kind else None,
        "issuer": page.issuer,
        "joint_issuers": page.joint_issuers,
        "doc_number": page.doc_number,
        "genre": page.genre,
        "written_date": _iso(page.written_date),
        "formed_date": _iso(page.formed_date),
        "publish_date": _iso(page.publish_date),
        "first_published_at": _iso(page.first_published_at),
        "last_published_at": _iso(page.last_published_at),
        "validity": page.validity,
        "successor": refs["pages"].get(str(page.successor_id)) if page.successor_id else None,
        "disclosure_mode": page.disclosure_mode,
        "summary": page.summary,
        "tags": page.tag_names,
        "on_portal": page.on_portal,
        "legacy_id": page.legacy_id,
        "slug": page.slug,
        "url_path": page.url_path,
        "url": page.full_url,
        "site": {"hostname": site.hostname, "port": site.port} if site else None,
        "body": list(page.body.raw_data),
        "attachments": [
            {
                "title": block["value"].get("title") or "",
                "document": refs["documents"].get(str(block["value"].get("document"))),
            }
            for block in page.attachments.raw_data
            if block.get("type") == "attachment"
        ],
        # The whole published page row as Wagtail's revisions store it: what import restores.
        "content": content,
        "references": refs,
    }


def _revisions(page, users):
    return [
        {
            "id": revision.pk,
            "created_at": _iso(revision.created_at),
            "user": _user_name(revision.user_id, users),
            "approved_go_live_at": _iso(revision.approved_go_live_at),
            "object_str": revision.object_str,
            "is_live": revision.pk == page.live_revision_id,
            "is_latest": revision.pk == page.latest_revision_id,
            "content": revision.content,
        }
        for revision in page.revisions.order_by("created_at", "pk")
    ]


def _review(page, users):
    states = []
    for state in (
        WorkflowState.objects.for_instance(page)
        .select_related("workflow")
        .order_by("created_at", "pk")
    ):
        tasks = []
        for task_state in (
            TaskState.objects.filter(workflow_state=state)
            .select_related("task")
            .order_by("started_at", "pk")
            .specific()
        ):
            report = ScreeningReport.objects.filter(task_state_id=task_state.pk).first()
            tasks.append(
                {
                    "task": task_state.task.name,
                    "task_type": task_state.task.specific_class._meta.label_lower,
                    "task_state_type": task_state._meta.label_lower,
                    "status": task_state.status,
                    "revision_id": task_state.revision_id,
                    "started_at": _iso(task_state.started_at),
                    "finished_at": _iso(task_state.finished_at),
                    "finished_by": _user_name(task_state.finished_by_id, users),
                    "comment": task_state.comment,
                    "attested": getattr(task_state, "attested", None),
                    "screening_report": {
                        "findings": report.findings,
                        "overridden": report.overridden,
                        "created_at": _iso(report.created_at),
                    }
                    if report
                    else None,
                }
            )
        states.append(
            {
                "workflow": state.workflow.name,
                "status": state.status,
                "created_at": _iso(state.created_at),
                "requested_by": _user_name(state.requested_by_id, users),
                "tasks": tasks,
            }
        )
    return {
        "workflow_states": states,
        "filing_records": [
            {
                "number": record.number,
                "kind": record.kind,
                "page_title": record.page_title,
                "unit_name": record.unit_name,
                "office_name": record.office_name,
                "year": record.year,
                "reason": record.reason,
                "filed_by": _user_name(record.filed_by_id, users),
                "filed_at": _iso(record.filed_at),
            }
            for record in FilingRecord.objects.filter(page=page).order_by("filed_at", "pk")
        ],
        "withdrawals": [
            {
                "path": withdrawal.path,
                "title": withdrawal.title,
                "reason": withdrawal.reason,
                "note": withdrawal.note,
                "successor_id": withdrawal.successor_id,
                "withdrawn_by": _user_name(withdrawal.withdrawn_by_id, users),
                "withdrawn_at": _iso(withdrawal.withdrawn_at),
            }
            for withdrawal in Withdrawal.objects.filter(page=page).order_by("withdrawn_at", "pk")
        ],
        "screening_overrides": [
            {
                "finding_key": override.finding_key,
                "finding": override.finding,
                "reason": override.reason,
                "decided_by": _user_name(override.decided_by_id, users),
                "decided_at": _iso(override.decided_at),
            }
            for override in ScreeningOverride.objects.filter(page=page).order_by("decided_at")
        ],
    }


def _write_item(page, unit, site, item_dir, users):
    revisions = _revisions(page, users)
    content = page.serializable_data()
    model = page.specific_class
    refs = _references(model, [content, *(r["content"] for r in revisions)], item_dir, users)
    review = _review(page, users)
    # Withdrawal successors are page references too.
    for withdrawal in review["withdrawals"]:
        successor = withdrawal["successor_id"]
        if successor and str(successor) not in refs["pages"]:
            target = Page.objects.filter(pk=successor).first()
            if target is not None:
                refs["pages"][str(successor)] = {
                    "title": target.title,
                    "url_path": target.url_path,
                    "index_number": getattr(target.specific, "index_number", None),
                }
    metadata = _metadata(page, unit, site, content, refs)
    _dump(item_dir / "metadata.json", metadata)
    (item_dir / "page.html").write_bytes(render_public_html(page, site))
    _dump(item_dir / "revisions.json", revisions)
    _dump(item_dir / "review.json", review)
    files = sorted(p.relative_to(item_dir).as_posix() for p in item_dir.rglob("*") if p.is_file())
    return {
        "key": item_dir.name,
        "index_number": page.index_number,
        "title": page.title,
        "page_type": metadata["page_type"],
        "catalogue_class": metadata["catalogue_class"]["code"] if page.catalogue_class else None,
        "publish_date": metadata["publish_date"],
        "status": metadata["status"],
        "url_path": page.url_path,
        "revisions": len(revisions),
        "attachments": len(refs["documents"]),
        "files": [f"items/{item_dir.name}/{name}" for name in files],
    }


def export_unit_year(unit, year, dest):
    """Write the unit's package for `year` into the directory `dest`; return the bag's path.

    The bag is assembled in a temporary directory beside it and renamed into place when
    complete, so a failed export leaves nothing that looks like a package."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    final = dest / f"gongkai-{unit.slug}-{year}"
    if final.exists():
        raise ArchiveError(
            _("%(path)s already exists; an archive package is never overwritten.") % {"path": final}
        )
    site = canonical_site_for(unit)
    users = {}
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=dest))
    try:
        data = work / "data"
        index = []
        for page in items_for(unit, year):
            index.append(_write_item(page, unit, site, data / "items" / item_key(page), users))
        package = {
            "format": FORMAT,
            "unit": {
                "slug": unit.slug,
                "title": unit.title,
                "org_code": unit.org_code,
                "kind": unit.kind,
                "url_path": unit.url_path,
            },
            "year": year,
            "item_count": len(index),
            "selection": "published in the year (publish_date), live or withdrawn since",
        }
        _dump(data / "package.json", package)
        _dump(data / "items.json", index)
        bagformat.write_tag_files(
            work,
            [
                ("Source-Organization", unit.title),
                ("Source-Organization-Code", unit.org_code),
                ("External-Identifier", f"gongkai:{unit.org_code}:{year}"),
                (
                    "External-Description",
                    _("Government information disclosed by %(unit)s in %(year)s")
                    % {"unit": unit.title, "year": year},
                ),
                ("Bag-Software-Agent", "Gongkai archive (archive.bag)"),
                ("Gongkai-Unit", unit.slug),
                ("Gongkai-Year", year),
                ("Gongkai-Item-Count", len(index)),
            ],
        )
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def verify_package(bag_dir):
    """`bagformat.verify`, plus completeness against the package's own index: every file
    items.json lists for an item must be in the payload."""
    bag_dir = Path(bag_dir)
    problems = bagformat.verify(bag_dir)
    index_path = bag_dir / "data" / "items.json"
    if not index_path.is_file():
        if bag_dir.is_dir():
            problems.append(
                bagformat.BagProblem(
                    bagformat.Problem.MISSING,
                    "data/items.json",
                    _("Missing file: %(path)s (the package index)") % {"path": "data/items.json"},
                )
            )
        return problems
    reported = {problem.path for problem in problems}
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
        listed = [name for entry in index for name in entry["files"]]
    except (ValueError, KeyError, TypeError):
        problems.append(
            bagformat.BagProblem(
                bagformat.Problem.FORMAT,
                "data/items.json",
                _("data/items.json is not a valid package index."),
            )
        )
        return problems
    for name in listed:
        relative = f"data/{name}"
        if relative not in reported and not (bag_dir / relative).is_file():
            problems.append(
                bagformat.BagProblem(
                    bagformat.Problem.MISSING,
                    relative,
                    _("Missing file: %(path)s (listed in items.json)") % {"path": relative},
                )
            )
    return problems
