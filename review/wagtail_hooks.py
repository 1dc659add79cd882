from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from unit_sites.modeladmin import ScopedHistoryView
from unit_sites.models import UnitPage, UnitRole

from . import feedback, permissions, views
from .documents import (
    choosable_documents,
    foreign_documents,
    is_public_document,
    may_choose_document,
)
from .models import FILED_CLASS_CODES, FilingRecord, Withdrawal
from .panels import DeadlinesPanel


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path(
            "review/pages/<int:page_id>/screening/", views.screening_report, name="review_screening"
        ),
        path("review/pages/<int:page_id>/record/", views.item_record, name="review_item_record"),
        path("review/pages/<int:page_id>/withdraw/", views.withdraw, name="review_withdraw"),
    ]


def _is_disclosure_item(page):
    return hasattr(page.specific_deferred, "catalogue_class_id")


@hooks.register("register_page_header_buttons")
def review_header_buttons(page, user, view_name, next_url=None):
    if not _is_disclosure_item(page):
        return
    item = page.specific
    if permissions.can_see_records(user, item):
        yield PageMenuItem(
            gettext_lazy("Review record"),
            reverse("review_item_record", args=[page.pk]),
            icon_name="tasks",
            priority=60,
            page=page,
        )
        yield PageMenuItem(
            gettext_lazy("Screening"),
            reverse("review_screening", args=[page.pk]),
            icon_name="warning",
            priority=61,
            page=page,
        )
    if page.live and permissions.can_withdraw(user, getattr(item, "unit", None)):
        yield PageMenuItem(
            gettext_lazy("Withdraw"),
            reverse("review_withdraw", args=[page.pk]),
            icon_name="cross",
            priority=62,
            page=page,
        )


SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def report_the_submission(request, page):
    """After 提交: a screening rejection is an error in the edit view, not a green "submitted";
    a submission nobody else can approve is warned about at once."""
    if not any(action in request.POST for action in SUBMIT_ACTIONS):
        return None
    if not _is_disclosure_item(page):
        return None
    if feedback.screening_rejection(page) is not None:
        feedback.drop_success_messages(request)
        return redirect("wagtailadmin_pages:edit", page.pk)  # shows the findings, see below
    feedback.warn_if_nobody_else_can_approve(request, page)
    return None


@hooks.register("before_edit_page")
def show_screening_findings(request, page):
    """While the screening's findings wait for a fix, the edit view says what and where."""
    if request.method != "GET" or not _is_disclosure_item(page):
        return None
    report = feedback.screening_rejection(page)
    if report is not None and report.findings:
        messages.error(request, feedback.screening_message(report))
    return None


@hooks.register("disclosure_item_status")
def withdrawn_status(page):
    """An item taken offline through a withdrawal is 已撤回 in the admin, not 草稿."""
    if not page.live and page.pk and Withdrawal.objects.filter(page_id=page.pk).exists():
        return pgettext("page status", "withdrawn")
    return None


@hooks.register("before_unpublish_page")
def unpublish_through_withdrawal(request, page):
    """Unpublishing a disclosure item always records a public reason (and filing, Art. 9)."""
    if _is_disclosure_item(page):
        return redirect("review_withdraw", page.pk)
    return None


