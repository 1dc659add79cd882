"""Archival export (Art. 6 (4), Art. 9): export a unit's year as a BagIt package, verify it,
restore it into an installation without the items, and detect tampering."""

import datetime
import hashlib
import json
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, TaskState, WorkflowState

from archive.bag import ArchiveError, export_unit_year, import_bag, verify_bag
from archive.bagformat import Problem
from disclosure_pages.models import (
    DisclosureItem,
    IndexNumberSequence,
    NewsPage,
    PolicyDocumentPage,
    PowerItemPage,
)
from review.documents import public_document_ids
from review.models import FilingRecord, SecrecyReviewState, SecrecyReviewTask, Withdrawal
from review.views import withdraw_page
from tests.factories import add_item
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db

YEAR = 2019  # no demo item of fgw was published then: the package holds only these items
Document = get_document_model()
PDF_BYTES = b"%PDF-1.4\n% archive test \xe4\xb8\xad\n" + bytes(range(256)) * 4
XLSX_BYTES = b"PK\x03\x04 not really a workbook \x00\x01\x02"


def make_document(title, filename, data):
    unit = UnitPage.objects.get(slug="fgw")
    return Document.objects.create(
        title=title, file=ContentFile(data, name=filename), collection=unit.collection
    )


def approve_all(page, editor):
    """Submit the draft to the unit's workflow and approve every task as its group would."""
    workflow = page.get_workflow()
    state = workflow.start(page, editor)
    for _step in range(6):
        state.refresh_from_db()
        if state.status != WorkflowState.STATUS_IN_PROGRESS:
            break
        task_state = state.current_task_state.specific
        task = task_state.task.specific
        approver = task.groups.first().user_set.exclude(pk=editor.pk).first()
        kwargs = {"comment": "同意发布"}
        if isinstance(task, SecrecyReviewTask):
            kwargs["attest"] = True
        task.on_action(task_state, approver, "approve", **kwargs)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    return state


def publish(page, user):
    """Publish the latest revision as the workflow's finish does (editors may not publish)."""
    page.get_latest_revision().publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()


@pytest.fixture
def items(user_named):
    editor = user_named("fgw-editor")
    attachment = make_document("项目清单", "xiangmu-qingdan.pdf", PDF_BYTES)
    linked = make_document("申报表", "shenbaobiao.xlsx", XLSX_BYTES)
    body = [
        {"type": "heading", "value": "一、总体情况"},
        {
            "type": "paragraph",
            "value": f'<p>详见<a linktype="document" id="{linked.pk}">申报表</a>。</p>',
        },
        {"type": "document", "value": attachment.pk},
    ]
    news = add_item(
        NewsPage,
        "fgw",
        publish=False,
        user=editor,
        title="发改委公布重点项目清单",
        slug="zhongdian-xiangmu",
        publish_date=datetime.date(YEAR, 3, 5),
        doc_number="鹤发改〔2019〕12号",
        summary="重点项目清单",
        body=body,
        attachments=[{"type": "attachment", "value": {"document": attachment.pk, "title": "清单"}}],
    )
    publish(news, editor)
    news.tags.add("重点项目", "投资")
    news.summary = "重点项目清单（修订）"
    news.save_revision(user=editor)
    publish(news, editor)

    power = add_item(
        PowerItemPage,
        "fgw",
        publish=False,
        user=editor,
        title="企业投资项目核准",
        slug="xiangmu-hezhun",
        publish_date=datetime.date(YEAR, 6, 1),
        power_type="licensing",
        legal_basis="《企业投资项目核准和备案管理条例》",
        sample_application=linked,
    )
    workflow = approve_all(power, editor)
    power.refresh_from_db()

    policy = add_item(
        PolicyDocumentPage,
        "fgw",
        publish=False,
        user=editor,
        title="关于印发项目管理办法的通知",
        slug="guanli-banfa",
        publish_date=datetime.date(YEAR, 9, 9),
        validity="repealed",
        successor=news,
    )
    publish(policy, editor)
    withdraw_page(
        policy,
        user_named("fgw-reviewer"),
        reason=Withdrawal.Reason.SUPERSEDED,
        note="已被新文件替代",
        successor=news,
    )
    policy.refresh_from_db()

    draft = add_item(
        NewsPage, "fgw", publish=False, user=editor, publish_date=datetime.date(YEAR, 1, 2)
    )
    return {
        "news": news,
        "power": power,
        "policy": policy,
        "draft": draft,
        "workflow": workflow,
        "documents": {"attachment": attachment, "linked": linked},
    }


