"""Every role × every action × own/sibling/parent/child unit, through the admin's HTTP views,
against the declarative rules in rules.py (the table is docs/permission-matrix.md).

One test per role: it tries every cell (each in a savepoint rolled back afterwards, so a
successful publish or delete does not change the next cell's world), collects every
mismatch and prints the role's table with the mismatches marked. An "allow" is observed in
the effect, not only the status code: the draft title shown, the revision saved, the page
live, the task state approved, the page moved or gone, the document stored, the application
listed or exported."""

import itertools
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import Page, Task, TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from citizen_services import services
from disclosure_pages.models import CatalogueClassPage, NewsPage, PowerItemPage
from review.models import ScreeningTask
from tests.citizen_helpers import application_data
from tests.factories import add_item, column
from unit_sites.models import UnitPage

from . import rules

Document = get_document_model()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_counter = itertools.count(1)


@dataclass
class UnitWorld:
    """One target unit: a draft, an item waiting at each workflow task, a document, an
    application, and the edit form's data for the draft (as the editor would post it)."""

    slug: str
    draft: Page
    destination: Page
    form: dict
    waiting: dict = field(default_factory=dict)  # task name → page
    document: object = None
    collection_id: int = 0
    application: object = None


def _user(username):
    return get_user_model().objects.get(username=username)


def _edit_form(admin, page):
    response = admin.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for model_field in page.specific._meta.get_fields():
        if isinstance(model_field, StreamField) and f"{model_field.name}-count" not in data:
            data[f"{model_field.name}-count"] = "0"
    return data.dict()


def _submitted(model, slug, editor, stage, **fields):
    """An item of `slug` submitted by its editor, approved up to `stage`."""
    page = add_item(model, slug, publish=False, user=editor, slug=f"pm-{stage}-{slug}", **fields)
    Page.objects.filter(pk=page.pk).update(owner=editor)
    page.get_workflow().start(page, editor)
    stages = ["review", "secrecy", "filing"]
    state = WorkflowState.objects.for_instance(page).get()
    for done in stages[: stages.index(stage)] if stage in stages else []:
        approver = _user(f"{slug}-{'reviewer' if done == 'review' else 'secrecy'}")
        state.refresh_from_db()
        state.current_task_state.specific.approve(user=approver)
    state.refresh_from_db()
    return page, state


