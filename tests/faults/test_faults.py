"""A crash in the middle of an operation leaves the old state or the new one, never a half.

Each test forces an error between two steps of an operation (a step monkeypatched to raise)
and compares the database afterwards with what it was before (row counts and fields), or,
where the operation promises to keep what was done (the import's other records), with the
complete new state."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageLogEntry,
    Revision,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowState,
)

from backups.services import create_backup, restore_backup
from disclosure_pages import importing
from disclosure_pages.models import DisclosureItem, NewsPage
from tests.backups.helpers import database_fingerprint
from tests.factories import add_item
from unit_sites import provisioning
from unit_sites.models import UnitGroup, UnitKind, UnitPage
from unit_sites.provisioning import UnitSpec, provision_unit
from unit_sites.validators import make_credit_code

pytestmark = pytest.mark.django_db


class Crash(Exception):
    """The injected fault."""


def crash(*args, **kwargs):
    raise Crash("injected fault")


def page_state(page):
    """Everything publishing changes about a page."""
    row = Page.objects.filter(pk=page.pk).values(
        "live",
        "has_unpublished_changes",
        "live_revision_id",
        "latest_revision_id",
        "first_published_at",
        "last_published_at",
        "title",
    )[0]
    item = DisclosureItem.objects.filter(pk=page.pk).values("index_number", "publish_date")[0]
    return {
        **row,
        **item,
        "logs": list(PageLogEntry.objects.filter(page_id=page.pk).values_list("action", flat=True)),
        "revisions": Revision.page_revisions.filter(object_id=str(page.pk)).count(),
        "workflow": list(WorkflowState.objects.for_instance(page).values_list("status", flat=True)),
        "tasks": sorted(
            TaskState.objects.filter(workflow_state__object_id=str(page.pk)).values_list(
                "status", flat=True
            )
        ),
    }


# --- publishing ------------------------------------------------------------------------------


@pytest.fixture
def draft(user_named):
    page = add_item(NewsPage, "fgw", publish=False, user=user_named("fgw-editor"), slug="fault")
    page.refresh_from_db()
    return page


def test_a_crash_while_assigning_the_index_number_leaves_the_draft_unpublished(monkeypatch, draft):
    before = page_state(draft)
    monkeypatch.setattr("disclosure_pages.models.base.next_index_number", crash)
    with pytest.raises(Crash):
        draft.get_latest_revision().publish()
    after = page_state(draft)
    assert after == before and not after["live"] and after["index_number"] is None


def test_a_crash_in_a_post_publish_receiver_leaves_the_draft_unpublished(monkeypatch, draft):
    from wagtail.signals import page_published

    before = page_state(draft)
    page_published.connect(crash, dispatch_uid="fault-test")
    try:
        with pytest.raises(Crash):
            draft.get_latest_revision().publish()
    finally:
        page_published.disconnect(dispatch_uid="fault-test")
    assert page_state(draft) == before


def test_publishing_works_again_after_the_fault_is_gone(monkeypatch, draft):
    """The positive control: the same publish without the fault goes all the way."""
    draft.get_latest_revision().publish()
    after = page_state(draft)
    assert after["live"] and after["index_number"] and "wagtail.publish" in after["logs"]


def _submit_and_review(client_for, page):
    from tests.test_review_workflow import act, submit_draft

    assert submit_draft(client_for("fgw-editor"), page).status_code == 302
    assert act(client_for("fgw-reviewer"), page, "approve").status_code == 302
    return act


def test_a_crash_at_the_last_approval_leaves_the_item_waiting_for_it(
    monkeypatch, client_for, draft
):
    act = _submit_and_review(client_for, draft)
    before = page_state(draft)
    assert before["workflow"] == ["in_progress"]
    monkeypatch.setattr("disclosure_pages.models.base.next_index_number", crash)
    with pytest.raises(Crash):
        act(client_for("fgw-secrecy"), draft, "approve", attest="on")
    assert page_state(draft) == before


def test_a_crash_while_the_web_team_publishes_in_the_admin_leaves_no_half_state(
    monkeypatch, client_for, draft
):
    from wagtail.fields import StreamField
    from wagtail.test.utils.form_data import querydict_from_html

    client = client_for("webteam")
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for field in draft.specific._meta.get_fields():
        if isinstance(field, StreamField) and f"{field.name}-count" not in data:
            data[f"{field.name}-count"] = "0"
    data["action-publish"] = "1"
    before = page_state(draft)
    monkeypatch.setattr("disclosure_pages.models.base.next_index_number", crash)
    with pytest.raises(Crash):
        client.post(url, data)
    # The whole request is undone: not even the form's draft revision stays half-saved.
    assert page_state(draft) == before


# --- import ----------------------------------------------------------------------------------


def _records(tmp_path, count):
    (tmp_path / "files").mkdir()
    lines = []
    for number in range(1, count + 1):
        attachment = tmp_path / "files" / f"附件{number}.pdf"
        attachment.write_bytes(b"%PDF-1.4 fault " + str(number).encode())
        lines.append(
            json.dumps(
                {
                    "id": f"fault-{number}",
                    "title": f"故障测试{number}",
                    "date": f"2025-03-0{number}",
                    "category": "工作动态",
                    "body": f"正文{number}",
                    "attachments": [f"files/附件{number}.pdf"],
                },
                ensure_ascii=False,
            )
        )
    return lines


def _imported(number):
    """(page, revisions, log entries, documents) of record `number`."""
    page = DisclosureItem.objects.filter(legacy_id=f"fault-{number}").first()
    documents = get_document_model().objects.filter(title=f"附件{number}").count()
    if page is None:
        return None, 0, 0, documents
    return (
        page,
        Revision.page_revisions.filter(object_id=str(page.pk)).count(),
        PageLogEntry.objects.filter(page_id=page.pk).count(),
        documents,
    )


def _save_crashing_on(title, monkeypatch):
    original = Page.save

    def save(self, *args, **kwargs):
        if self.title == title:
            raise Crash("injected fault")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Page, "save", save)


def test_import_a_crash_in_one_record_leaves_nothing_of_it_and_keeps_the_others(
    tmp_path, monkeypatch
):
    from django.core.files.storage import default_storage

    unit = UnitPage.objects.get(slug="czj")
    files_before = (
        set(default_storage.listdir("documents")[1])
        if default_storage.exists("documents")
        else set()
    )
    _save_crashing_on("故障测试3", monkeypatch)
    report = importing.import_lines(_records(tmp_path, 5), unit, base_dir=tmp_path)
    assert [issue.line for issue in report.errors] == [3]
    assert report.created == 4
    for number in (1, 2, 4, 5):
        page, revisions, logs, documents = _imported(number)
        assert page.live and page.index_number and revisions == 1 and logs >= 1
        assert documents == 1
    assert _imported(3) == (None, 0, 0, 0)
    # The file the crashed record stored was deleted again.
    files_after = set(default_storage.listdir("documents")[1])
    assert not any("附件3" in name for name in files_after - files_before)
    assert len(files_after - files_before) == 4


def test_import_a_crash_of_the_process_loses_only_the_uncommitted_batch(tmp_path, monkeypatch):
    """KeyboardInterrupt (or a killed worker) is no record error: the batch in progress
    is rolled back whole, the batches before it stay complete."""
    unit = UnitPage.objects.get(slug="czj")
    original = importing._create
    calls = []

    def create(record, *args, **kwargs):
        calls.append(record.legacy_id)
        if record.legacy_id == "fault-4":
            raise KeyboardInterrupt
        return original(record, *args, **kwargs)

    monkeypatch.setattr(importing, "_create", create)
    with pytest.raises(KeyboardInterrupt):
        importing.import_lines(_records(tmp_path, 5), unit, base_dir=tmp_path, batch_size=2)
    assert calls == ["fault-1", "fault-2", "fault-3", "fault-4"]
    for number in (1, 2):
        page, revisions, _logs, documents = _imported(number)
        assert page.live and page.index_number and revisions == 1 and documents == 1
    for number in (3, 4, 5):  # record 3 succeeded, but in the batch that crashed
        assert _imported(number) == (None, 0, 0, 0)


# --- provisioning ----------------------------------------------------------------------------

COUNTED = [
    UnitPage,
    Page,
    Revision,
    Site,
    Collection,
    Group,
    get_user_model(),
    UnitGroup,
    GroupPagePermission,
    GroupCollectionPermission,
    Workflow,
    Task,
    PageLogEntry,
]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def _spec(slug="fault-unit"):
    return UnitSpec(
        slug=slug,
        name="故障测试局",
        kind=UnitKind.DEPARTMENT,
        org_code=make_credit_code("11230400" + "99999999" + "0"),
        parent_slug="hegang",
        password="a-long-demo-password",
    )


@pytest.mark.parametrize(
    "where",
    ["last provisioner", "collection permissions", "catalogue"],
)
def test_provisioning_a_crash_at_any_step_leaves_nothing_of_the_unit(monkeypatch, where):
    before = counts()
    if where == "last provisioner":
        monkeypatch.setattr(provisioning, "_provisioners", [*provisioning._provisioners, crash])
    elif where == "collection permissions":
        monkeypatch.setattr(provisioning.permissions, "grant_collection_permissions", crash)
    else:
        _save_crashing_on("政府职能", monkeypatch)  # the new catalogue's first column
    with pytest.raises(Crash):
        provision_unit(_spec())
    assert counts() == before
    assert not UnitPage.objects.filter(slug="fault-unit").exists()
    assert not get_user_model().objects.filter(username__startswith="fault-unit-").exists()


def test_provisioning_without_a_fault_creates_the_whole_unit():
    before = counts()
    result = provision_unit(_spec())
    assert result.created
    after = counts()
    assert after["UnitPage"] == before["UnitPage"] + 1
    assert after["Workflow"] == before["Workflow"] + 1
    assert after["Group"] == before["Group"] + 3


# --- restore ---------------------------------------------------------------------------------


@pytest.fixture
def forget_content_type_ids():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    yield
    ContentType.objects.clear_cache()
    cache.clear()


@pytest.mark.parametrize("where", ["loading rows", "restoring files"])
def test_restore_a_crash_midway_leaves_the_database_as_it_was(
    tmp_path, monkeypatch, forget_content_type_ids, where
):
    from django.core.files.base import ContentFile
    from django.core.serializers import base

    from backups import services

    document = get_document_model()(title="restore-fault", collection=Collection.objects.first())
    document.file.save("restore-fault.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
    document.save()
    archive = create_backup(tmp_path)
    add_item(NewsPage, "fgw", title="备份之后的新信息", slug="after-backup")  # not in the archive
    before = database_fingerprint()
    if where == "loading rows":
        original, calls = base.DeserializedObject.save, []

        def save(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == 500:
                raise Crash("injected fault")
            return original(self, *args, **kwargs)

        monkeypatch.setattr(base.DeserializedObject, "save", save)
    else:
        monkeypatch.setattr(services, "_restore_files", crash)
    with pytest.raises(Crash):
        restore_backup(archive, force=True, migrate=False, rebuild_index=False)
    assert database_fingerprint() == before
    assert Page.objects.filter(slug="after-backup").exists()