@pytest.fixture
def package(items, tmp_path):
    unit = UnitPage.objects.get(slug="fgw")
    return export_unit_year(unit, YEAR, tmp_path / "out")


def snapshot(page):
    page = Page.objects.get(pk=page.pk).specific
    return {
        "type": type(page).__name__,
        "index_number": page.index_number,
        "title": page.title,
        "url_path": page.url_path,
        "live": page.live,
        "publish_date": page.publish_date,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "fields": {
            name: getattr(page, name)
            for name in (
                "issuer",
                "doc_number",
                "doc_number_normalised",
                "written_date",
                "formed_date",
                "genre",
                "validity",
                "disclosure_mode",
                "summary",
                "on_portal",
                "seo_title",
                "search_description",
            )
        },
        "catalogue_class": page.catalogue_class.code,
        "key_kind": page.key_kind.code if page.key_kind else None,
        "tags": sorted(page.tag_names),
        "revisions": [
            (r.created_at, r.user.username if r.user else None, r.content["summary"])
            for r in page.revisions.order_by("created_at", "pk")
        ],
        "live_revision_created_at": page.live_revision.created_at if page.live_revision else None,
    }


def test_export_writes_a_complete_bag_of_the_years_published_items(items, package):
    assert verify_bag(package) == []
    index = json.loads((package / "data" / "items.json").read_text())
    numbers = {entry["index_number"] for entry in index}
    expected = {items[name].index_number for name in ("news", "power", "policy")}
    assert numbers == expected  # the draft is not archived, the withdrawn item is
    assert {
        entry["status"] for entry in index if entry["index_number"] == items["policy"].index_number
    } == {"withdrawn"}

    info = (package / "bag-info.txt").read_text(encoding="utf-8")
    unit = UnitPage.objects.get(slug="fgw")
    assert f"Source-Organization: {unit.title}" in info
    assert f"Source-Organization-Code: {unit.org_code}" in info
    assert f"External-Identifier: gongkai:{unit.org_code}:{YEAR}" in info
    files = [p for p in (package / "data").rglob("*") if p.is_file()]
    oxum = f"{sum(p.stat().st_size for p in files)}.{len(files)}"
    assert f"Payload-Oxum: {oxum}" in info

    news_dir = package / "data" / "items" / items["news"].index_number.replace("/", "_")
    metadata = json.loads((news_dir / "metadata.json").read_text())
    assert metadata["index_number"] == items["news"].index_number
    assert metadata["doc_number"] == "鹤发改〔2019〕12号"
    assert metadata["catalogue_class"]["code"] == "gzdt"
    assert metadata["page_type"] == "disclosure_pages.newspage"
    assert sorted(metadata["tags"]) == ["投资", "重点项目"]
    assert metadata["body"][0] == {
        **metadata["body"][0],
        "type": "heading",
        "value": "一、总体情况",
    }
    attachment = metadata["attachments"][0]["document"]
    assert (news_dir / attachment["file"]).read_bytes() == PDF_BYTES
    assert attachment["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    html = (news_dir / "page.html").read_text()
    assert "发改委公布重点项目清单" in html and "重点项目清单（修订）" in html
    revisions = json.loads((news_dir / "revisions.json").read_text())
    assert len(revisions) == 2 and revisions[-1]["is_live"]
    assert revisions[0]["user"] == "fgw-editor"

    power_dir = package / "data" / "items" / items["power"].index_number.replace("/", "_")
    review = json.loads((power_dir / "review.json").read_text())
    (state,) = review["workflow_states"]
    assert state["status"] == "approved"
    statuses = {task["task_type"].split(".")[1]: task for task in state["tasks"]}
    assert statuses["secrecyreviewtask"]["attested"] is True
    assert statuses["secrecyreviewtask"]["finished_by"] == "fgw-secrecy"
    assert statuses["unitreviewtask"]["comment"] == "同意发布"
    assert statuses["screeningtask"]["screening_report"]["findings"] == []
    assert len(review["filing_records"]) == 1

    policy_dir = package / "data" / "items" / items["policy"].index_number.replace("/", "_")
    withdrawal = json.loads((policy_dir / "review.json").read_text())["withdrawals"][0]
    assert withdrawal["reason"] == "superseded" and withdrawal["withdrawn_by"] == "fgw-reviewer"


def test_the_library_of_congress_bagit_package_accepts_the_bag(package):
    bagit = pytest.importorskip("bagit")
    bag = bagit.Bag(str(package))
    bag.validate()  # raises BagValidationError with the details otherwise
    assert bag.info["Source-Organization"]


def _delete_items(items):
    """An installation without these items: no pages, documents, filings or workflow states."""
    for name in ("news", "power", "policy"):
        page = Page.objects.get(pk=items[name].pk)
        FilingRecord.objects.filter(page=page).delete()
        WorkflowState.objects.for_instance(page).delete()
        page.delete()
    for document in items["documents"].values():
        document.delete()


def test_round_trip_restores_identical_content(items, package, user_named):
    before = {name: snapshot(items[name]) for name in ("news", "power", "policy")}
    sequence = IndexNumberSequence.objects.get(
        org_code=UnitPage.objects.get(slug="fgw").org_code, year=YEAR
    )
    _delete_items(items)
    assert not DisclosureItem.objects.filter(
        index_number__in=[s["index_number"] for s in before.values()]
    ).exists()
    sequence.last = 0  # a fresh installation's counter
    sequence.save()

    result = import_bag(package, user=user_named("admin"))

    assert len(result.pages) == 3 and result.documents == 2
    for name, original in before.items():
        restored = DisclosureItem.objects.get(index_number=original["index_number"])
        assert snapshot(restored) == original, name

    news = DisclosureItem.objects.get(index_number=before["news"]["index_number"]).specific
    # Body and attachments point at re-created documents with identical bytes.
    body = list(news.body.raw_data)
    assert body[0]["value"] == "一、总体情况"
    block_doc = Document.objects.get(pk=body[2]["value"])
    assert block_doc.file.read() == PDF_BYTES and block_doc.title == "项目清单"
    link_id = int(body[1]["value"].split('id="')[1].split('"')[0])
    assert Document.objects.get(pk=link_id).file.read() == XLSX_BYTES
    attachment = news.attachments.raw_data[0]["value"]
    assert attachment["document"] == block_doc.pk and attachment["title"] == "清单"
    assert block_doc.file_hash == hashlib.sha1(PDF_BYTES).hexdigest()
    # Re-created documents are public through the restored live page (reference index).
    assert {block_doc.pk, link_id} <= public_document_ids()

    power = DisclosureItem.objects.get(index_number=before["power"]["index_number"]).specific
    assert Document.objects.get(pk=power.sample_application_id).file.read() == XLSX_BYTES
    state = WorkflowState.objects.for_instance(power).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    secrecy = SecrecyReviewState.objects.get(workflow_state=state)
    assert secrecy.attested and secrecy.finished_by.username == "fgw-secrecy"
    assert TaskState.objects.filter(workflow_state=state).count() == 4
    assert FilingRecord.objects.get(page=power).page_title == "企业投资项目核准"
    # The old revision is restorable history.
    first = power.revisions.order_by("created_at").first()
    assert first.as_object().index_number == power.index_number

    policy = DisclosureItem.objects.get(index_number=before["policy"]["index_number"]).specific
    assert policy.successor_id == news.pk  # references between archived items follow them
    withdrawal = Withdrawal.objects.get(page=policy)
    assert withdrawal.successor_id == news.pk and withdrawal.withdrawn_by.username == "fgw-reviewer"

    # New items never get an imported 索引号.
    sequence.refresh_from_db()
    assert sequence.last >= max(int(s["index_number"][-5:]) for s in before.values())


def test_import_refuses_items_that_exist_and_writes_nothing(items, package):
    pages, documents, revisions = (
        Page.objects.count(),
        Document.objects.count(),
        Revision.objects.count(),
    )
    with pytest.raises(ArchiveError) as error:
        import_bag(package)
    assert items["news"].index_number in str(error.value)
    assert (Page.objects.count(), Document.objects.count(), Revision.objects.count()) == (
        pages,
        documents,
        revisions,
    )
    with pytest.raises(CommandError, match=items["power"].index_number):
        call_command("import_archive", str(package))


def test_a_failure_half_way_leaves_nothing(items, package, monkeypatch):
    _delete_items(items)
    pages, documents = Page.objects.count(), Document.objects.count()
    from archive import restoring

    calls = []

    def failing(self, page, *args):
        calls.append(page)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(restoring._Restorer, "restore_review", failing)
    stored = []
    original_store = restoring._Restorer._store
    monkeypatch.setattr(
        restoring._Restorer,
        "_store",
        lambda self, obj, entry, data: (
            original_store(self, obj, entry, data),
            stored.append(obj.file),
        ),
    )
    with pytest.raises(RuntimeError):
        import_bag(package)
    assert (Page.objects.count(), Document.objects.count()) == (pages, documents)
    assert stored and not any(f.storage.exists(f.name) for f in stored)


@pytest.fixture
def copy(package, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(package, target)
    return target


def _kinds(problems):
    return {(problem.kind, problem.path) for problem in problems}


def test_a_changed_byte_is_detected(copy):
    target = next((copy / "data" / "items").rglob("attachments/*"))
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    relative = target.relative_to(copy).as_posix()
    assert _kinds(verify_bag(copy)) == {(Problem.CHECKSUM, relative)}
    with pytest.raises(CommandError, match=relative):
        call_command("verify_archive", str(copy))


def test_a_missing_file_is_detected(copy):
    target = next((copy / "data" / "items").rglob("revisions.json"))
    target.unlink()
    relative = target.relative_to(copy).as_posix()
    kinds = _kinds(verify_bag(copy))
    assert (Problem.MISSING, relative) in kinds and (Problem.OXUM, "bag-info.txt") in kinds


def test_an_extra_file_is_detected(copy):
    (copy / "data" / "note.txt").write_text("added later")
    (copy / "extra-tag.txt").write_text("x")
    kinds = _kinds(verify_bag(copy))
    assert {(Problem.EXTRA, "data/note.txt"), (Problem.EXTRA, "extra-tag.txt")} <= kinds


def test_an_edited_manifest_is_detected_and_import_refuses_a_tampered_bag(copy):
    manifest = copy / "manifest-sha256.txt"
    lines = manifest.read_text().splitlines(keepends=True)
    manifest.write_text("".join(lines[1:]))  # hide a file from the payload manifest
    kinds = _kinds(verify_bag(copy))
    assert (Problem.CHECKSUM, "manifest-sha256.txt") in kinds
    with pytest.raises(ArchiveError):
        import_bag(copy)


def test_the_commands_export_and_verify(items, tmp_path):
    call_command("export_archive", unit="fgw", year=YEAR, output=str(tmp_path))
    bag = tmp_path / f"gongkai-fgw-{YEAR}"
    call_command("verify_archive", str(bag))  # no error
    with pytest.raises(CommandError):
        call_command("export_archive", unit="fgw", year=YEAR, output=str(tmp_path))
    with pytest.raises(CommandError):
        call_command("export_archive", unit="nope", year=YEAR, output=str(tmp_path))


def test_a_file_removed_with_its_manifest_lines_is_missing_from_the_index(copy):
    """Even a consistently re-manifested bag is checked against its own items.json."""
    from archive import bagformat

    target = next((copy / "data" / "items").rglob("page.html"))
    relative = target.relative_to(copy).as_posix()
    target.unlink()
    manifest = copy / "manifest-sha256.txt"
    manifest.write_text(
        "".join(line for line in manifest.read_text().splitlines(True) if relative not in line)
    )
    info = (copy / "bag-info.txt").read_text().splitlines()
    (copy / "bag-info.txt").write_text(
        "\n".join(line for line in info if not line.startswith(("Payload-Oxum", "Bagging-Date")))
        + "\n"
    )
    labels = [
        tuple(line.split(": ", 1)) for line in (copy / "bag-info.txt").read_text().splitlines()
    ]
    bagformat.write_tag_files(copy, labels)
    assert _kinds(verify_bag(copy)) == {(Problem.MISSING, relative)}