def _build_unit(slug, admin, monkeypatch):
    editor = _user(f"{slug}-editor")
    draft = add_item(NewsPage, slug, publish=False, user=editor, title=f"pm-draft[{slug}]")
    Page.objects.filter(pk=draft.pk).update(owner=editor)
    draft.refresh_from_db()
    world = UnitWorld(
        slug=slug,
        draft=draft,
        destination=column(slug, "wtjd"),
        form=_edit_form(admin, draft),
    )
    for stage in ("review", "secrecy"):
        page, state = _submitted(NewsPage, slug, editor, stage)
        assert state.current_task_state.task.specific.__class__.__name__.lower().startswith(
            "unitreview" if stage == "review" else "secrecyreview"
        )
        world.waiting[stage] = page
    page, state = _submitted(
        PowerItemPage,
        slug,
        editor,
        "filing",
        power_type="licensing",
        legal_basis="《测试法》",
    )
    assert state.current_task_state.task.specific.__class__.__name__ == "FilingTask"
    world.waiting["filing"] = page
    # Screening decides at once; hold it "in progress" to show nobody can approve it by hand.
    with monkeypatch.context() as patch:
        patch.setattr(
            ScreeningTask, "start", lambda self, state, user=None: Task.start(self, state, user)
        )
        page, state = _submitted(NewsPage, slug, editor, "screening")
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    world.waiting["screening"] = page

    unit = UnitPage.objects.get(slug=slug)
    world.collection_id = unit.collection_id
    world.document = Document.objects.create(
        title=f"pmdoc[{slug}]",
        collection_id=unit.collection_id,
        file=SimpleUploadedFile(f"pmdoc-{slug}.pdf", PDF),
    )
    world.application = services.submit_application(unit, application_data())
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The targets of every role, built once for the module and rolled back at its end."""
    units = sorted({slug for targets in rules.TARGETS.values() for slug in targets.values()})
    with django_db_blocker.unblock(), transaction.atomic():
        monkeypatch = pytest.MonkeyPatch()
        admin = Client()
        admin.force_login(_user("admin"))
        try:
            yield {slug: _build_unit(slug, admin, monkeypatch) for slug in units}
        finally:
            monkeypatch.undo()
            transaction.set_rollback(True)
            cache.clear()


# --- the attempts: each returns True when the action took effect -----------------------------


def _text(response):
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        if isinstance(data, dict) and "html" in data:
            return data["html"]
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def view_draft(client, w):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[w.draft.pk]))
    return response.status_code == 200 and w.draft.draft_title in _text(response)


def preview(client, w):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[w.draft.pk])
    marker = f"pm-preview-{next(_counter)}"
    response = client.post(url, {**w.form, "title": marker})
    if response.status_code != 200 or not response.json().get("is_valid"):
        return False
    response = client.get(url)
    return response.status_code == 200 and marker in _text(response)


def edit(client, w):
    marker = f"pm-edited-{next(_counter)}"
    client.post(reverse("wagtailadmin_pages:edit", args=[w.draft.pk]), {**w.form, "title": marker})
    return Page.objects.get(pk=w.draft.pk).draft_title == marker


def publish(client, w):
    client.post(
        reverse("wagtailadmin_pages:edit", args=[w.draft.pk]), {**w.form, "action-publish": "1"}
    )
    return Page.objects.get(pk=w.draft.pk).live


def _approve(stage, data=None):
    def attempt(client, w):
        page = w.waiting[stage]
        task_state = WorkflowState.objects.for_instance(page).get().current_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        client.post(url, data or {})
        return TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED

    return attempt


def move(client, w):
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[w.draft.pk, w.destination.pk]))
    return Page.objects.get(pk=w.draft.pk).get_parent().pk == w.destination.pk


def delete(client, w):
    client.post(reverse("wagtailadmin_pages:delete", args=[w.draft.pk]))
    return not Page.objects.filter(pk=w.draft.pk).exists()


def upload_document(client, w):
    title = f"pm-upload-{next(_counter)}"
    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "collection": w.collection_id,
            "file": SimpleUploadedFile(f"{title}.pdf", PDF, content_type="application/pdf"),
        },
    )
    return Document.objects.filter(title=title, collection_id=w.collection_id).exists()


def choose_document(client, w):
    response = client.get(reverse("wagtaildocs_chooser:choose"), {"collection_id": w.collection_id})
    return response.status_code == 200 and w.document.title in _text(response)


def see_request(client, w):
    url = reverse("citizen_services_informationrequest_modeladmin_inspect", args=[w.application.pk])
    response = client.get(url)
    return response.status_code == 200 and w.application.tracking_code in _text(response)


def export_register(client, w):
    url = reverse("citizen_services_informationrequest_modeladmin_index")
    response = client.get(url, {"export": "csv"})
    return response.status_code == 200 and w.application.tracking_code in _text(response)


ATTEMPTS = {
    "view_draft": view_draft,
    "preview": preview,
    "edit": edit,
    "publish": publish,
    "approve_screening": _approve("screening"),
    "approve_review": _approve("review"),
    "approve_secrecy": _approve("secrecy", {"attest": "on", "comment": "pm"}),
    "approve_filing": _approve("filing"),
    "move": move,
    "delete": delete,
    "upload_document": upload_document,
    "choose_document": choose_document,
    "see_request": see_request,
    "export_register": export_register,
}
assert set(ATTEMPTS) == set(rules.ACTIONS)


def attempt(action, client, w):
    """Try one cell in a savepoint that is rolled back: the next cell sees the same world."""
    with transaction.atomic():
        try:
            return ATTEMPTS[action](client, w)
        except Exception as error:  # a crash is reported as its own kind of mismatch
            return f"error: {error.__class__.__name__}: {error}"
        finally:
            transaction.set_rollback(True)
            cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(rules.ROLES))
def test_permission_matrix(role, world):
    account, kind = rules.ROLES[role]
    client = Client()
    if account:
        client.force_login(_user(account))
    observed, problems = {}, []
    for relation, slug in rules.TARGETS[role].items():
        for action in rules.ACTIONS:
            got = attempt(action, client, world[slug])
            want = rules.expected(kind, action, relation)
            observed[(role, relation, action)] = got is True
            if got is not want:
                what = "UNEXPECTED ALLOW" if got is True else "unexpected deny"
                problems.append(f"{what}: {role} ({account}) {action} on {relation} {slug} {got}")
    assert not problems, "\n".join(problems) + "\n\n" + _table(role, observed)


def _table(role, observed):
    lines = rules.render(observed).splitlines()
    return "\n".join(lines[:2] + [line for line in lines[2:] if line.startswith(f"| {role} ")])


def test_the_documented_matrix_is_generated_from_the_rules():
    assert rules.DOC.read_text(encoding="utf-8") == rules.document(), (
        "docs/permission-matrix.md is out of date: run python -m tests.security_matrix.rules"
    )


def test_the_rules_are_not_trivial():
    """Every role is denied something and every staff role allowed something."""
    for role, (_account, kind) in rules.ROLES.items():
        answers = {
            rules.expected(kind, action, relation)
            for relation in rules.TARGETS[role]
            for action in rules.ACTIONS
        }
        assert False in answers
        assert (True in answers) is (kind != "anonymous")


@pytest.mark.django_db
def test_catalogue_columns_exist_for_every_target():
    # Guards the fixtures: a renamed column would make every move cell a silent deny.
    slugs = {slug for targets in rules.TARGETS.values() for slug in targets.values()}
    for slug in slugs:
        assert CatalogueClassPage.objects.filter(url_path__endswith=f"/{slug}/gkml/wtjd/").exists()