@hooks.register("before_delete_page")
def refuse_unfiled_removal(request, page):
    if not _is_disclosure_item(page):
        return None
    item = page.specific
    filed_class = getattr(item.catalogue_class, "code", None) in FILED_CLASS_CODES
    if (
        filed_class
        and item.first_published_at
        and not FilingRecord.objects.filter(page=item, kind=FilingRecord.Kind.REMOVAL).exists()
    ):
        messages.error(
            request,
            _(
                "This item of functions or powers was published: withdraw it with a reason filed "
                "with the disclosure office before deleting it (Art. 9)."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_unpublish_of_items(request, action_type, objects, action_class_instance):
    if action_type == "page" and action_class_instance.action_type in {"unpublish", "delete"}:
        if any(_is_disclosure_item(page) for page in objects):
            messages.error(request, _("Withdraw disclosure items one by one, with a reason."))
            return redirect("wagtailadmin_home")
    return None


@hooks.register("before_serve_document")
def serve_only_reviewed_documents(document, request):
    """A file of an item still in review is not public yet (see review.documents): only staff
    who may choose it (their units' collections) fetch it before."""
    if is_public_document(document):
        return None
    user = request.user
    if (
        user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
        and may_choose_document(user, document)
    ):
        return None
    raise Http404


class ChoosableDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents (/admin/api/main/documents/): only those the user may choose,
    as in the document chooser; Wagtail's own lists every document with its download URL."""

    def get_queryset(self):
        return choosable_documents(self.request.user, super().get_queryset())


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own registration
def register_choosable_documents_endpoint(router):
    router.register_endpoint("documents", ChoosableDocumentsAdminAPIViewSet)


def _refuse_foreign_documents(request, page, before, back_url):
    """Undo a save that links documents the user may not attach (review.documents): the POST
    is one transaction (review.middleware.AtomicAdminPostMiddleware), rolled back here."""
    foreign = foreign_documents(request.user, page, before)
    if not foreign:
        return None
    transaction.set_rollback(True)
    if request.accepts("application/json") and not request.accepts("text/html"):
        raise PermissionDenied
    list(messages.get_messages(request))  # drop the "saved" confirmation: nothing was
    messages.error(
        request,
        _(
            "Nothing was saved: you may not attach %(documents)s. Choose documents from your "
            "own unit's collection, or published ones."
        )
        % {"documents": "、".join(f"“{document.title}”" for document in foreign)},
    )
    return redirect(back_url)


@hooks.register("after_create_page")
def refuse_foreign_documents_on_create(request, page):
    return _refuse_foreign_documents(
        request, page, None, reverse("wagtailadmin_explore", args=[page.get_parent().pk])
    )


@hooks.register("after_edit_page")
def refuse_foreign_documents_on_edit(request, page):
    # The content before this edit: the revision before the one just saved (if any).
    revisions = page.revisions.order_by("-created_at", "-id")[:2]
    before = revisions[1].as_object() if len(revisions) > 1 else None
    return _refuse_foreign_documents(
        request, page, before, reverse("wagtailadmin_pages:edit", args=[page.pk])
    )


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request, panels):
    panels.append(DeadlinesPanel(request.user))


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action(
        "review.override", _("Override screening"), _("Screening finding overridden")
    )


class FilingRecordAdmin(ModelAdmin):
    """The offices' register of Art. 9 filings, with filters and CSV/XLSX export."""

    model = FilingRecord
    history_view_class = ScopedHistoryView
    menu_label = gettext_lazy("Filings register")
    menu_icon = "doc-full-inverse"
    add_to_settings_menu = False
    inspect_view_enabled = True
    list_display = (
        "number",
        "kind",
        "page_title",
        "unit_name",
        "office_name",
        "filed_by",
        "filed_at",
    )
    list_filter = ("kind", "year", "office_name")
    search_fields = ("number", "page_title", "unit_name", "reason")
    list_export = (
        "number",
        "kind",
        "page_title",
        "unit_name",
        "office_name",
        "year",
        "reason",
        "filed_by",
        "filed_at",
    )
    export_filename = "filings"

    def get_queryset(self, request):
        """The city office sees every filing; a county office sees those filed with it."""
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser or user.has_perm("review.change_filingrecord"):
            return queryset
        offices = UnitPage.objects.filter(
            role_groups__role=UnitRole.OFFICE, role_groups__group__in=user.groups.all()
        )
        if offices.filter(depth=2).exists():
            return queryset
        return queryset.filter(office_name__in=[office.display_name for office in offices])


modeladmin_register(FilingRecordAdmin)


@hooks.register("gongkai_screen_imported_page")
def screen_imported_page(page):
    """Imported records are screened like submitted drafts (disclosure_pages.importing).
    An attachment whose text cannot be read (a scan, an old .doc) is no reason to hold a
    record the old platform had published: only what the screen actually found counts."""
    from .page_screening import screen_page
    from .screening import Kind

    return [
        f"{finding.where_label}：{finding.label} {finding.value_masked}"
        for finding in screen_page(page)
        if finding.finding.kind != Kind.NOT_SCREENED
    ]
