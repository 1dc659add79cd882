"""Admin views: generate a unit's report for a year, and download a draft's tables."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unit_sites.models import UnitPage

from .export import to_xlsx
from .generation import FIRST_YEAR, _column, generate_report, previous_year, report_for
from .models import AnnualReportPage


class GenerateForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year reported on"))


def can_generate(user, unit, year):
    existing = report_for(unit, year)
    if existing is not None:
        return existing.permissions_for_user(user).can_edit()
    try:
        column = _column(unit)
    except ValidationError:
        return user.is_superuser
    return column.permissions_for_user(user).can_add_subpage()


def generate(request, unit_id):
    unit = get_object_or_404(UnitPage, pk=unit_id)
    today = timezone.localdate()
    try:
        initial_year = int(request.GET.get("year") or previous_year(today))
    except ValueError:
        initial_year = previous_year(today)
    form = GenerateForm(request.POST or None, initial={"year": initial_year})
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        if not can_generate(request.user, unit, year):
            raise PermissionDenied
        try:
            report = generate_report(unit, year, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("year", message)
        else:
            messages.success(
                request,
                _(
                    "The %(year)s report was generated as a draft from the platform's records. "
                    "Check it, complete the figures entered by hand and submit it for review."
                )
                % {"year": year},
            )
            return redirect("wagtailadmin_pages:edit", report.pk)
    elif request.method == "GET" and not can_generate(request.user, unit, initial_year):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "annual_reports/admin/generate.html",
        {"unit": unit, "form": form, "first_year": FIRST_YEAR, "last_year": today.year},
    )


def draft_xlsx(request, page_id):
    """The latest revision's tables (draft included), for the unit's own checking."""
    page = get_object_or_404(AnnualReportPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    report = page.get_latest_revision_as_object()
    response = HttpResponse(
        to_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="annual-report-{report.report_year}-{page.pk}-draft.xlsx"'
    )
    return response
