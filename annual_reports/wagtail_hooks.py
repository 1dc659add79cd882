from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from unit_sites.models import UnitPage

from . import views
from .generation import previous_year
from .models import AnnualReportPage
from .panels import AnnualReportDeadlinesPanel


@hooks.register("register_admin_urls")
def register_annual_report_urls():
    return [
        path(
            "annual-reports/generate/<int:unit_id>/", views.generate, name="annual_reports_generate"
        ),
        path("annual-reports/<int:page_id>/xlsx/", views.draft_xlsx, name="annual_reports_xlsx"),
    ]


@hooks.register("construct_homepage_panels")
def add_annual_report_panel(request, panels):
    panels.append(AnnualReportDeadlinesPanel(request.user))


@hooks.register("register_page_header_buttons")
def annual_report_buttons(page, user, view_name, next_url=None):
    specific_class = page.specific_class
    if specific_class is UnitPage and views.can_generate(
        user, page.specific_deferred, previous_year()
    ):
        yield PageMenuItem(
            _("Annual report"),
            reverse("annual_reports_generate", args=[page.pk]),
            icon_name="doc-full",
            priority=70,
            page=page,
        )
    elif specific_class is AnnualReportPage and page.permissions_for_user(user).can_edit():
        report = page.specific_deferred
        yield PageMenuItem(
            _("Generate again from the records"),
            reverse("annual_reports_generate", args=[report.unit_id])
            + f"?year={report.report_year}",
            icon_name="resubmit",
            priority=70,
            page=page,
        )
        yield PageMenuItem(
            _("Export the tables (XLSX)"),
            reverse("annual_reports_xlsx", args=[page.pk]),
            icon_name="download",
            priority=71,
            page=page,
        )
