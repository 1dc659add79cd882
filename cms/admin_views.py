"""Admin views of the top layer: the disclosure offices' workflow report of their own units
and the Chinese editor's guide."""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports.workflows import WorkflowView
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from unit_sites.models import UnitPage, UnitRole


def office_units(user):
    """The unit pages whose disclosure office the user belongs to."""
    return UnitPage.objects.filter(
        role_groups__role=UnitRole.OFFICE, role_groups__group__user=user
    ).distinct()


def is_office(user):
    return user.is_active and office_units(user).exists()


def pages_overseen(user):
    """Every page under the units the user's offices oversee."""
    condition = Q(pk__in=[])
    for unit in office_units(user):
        condition |= Q(path__startswith=unit.path)
    return Page.objects.filter(condition)


class OfficeWorkflowReportView(WorkflowView):
    """Wagtail's workflow report, limited to the pages of the office's own units (Wagtail's
    site-wide report is the web team's)."""

    page_title = _("Review workflows of my units")
    index_url_name = "gongkai_office_workflow_report"
    index_results_url_name = "gongkai_office_workflow_report_results"

    def dispatch(self, request, *args, **kwargs):
        if not is_office(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def header_buttons(self):
        return []

    def get_queryset(self):
        pages = pages_overseen(self.request.user).values_list(
            Cast("id", output_field=CharField()), flat=True
        )
        return (
            WorkflowState.objects.filter(
                base_content_type_id=get_default_page_content_type().id, object_id__in=pages
            )
            .select_related("workflow", "requested_by")
            .prefetch_related("content_object", "content_object__latest_revision")
            .order_by("-created_at")
        )


class EditorGuideView(WagtailAdminTemplateMixin, TemplateView):
    """The editor's guide in Chinese, in the admin (the help menu leads here)."""

    template_name = "cms/admin/editor_guide.html"
    page_title = _("Editor's guide")
    header_icon = "help"
