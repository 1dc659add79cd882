"""The whole review path through the admin's HTTP views, as the demo accounts would walk it:
editor submits → automatic screening → unit review → secrecy review → (office filing) → live."""

import pytest
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from disclosure_pages.models import DisclosureItem, NewsPage, PowerItemPage
from review.models import (
    FilingRecord,
    ScreeningReport,
    SecrecyReviewState,
    Withdrawal,
)
from tests.factories import add_item, column

pytestmark = pytest.mark.django_db


# A resident ID number with a valid GB 11643 check digit (built, not a real person's).
def _id_number(first17="23040219900307123"):
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
    return first17 + check


def submit_draft(client, page, **changes):
    """Open the item in the admin editor as the logged-in user and press 'Submit'."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(edit_url)
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamField inputs are built by JavaScript; these test items have empty streams.
    for field in page.specific._meta.get_fields():
        if isinstance(field, StreamField) and f"{field.name}-count" not in data:
            data[f"{field.name}-count"] = "0"
    for key, value in changes.items():
        data[key] = value
    data["action-submit"] = "1"
    return client.post(edit_url, data)


def current_task_state(page):
    state = WorkflowState.objects.active().for_instance(page).get()
    return state, state.current_task_state


def assert_denied(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    ), response


def act(client, page, action, **data):
    _state, task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, data)


def public_surfaces(client, page):
    """Everything the public can reach that could show the item."""
    return {
        "page": client.get(
            page.url_path.replace("/hegang", "", 1), HTTP_HOST="localhost"
        ).status_code,
        "api": client.get(f"/api/v2/pages/{page.pk}/", HTTP_HOST="localhost").status_code == 200,
        "sitemap": page.slug in client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode(),
        # The query is echoed in the search box, so look for the item's address in the results.
        "search": f"/{page.slug}/"
        in client.get("/search/", {"q": page.title}, HTTP_HOST="localhost").content.decode(),
    }


def assert_invisible(client, page, page_status=404):
    surfaces = public_surfaces(client, page)
    assert surfaces == {"page": page_status, "api": False, "sitemap": False, "search": False}, (
        surfaces
    )


@pytest.fixture
def draft(user_named):
    return add_item(
        NewsPage,
        "fgw",
        publish=False,
        user=user_named("fgw-editor"),
        title="发改委召开项目推进会",
        slug="xiangmu-tuijinhui",
    )


def test_the_whole_path_publishes_only_after_the_last_approval(client, client_for, draft):
    editor = client_for("fgw-editor")
    response = submit_draft(editor, draft)
    assert response.status_code == 302

    state, task_state = current_task_state(draft)
    screening = ScreeningReport.objects.get(page=draft)
    assert screening.passed
    assert task_state.task.specific.__class__.__name__ == "UnitReviewTask"
    client.logout()
    assert_invisible(client, draft)

    assert act(client_for("fgw-reviewer"), draft, "approve").status_code == 302
    _state, task_state = current_task_state(draft)
    assert isinstance(task_state.specific, SecrecyReviewState)
    client.logout()
    assert_invisible(client, draft)

    secrecy = client_for("fgw-secrecy")
    assert act(secrecy, draft, "approve", attest="on", comment="经审查不涉密").status_code == 302
    draft.refresh_from_db()
    assert draft.live
    item = DisclosureItem.objects.get(pk=draft.pk)
    assert item.index_number
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    record = SecrecyReviewState.objects.get(workflow_state=state)
    assert record.attested and record.comment == "经审查不涉密"
    assert record.finished_by.username == "fgw-secrecy"
    # The secrecy reviewer holds no publish permission: the workflow published.
    assert not draft.permissions_for_user(record.finished_by).can_publish()

    client.logout()
    assert client.get("/fgw/gkml/gzdt/xiangmu-tuijinhui/", HTTP_HOST="localhost").status_code == 200


def test_screening_rejects_personal_data_with_masked_findings(client_for, draft):
    number = _id_number()
    editor = client_for("fgw-editor")
    submit_draft(editor, draft, summary=f"联系人身份证号{number}")
    state = WorkflowState.objects.for_instance(draft).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    report = ScreeningReport.objects.get(page=draft)
    assert [f["kind"] for f in report.findings] == ["id_number"]
    assert number not in str(report.findings)  # masked
    rejection = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_REJECTED)
    assert report.findings[0]["value"] in rejection.comment
    page = editor.get(reverse("review_screening", args=[draft.pk])).content.decode()
    assert "<mark>" in page and report.findings[0]["value"] in page


def test_a_secrecy_reviewer_overrides_a_false_positive_with_a_reason(client_for, draft):
    submit_draft(client_for("fgw-editor"), draft, summary=f"样例号码{_id_number()}")
    report = ScreeningReport.objects.get(page=draft)
    url = reverse("review_screening", args=[draft.pk])
    # The editor may read the findings but not override them.
    response = client_for("fgw-editor").post(
        url, {"finding_keys": [report.findings[0]["key"]], "reason": "x"}
    )
    assert not draft.screening_overrides.exists()
    assert response.status_code == 200

    secrecy = client_for("fgw-secrecy")
    response = secrecy.post(
        url, {"finding_keys": [report.findings[0]["key"]], "reason": "示例号码，非真实个人信息"}
    )
    assert response.status_code == 302
    override = draft.screening_overrides.get()
    assert (
        override.reason == "示例号码，非真实个人信息"
        and override.decided_by.username == "fgw-secrecy"
    )
    _state, task_state = current_task_state(draft)
    assert task_state.task.specific.__class__.__name__ == "UnitReviewTask"


def test_nobody_approves_their_own_submission(client_for, user_named):
    page = add_item(NewsPage, "fgw", publish=False, user=user_named("fgw-reviewer"))
    submit_draft(client_for("fgw-reviewer"), page)
    assert_denied(act(client_for("fgw-reviewer"), page, "approve"))
    _state, task_state = current_task_state(page)
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert (
        not TaskState.objects.reviewable_by(user_named("fgw-reviewer"))
        .filter(pk=task_state.pk)
        .exists()
    )


@pytest.mark.parametrize(
    "username", ["czj-reviewer", "luobei-reviewer", "fgw-editor", "czj-secrecy"]
)
def test_no_other_unit_or_role_can_act(client_for, draft, username):
    submit_draft(client_for("fgw-editor"), draft)
    assert_denied(act(client_for(username), draft, "approve"))
    _state, task_state = current_task_state(draft)
    assert task_state.task.specific.__class__.__name__ == "UnitReviewTask"
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_each_reviewers_queue_shows_only_their_units(client_for, draft, user_named):
    submit_draft(client_for("fgw-editor"), draft)
    _state, task_state = current_task_state(draft)
    assert (
        TaskState.objects.reviewable_by(user_named("fgw-reviewer"))
        .filter(pk=task_state.pk)
        .exists()
    )
    assert (
        not TaskState.objects.reviewable_by(user_named("czj-reviewer"))
        .filter(pk=task_state.pk)
        .exists()
    )
    assert draft.title in client_for("fgw-reviewer").get("/admin/").content.decode()
    assert draft.title not in client_for("czj-reviewer").get("/admin/").content.decode()


def test_secrecy_approval_needs_the_attestation_and_rejection_a_comment(client_for, draft):
    submit_draft(client_for("fgw-editor"), draft)
    act(client_for("fgw-reviewer"), draft, "approve")
    secrecy = client_for("fgw-secrecy")
    act(secrecy, draft, "approve", comment="没有勾选")
    _state, task_state = current_task_state(draft)
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    act(secrecy, draft, "reject", comment="")
    _state, task_state = current_task_state(draft)
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    draft.refresh_from_db()
    assert not draft.live
    act(secrecy, draft, "reject", comment="附件含内部资料，请删除")
    assert (
        WorkflowState.objects.for_instance(draft).get().status == WorkflowState.STATUS_NEEDS_CHANGES
    )


def test_powers_are_filed_by_the_county_office(client, client_for, user_named):
    page = add_item(
        PowerItemPage,
        "luobei-jyj",
        publish=False,
        user=user_named("luobei-jyj-editor"),
        power_type="licensing",
        legal_basis="《中华人民共和国民办教育促进法》",
        slug="minban-xuexiao",
    )
    submit_draft(client_for("luobei-jyj-editor"), page)
    act(client_for("luobei-jyj-reviewer"), page, "approve")
    act(client_for("luobei-jyj-secrecy"), page, "approve", attest="on")
    _state, task_state = current_task_state(page)
    assert task_state.task.specific.__class__.__name__ == "FilingTask"
    page.refresh_from_db()
    assert not page.live
    assert_denied(act(client_for("gongkaiban"), page, "approve"))
    assert act(client_for("luobei-office"), page, "approve", comment="同意备案").status_code == 302
    page.refresh_from_db()
    assert page.live
    filing = FilingRecord.objects.get(page=page)
    assert filing.kind == FilingRecord.Kind.ADDITION
    assert filing.number.startswith("萝北县备〔") and filing.filed_by.username == "luobei-office"


def test_other_classes_skip_the_filing_task(client_for, draft):
    submit_draft(client_for("fgw-editor"), draft)
    act(client_for("fgw-reviewer"), draft, "approve")
    act(client_for("fgw-secrecy"), draft, "approve", attest="on")
    state = WorkflowState.objects.for_instance(draft).get()
    assert (
        TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_SKIPPED).count() == 1
    )
    assert not FilingRecord.objects.exists()


def test_the_review_record_shows_who_did_what(client_for, draft):
    submit_draft(client_for("fgw-editor"), draft)
    act(client_for("fgw-reviewer"), draft, "approve")
    act(client_for("fgw-secrecy"), draft, "approve", attest="on", comment="不涉密")
    body = (
        client_for("fgw-editor")
        .get(reverse("review_item_record", args=[draft.pk]))
        .content.decode()
    )
    for username in ("fgw-editor", "fgw-reviewer", "fgw-secrecy"):
        assert username in body or "市发改委" in body
    assert "不涉密" in body
    assert_denied(client_for("czj-editor").get(reverse("review_item_record", args=[draft.pk])))


def test_unpublishing_goes_through_withdrawal_with_a_public_notice(client, client_for):
    item = add_item(NewsPage, "fgw", title="已撤回的通知", slug="withdrawn-notice")
    admin = client_for("admin")
    response = admin.post(reverse("wagtailadmin_pages:unpublish", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "review_withdraw", args=[item.pk]
    )
    item.refresh_from_db()
    assert item.live  # Wagtail's own unpublish never bypasses the reason
    response = admin.post(
        reverse("review_withdraw", args=[item.pk]), {"reason": "error", "note": "发布有误"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.live
    client.logout()
    notice = client.get("/fgw/gkml/gzdt/withdrawn-notice/", HTTP_HOST="localhost")
    assert notice.status_code == 410
    body = notice.content.decode()
    assert "已撤回的通知" in body and "发布有误" in body
    assert_invisible(client, item, page_status=410)


def test_a_secrecy_emergency_notice_hides_the_title(client, client_for):
    item = add_item(NewsPage, "fgw", title="误发的内部材料", slug="emergency")
    response = client_for("fgw-secrecy").post(
        reverse("review_withdraw", args=[item.pk]), {"reason": "secrecy"}
    )
    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get(page=item)
    assert withdrawal.withdrawn_by.username == "fgw-secrecy" and withdrawal.is_secrecy_emergency
    client.logout()
    notice = client.get("/fgw/gkml/gzdt/emergency/", HTTP_HOST="localhost")
    assert notice.status_code == 410 and "误发的内部材料" not in notice.content.decode()


def test_only_secrecy_reviewers_and_offices_declare_a_secrecy_emergency(client_for):
    item = add_item(NewsPage, "fgw", slug="not-emergency")
    client_for("fgw-reviewer").post(
        reverse("review_withdraw", args=[item.pk]), {"reason": "secrecy"}
    )
    item.refresh_from_db()
    assert item.live
    assert_denied(client_for("fgw-editor").get(reverse("review_withdraw", args=[item.pk])))
    assert_denied(client_for("czj-secrecy").get(reverse("review_withdraw", args=[item.pk])))


def test_removing_a_power_needs_a_filing_with_reason(client_for):
    item = add_item(PowerItemPage, "fgw", power_type="penalty", legal_basis="依据", slug="power-x")
    url = reverse("review_withdraw", args=[item.pk])
    reviewer = client_for("fgw-reviewer")
    reviewer.post(url, {"reason": "expired"})
    item.refresh_from_db()
    assert item.live and not FilingRecord.objects.exists()
    # Deleting a published power without a removal filing is refused too.
    admin = client_for("admin")
    admin.post(reverse("wagtailadmin_pages:delete", args=[item.pk]))
    assert Page.objects.filter(pk=item.pk).exists()

    reviewer.post(url, {"reason": "expired", "filing_reason": "职能已划转至市场监管局"})
    item.refresh_from_db()
    assert not item.live
    filing = FilingRecord.objects.get(page=item)
    assert filing.kind == FilingRecord.Kind.REMOVAL and filing.reason == "职能已划转至市场监管局"
    admin.post(reverse("wagtailadmin_pages:delete", args=[item.pk]))
    assert not Page.objects.filter(pk=item.pk).exists()


def test_the_filings_register_exports(client_for):
    item = add_item(PowerItemPage, "fgw", power_type="penalty", legal_basis="依据", slug="power-y")
    client_for("fgw-reviewer").post(
        reverse("review_withdraw", args=[item.pk]), {"reason": "expired", "filing_reason": "取消"}
    )
    office = client_for("gongkaiban")
    listing = office.get("/admin/review/filingrecord/")
    assert (
        listing.status_code == 200 and FilingRecord.objects.get().number in listing.content.decode()
    )
    export = office.get("/admin/review/filingrecord/?export=csv")
    assert export.status_code == 200
    assert "取消" in b"".join(export.streaming_content).decode("utf-8-sig")
    assert column("fgw", "xzql")  # the item lived in the powers column


def test_attachments_of_items_in_review_are_not_public(
    client, user_named, django_capture_on_commit_callbacks, settings
):
    # The in-memory test storage has no real file path: let Wagtail redirect to its URL.
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    unit = user_named("fgw-editor").groups.first().unit_role.unit
    document = Document.objects.create(
        title="审核中的附件",
        file=ContentFile(b"draft attachment", name="draft.txt"),
        collection=unit.collection,
    )
    # The reference index is updated by a task run on commit.
    with django_capture_on_commit_callbacks(execute=True):
        draft = add_item(
            NewsPage,
            "fgw",
            publish=False,
            slug="with-attachment",
            attachments=[("attachment", {"document": document, "title": ""})],
        )
    client.logout()
    assert client.get(document.url, HTTP_HOST="localhost").status_code == 404
    listing = client.get("/api/v2/documents/", HTTP_HOST="localhost").json()
    assert document.pk not in [item["id"] for item in listing["items"]]

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert client.get(document.url, HTTP_HOST="localhost").status_code == 302
    listing = client.get("/api/v2/documents/", HTTP_HOST="localhost").json()
    assert document.pk in [item["id"] for item in listing["items"]]
