"""Admin views: inspection runs and their findings, the ranking (table, chart, XLSX), a unit's
drill-down and the manual adjustment form.

Every view narrows what it reads to the units the user may see (permissions.py): another
unit's card or findings answer 404, an action the user may not take answers 403."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from unit_sites.models import UnitKind

from .charts import bar_chart
from .export import ranking_workbook
from .inspection import run_inspection
from .models import Indicator, InspectionRun, ScoreCard, ScoringScheme, Severity
from .permissions import (
    can_oversee,
    can_see_supervision,
    is_office,
    overseen_units,
    visible_units,
)
from .scoring import add_adjustment, indicator_summary, ranking, score_units

RUNS_SHOWN = 30
FINDINGS_PER_PAGE = 100

KIND_FILTERS = {
    "governments": (gettext_lazy("Governments"), list(UnitKind.governments())),
    "departments": (
        gettext_lazy("Departments and institutions"),
        [UnitKind.DEPARTMENT, UnitKind.INSTITUTION, UnitKind.AGENCY],
    ),
}


def _require_supervision(user):
    if not can_see_supervision(user):
        raise PermissionDenied


def _require_office(user):
    if not is_office(user):
        raise PermissionDenied


def index(request):
    _require_supervision(request.user)
    if is_office(request.user):
        return redirect("supervision_ranking")
    return redirect("supervision_inspections")


# --- inspections -----------------------------------------------------------------------------


def inspections(request):
    user = request.user
    _require_supervision(user)
    units = visible_units(user)
    runs = (
        InspectionRun.objects.filter(units__in=units)
        .distinct()
        .select_related("started_by")
        .annotate(
            visible_findings=Count(
                "findings", filter=Q(findings__unit__in=units.values("pk")), distinct=True
            )
        )[:RUNS_SHOWN]
    )
    return TemplateResponse(
        request,
        "supervision/inspections.html",
        {"runs": runs, "can_run": is_office(user)},
    )


@require_POST
def run_now(request):
    user = request.user
    _require_office(user)
    units = list(overseen_units(user).order_by("path"))
    run = run_inspection(units, trigger=InspectionRun.Trigger.ADMIN, user=user)
    messages.success(
        request,
        _("Inspection finished: %(units)s units, %(findings)s findings.")
        % {"units": len(units), "findings": run.findings.count()},
    )
    return redirect("supervision_inspection", run.pk)


def inspection(request, run_id):
    user = request.user
    _require_supervision(user)
    units = visible_units(user)
    run = get_object_or_404(InspectionRun.objects.filter(units__in=units).distinct(), pk=run_id)
    findings = run.findings.filter(unit__in=units).select_related("unit", "page", "content_type")
    unit_choices = list(units.filter(pk__in=run.findings.values("unit_id")).order_by("path"))
    filters = {
        "unit": request.GET.get("unit", ""),
        "indicator": request.GET.get("indicator", ""),
        "severity": request.GET.get("severity", ""),
    }
    if filters["unit"].isdigit():
        findings = findings.filter(unit_id=int(filters["unit"]))
    if filters["indicator"] in Indicator.values:
        findings = findings.filter(indicator=filters["indicator"])
    if filters["severity"] in Severity.values:
        findings = findings.filter(severity=filters["severity"])
    summary = (
        run.findings.filter(unit__in=units)
        .values("unit__title", "unit_id")
        .annotate(
            total=Count("pk"),
            vetoes=Count("pk", filter=Q(severity=Severity.VETO)),
        )
        .order_by("-vetoes", "-total", "unit__title")
    )
    page = Paginator(findings, FINDINGS_PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "supervision/inspection.html",
        {
            "run": run,
            "findings": page,
            "summary": summary,
            "filters": filters,
            "unit_choices": unit_choices,
            "indicators": Indicator.choices,
            "severities": Severity.choices,
        },
    )


# --- scoring ---------------------------------------------------------------------------------


def _scheme(scheme_id):
    if scheme_id is None:
        scheme = ScoringScheme.current()
        if scheme is None:
            raise Http404(_("There is no scoring scheme."))
        return scheme
    return get_object_or_404(ScoringScheme, pk=scheme_id)


def _ranked_units(request):
    units = overseen_units(request.user)
    kind = request.GET.get("kind", "")
    if kind in KIND_FILTERS:
        units = units.filter(kind__in=KIND_FILTERS[kind][1])
    return units, kind


def ranking_view(request, scheme_id=None):
    user = request.user
    _require_office(user)
    scheme = _scheme(scheme_id)
    units, kind = _ranked_units(request)
    if request.method == "POST":
        score_units(scheme, list(units.order_by("path")))
        messages.success(request, _("Scores recomputed."))
        url = reverse("supervision_ranking_scheme", args=[scheme.pk])
        return redirect(f"{url}?kind={kind}" if kind else url)
    cards = ranking(scheme, units)
    chart = _ranking_chart(scheme, cards)
    unscored = units.exclude(pk__in=[card.unit_id for card in cards]).count()
    return TemplateResponse(
        request,
        "supervision/ranking.html",
        {
            "scheme": scheme,
            "schemes": ScoringScheme.objects.all(),
            "cards": cards,
            "chart": chart,
            "unscored": unscored,
            "kind": kind,
            "kinds": [(value, label) for value, (label, _kinds) in KIND_FILTERS.items()],
        },
    )


def ranking_xlsx(request, scheme_id):
    user = request.user
    _require_office(user)
    scheme = _scheme(scheme_id)
    units, _kind = _ranked_units(request)
    cards = ranking(scheme, units)
    content = ranking_workbook(
        scheme, cards, base_url=getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ranking-{scheme.pk}.xlsx"'
    return response


def _visible_unit(user, unit_id):
    _require_supervision(user)
    return get_object_or_404(visible_units(user), pk=unit_id)


def unit_card(request, scheme_id, unit_id):
    user = request.user
    unit = _visible_unit(user, unit_id)
    scheme = _scheme(scheme_id)
    card = (
        ScoreCard.objects.filter(scheme=scheme, unit=unit)
        .select_related("scheme", "inspection_run")
        .first()
    )
    groups, chart = [], None
    if card is not None:
        deductions = list(card.deductions.select_related("page", "content_type", "finding"))
        summary = indicator_summary(card)
        for indicator, weight, lost, earned in summary:
            groups.append(
                {
                    "indicator": indicator,
                    "weight": weight,
                    "lost": lost,
                    "earned": earned,
                    "deductions": [d for d in deductions if d.indicator == indicator.code],
                }
            )
        chart = bar_chart(
            _("Points earned by indicator"),
            [
                (indicator.get_code_display(), earned, f"#indicator-{indicator.code}", lost > 0)
                for indicator, weight, lost, earned in summary
            ],
            max([weight for _i, weight, _l, _e in summary], default=1),
        )
    return TemplateResponse(
        request,
        "supervision/unit.html",
        {
            "scheme": scheme,
            "unit": unit,
            "card": card,
            "groups": groups,
            "chart": chart,
            "adjustments": scheme.adjustments.filter(unit=unit).select_related("created_by"),
            "can_adjust": can_oversee(user, unit),
            "is_office": is_office(user),
        },
    )


class AdjustmentForm(forms.Form):
    points = forms.DecimalField(
        label=gettext_lazy("Points"),
        max_digits=7,
        decimal_places=2,
        help_text=gettext_lazy("Positive to add points, negative to deduct."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=2000)


def adjust(request, scheme_id, unit_id):
    user = request.user
    unit = _visible_unit(user, unit_id)
    if not can_oversee(user, unit):
        raise PermissionDenied
    scheme = _scheme(scheme_id)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_adjustment(
                scheme,
                unit,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                user=user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Adjustment recorded."))
            return redirect("supervision_unit", scheme.pk, unit.pk)
    return TemplateResponse(
        request,
        "supervision/adjust.html",
        {"scheme": scheme, "unit": unit, "form": form},
    )


def _ranking_chart(scheme, cards):
    return bar_chart(
        _("Score by unit"),
        [
            (
                card.unit.display_name,
                card.score,
                reverse("supervision_unit", args=[scheme.pk, card.unit_id]),
                card.failed,  # failing units in grey, below the others
            )
            for card in cards
        ],
        scheme.max_points,
    )


@require_POST
def bulletin_create(request, scheme_id):
    """Write the 通报 of the scheme's results as a draft item of the office's 工作动态."""
    from .bulletin import generate_bulletin

    user = request.user
    _require_office(user)
    scheme = _scheme(scheme_id)
    try:
        page = generate_bulletin(scheme, user, units=overseen_units(user))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("supervision_ranking_scheme", scheme.pk)
    messages.success(
        request,
        _(
            "The bulletin %(number)s is saved as a draft in the office's work news. Check it, "
            "then submit it for review to publish it."
        )
        % {"number": page.doc_number},
    )
    return redirect("supervision_bulletin_print", scheme.pk, page.pk)


def bulletin_print(request, scheme_id, page_id):
    """The 通报 (its latest revision, draft or not) with the ranking chart, for printing."""
    from disclosure_pages.models import NewsPage

    from .bulletin import office_unit

    user = request.user
    _require_office(user)
    scheme = _scheme(scheme_id)
    unit = office_unit(user)
    page = get_object_or_404(NewsPage, pk=page_id)
    if unit is None or not page.path.startswith(unit.path):
        raise Http404
    bulletin = page.get_latest_revision_as_object()
    cards = ranking(scheme, overseen_units(user))
    return TemplateResponse(
        request,
        "supervision/bulletin_print.html",
        {
            "scheme": scheme,
            "page": page,
            "bulletin": bulletin,
            "chart": _ranking_chart(scheme, cards) if cards else None,
            "xlsx_url": reverse("supervision_ranking_xlsx", args=[scheme.pk]),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )
