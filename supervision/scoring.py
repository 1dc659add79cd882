"""Scoring units under the disclosure office's scheme (考核评分), with the drill-down.

`score_units(scheme, units)` computes each unit's score card and keeps one deduction row per
item behind a lost point (the late item, the unanswered application, the missing key kind's
column, the negative rating, the inspection finding), so the office can follow every point to
its cause. Manual adjustments (`add_adjustment`) are kept apart and survive recomputation.

A unit fails (不合格) whatever its points, and ranks below every unit that passes, when
- it published no item in the period (an empty site is not a good one), or
- an indicator the scheme marks as a single-item veto (单项否决) finds against it: for the
  finding-based indicators a finding that fails the site (Severity.VETO), for the others any
  item concerned. The reasons are kept on the card.

How each indicator loses points (W = its weight):
- proportional indicators (timeliness, coverage, requests, complaints, ratings) lose W × the
  share of items concerned: each item concerned costs W / (items counted);
- finding-based indicators (update frequency, inspection findings) lose `per_item` points per
  finding of the latest inspection in the period (twice that for a finding that fails the
  site), scaled down to W when they add up to more.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from citizen_services.choices import ComplaintStatus, Status
from citizen_services.models import Complaint, InformationRequest, Rating
from disclosure_pages.models import CatalogueNode, DisclosureItem

from .inspection import late_items, load_calendar, overdue_pending, unit_columns
from .models import (
    SITE_QUALITY_INDICATORS,
    STALE_INDICATORS,
    Deduction,
    Finding,
    InspectionRun,
    ScoreAdjustment,
    ScoreCard,
    ScoringIndicatorCode,
    Severity,
)

CENT = Decimal("0.01")
DEFAULT_PER_ITEM = {
    ScoringIndicatorCode.UPDATE_FREQUENCY: Decimal(5),
    ScoringIndicatorCode.INSPECTION: Decimal(2),
}

# The default scheme (seeded by migration 0002; keep the two in step): weights add up to 100.
DEFAULT_INDICATORS = [
    (ScoringIndicatorCode.TIMELINESS, Decimal(20), None),
    (ScoringIndicatorCode.COVERAGE, Decimal(20), None),
    (ScoringIndicatorCode.UPDATE_FREQUENCY, Decimal(15), Decimal(5)),
    (ScoringIndicatorCode.REQUESTS, Decimal(15), None),
    (ScoringIndicatorCode.COMPLAINTS, Decimal(10), None),
    (ScoringIndicatorCode.RATINGS, Decimal(10), None),
    (ScoringIndicatorCode.INSPECTION, Decimal(10), Decimal(2)),
]


@dataclass
class Loss:
    """One item's share of an indicator's lost points, before scaling and rounding."""

    points: Decimal
    message: str
    target: object = None
    finding: Finding | None = None
    label: str = ""


@dataclass
class Period:
    start: object
    end: object  # the scheme's end, or today while the period runs


def _share(weight, count):
    return weight / count if count else Decimal(0)


# --- the indicators: each returns the losses of one unit ------------------------------------


def timeliness_losses(unit, weight, period):
    """Items published in the period more than 20 working days after being formed or
    changed, and items still unpublished past that deadline, over all items counted."""
    published = list(
        DisclosureItem.objects.live()
        .filter(unit=unit, publish_date__gte=period.start, publish_date__lte=period.end)
        .only("pk", "title", "formed_date", "publish_date", "path")
    )
    late = late_items(published, load_calendar(published, period.end))
    overdue = overdue_pending(unit, period.end)
    share = _share(weight, len(published) + len(overdue))
    losses = [
        Loss(
            share,
            _("Published %(published)s, due %(due)s (formed %(formed)s).")
            % {
                "published": item.publish_date.isoformat(),
                "due": due.isoformat(),
                "formed": item.formed_date.isoformat(),
            },
            item,
        )
        for item, due in late
    ]
    losses += [
        Loss(
            share,
            _("Not published, due %(due)s (formed %(formed)s).")
            % {"due": due.isoformat(), "formed": item.formed_date.isoformat()},
            item,
        )
        for item, due in overdue
    ]
    return losses


def coverage_losses(unit, weight, period):
    """Key kinds of Art. 8 without any published item, among those of the classes the unit
    has (a class hidden with a recorded reason does not apply)."""
    columns = {
        column.node.path: column
        for column in unit_columns(unit)
        if not (column.not_applicable and column.not_applicable_reason.strip())
    }
    steplen = CatalogueNode.steplen
    kinds = [
        (kind, columns[kind.path[:steplen]])
        # The 20 kinds of Art. 8 only: kinds added later (政策解读, the Art. 20 统计信息 and
        # 财政预决算) have no Art. 8 number and are not part of this indicator.
        for kind in CatalogueNode.objects.filter(
            level=CatalogueNode.Level.KEY_KIND, article8_item__isnull=False
        ).order_by("article8_item")
        if kind.path[:steplen] in columns
    ]
    covered = set(
        DisclosureItem.objects.live()
        .filter(unit=unit, key_kind__isnull=False)
        .values_list("key_kind_id", flat=True)
        .distinct()
    )
    share = _share(weight, len(kinds))
    return [
        Loss(
            share,
            _("No published item of key kind (%(number)s) %(name)s.")
            % {"number": kind.article8_item, "name": kind.name},
            column,
            label=f"{column.title} · {kind.name}"[:255],
        )
        for kind, column in kinds
        if kind.pk not in covered
    ]


def requests_losses(unit, weight, period):
    """Applications received in the period: unanswered past their deadline or answered late
    (the whole share), answered on time without a reply text or document (half of it)."""
    requests = list(
        InformationRequest.objects.filter(
            unit=unit, received_on__gte=period.start, received_on__lte=period.end
        ).order_by("received_on", "pk")
    )
    share = _share(weight, len(requests))
    losses = []
    for request in requests:
        if request.is_overdue(period.end):
            message = _("Application %(code)s due %(due)s is unanswered.")
        elif request.on_time is False:
            message = _("Application %(code)s due %(due)s was answered late.")
        elif (
            request.status == Status.REPLIED
            and not request.reply_text.strip()
            and not request.reply_document
        ):
            losses.append(
                Loss(
                    share / 2,
                    _("Application %(code)s was answered without a reply text or document.")
                    % {"code": request.tracking_code},
                    request,
                )
            )
            continue
        else:
            continue
        due = request.due_date.isoformat() if request.due_date else "—"
        losses.append(Loss(share, message % {"code": request.tracking_code, "due": due}, request))
    return losses


def complaints_losses(unit, weight, period):
    complaints = list(
        Complaint.objects.filter(
            unit=unit, received_on__gte=period.start, received_on__lte=period.end
        ).order_by("received_on", "pk")
    )
    share = _share(weight, len(complaints))
    losses = []
    for complaint in complaints:
        label = f"{complaint.tracking_code} {complaint.subject}"[:255]
        values = {"code": complaint.tracking_code, "due": complaint.due_date.isoformat()}
        if complaint.status == ComplaintStatus.OPEN and period.end > complaint.due_date:
            losses.append(
                Loss(
                    share,
                    _("Complaint %(code)s due %(due)s is unanswered.") % values,
                    complaint,
                    label=label,
                )
            )
        elif complaint.replied_on and complaint.replied_on > complaint.due_date:
            losses.append(
                Loss(
                    share,
                    _("Complaint %(code)s due %(due)s was answered late.") % values,
                    complaint,
                    label=label,
                )
            )
    return losses


def ratings_losses(unit, weight, period):
    """Each “not useful” rating of the unit's pages in the period costs W / ratings."""
    ratings = list(
        Rating.objects.filter(
            unit=unit, created_at__date__gte=period.start, created_at__date__lte=period.end
        ).select_related("page")
    )
    share = _share(weight, len(ratings))
    return [
        Loss(
            share,
            _("Rated not useful on %(date)s%(comment)s.")
            % {
                "date": timezone.localdate(rating.created_at).isoformat(),
                "comment": f"：{rating.comment}" if rating.comment else "",
            },
            rating.page,
        )
        for rating in ratings
        if not rating.useful
    ]


def _finding_losses(codes):
    def losses(unit, weight, period, *, run, per_item):
        if run is None:
            return []
        findings = Finding.objects.filter(run=run, unit=unit, indicator__in=codes).select_related(
            "page"
        )
        return [
            Loss(
                per_item * (2 if finding.severity == Severity.VETO else 1),
                f"{finding.get_indicator_display()}：{finding.message}",
                finding.page,
                finding=finding,
                label=finding.label,
            )
            for finding in findings
        ]

    return losses


INDICATOR_FUNCTIONS = {
    ScoringIndicatorCode.TIMELINESS: timeliness_losses,
    ScoringIndicatorCode.COVERAGE: coverage_losses,
    ScoringIndicatorCode.REQUESTS: requests_losses,
    ScoringIndicatorCode.COMPLAINTS: complaints_losses,
    ScoringIndicatorCode.RATINGS: ratings_losses,
    ScoringIndicatorCode.UPDATE_FREQUENCY: _finding_losses(STALE_INDICATORS),
    ScoringIndicatorCode.INSPECTION: _finding_losses(SITE_QUALITY_INDICATORS),
}


# --- computing and keeping the cards -------------------------------------------------------


def latest_run_for(unit, period):
    """The latest inspection in the period that covered the unit."""
    return (
        InspectionRun.objects.filter(units=unit, as_of__gte=period.start, as_of__lte=period.end)
        .order_by("-as_of", "-started_at", "-pk")
        .first()
    )


def round_to_cents(values):
    """Round each value to the cent so that they add up to their rounded total (largest
    remainder): three thirds of 10 points are 3.34 + 3.33 + 3.33, not 9.99."""
    total = sum(values, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    floors = [value.quantize(CENT, rounding=ROUND_DOWN) for value in values]
    missing = int((total - sum(floors, Decimal(0))) / CENT)
    by_remainder = sorted(range(len(values)), key=lambda i: floors[i] - values[i])
    for index in by_remainder[:missing]:
        floors[index] += CENT
    return floors


def compute_deductions(scheme, unit, period, run):
    """Unsaved Deduction rows of one unit, rounded to the cent, each indicator's total at
    most its weight (losses adding up to more are scaled down to it)."""
    deductions = []
    for indicator in scheme.indicators.all():
        function = INDICATOR_FUNCTIONS[indicator.code]
        weight = indicator.weight
        if weight <= 0:  # switched off in this scheme
            continue
        if indicator.code in DEFAULT_PER_ITEM:
            per_item = indicator.per_item
            if per_item is None:
                per_item = DEFAULT_PER_ITEM[indicator.code]
            losses = function(unit, weight, period, run=run, per_item=per_item)
        else:
            losses = function(unit, weight, period)
        raw_total = sum((loss.points for loss in losses), Decimal(0))
        scale = weight / raw_total if raw_total > weight else Decimal(1)
        cents = round_to_cents([loss.points * scale for loss in losses])
        for loss, points in zip(losses, cents, strict=True):
            deduction = Deduction(
                indicator=indicator.code,
                points=points,
                message=loss.message,
                finding=loss.finding,
                label=loss.label,
            ).set_target(loss.target)
            deductions.append(deduction)
    return deductions


FINDING_BASED = set(DEFAULT_PER_ITEM)


def failure_reasons(scheme, unit, period, deductions):
    """Why the unit fails whatever its points, one line each; empty when it passes."""
    reasons = []
    if (
        not DisclosureItem.objects.live()
        .filter(unit=unit, publish_date__gte=period.start, publish_date__lte=period.end)
        .exists()
    ):
        reasons.append(
            _("No item published in the period (%(start)s to %(end)s).")
            % {"start": period.start.isoformat(), "end": period.end.isoformat()}
        )
    vetoes = {
        indicator.code: indicator
        for indicator in scheme.indicators.all()
        if indicator.veto and indicator.weight > 0
    }
    for deduction in deductions:
        indicator = vetoes.get(deduction.indicator)
        if indicator is None:
            continue
        if indicator.code in FINDING_BASED and (
            deduction.finding is None or deduction.finding.severity != Severity.VETO
        ):
            continue
        reasons.append(
            _("Single-item veto: %(indicator)s: %(reason)s")
            % {"indicator": indicator.get_code_display(), "reason": deduction.message}
        )
    return reasons


def adjustment_total(scheme, unit):
    total = ScoreAdjustment.objects.filter(scheme=scheme, unit=unit).aggregate(t=Sum("points"))
    return total["t"] or Decimal(0)


def period_for(scheme, today=None):
    today = today or timezone.localdate()
    return Period(scheme.period_start, min(scheme.period_end, today))


def score_units(scheme, units, *, today=None):
    """Compute and keep the score cards of `units` under `scheme`; returns them ranked
    (highest score first, each with `.rank`)."""
    period = period_for(scheme, today)
    max_points = scheme.max_points
    cards = []
    with transaction.atomic():
        for unit in units:
            run = latest_run_for(unit, period)
            deductions = compute_deductions(scheme, unit, period, run)
            lost = sum((d.points for d in deductions), Decimal(0))
            reasons = failure_reasons(scheme, unit, period, deductions)
            adjustment = adjustment_total(scheme, unit)
            card, _created = ScoreCard.objects.update_or_create(
                scheme=scheme,
                unit=unit,
                defaults={
                    "computed_at": timezone.now(),
                    "as_of": period.end,
                    "max_points": max_points,
                    "lost": lost,
                    "adjustment": adjustment,
                    "score": max_points - lost + adjustment,
                    "inspection_run": run,
                    "failed": bool(reasons),
                    "failure_reasons": "\n".join(reasons),
                },
            )
            card.deductions.all().delete()
            for deduction in deductions:
                deduction.card = card
            Deduction.objects.bulk_create(deductions)
            cards.append(card)
    return rank(cards)


def rank(cards):
    """Order the passing units by score (then tree order), then the failing ones by score,
    and number them; equal scores share a rank, and a failing unit never shares a passing
    unit's rank."""
    cards = sorted(cards, key=lambda card: (card.failed, -card.score, card.unit.path))
    previous = None
    for position, card in enumerate(cards, start=1):
        same = previous and (previous.failed, previous.score) == (card.failed, card.score)
        card.rank = previous.rank if same else position
        previous = card
    return cards


def ranking(scheme, units):
    """The kept cards of `units` under `scheme`, ranked among themselves."""
    cards = ScoreCard.objects.filter(scheme=scheme, unit__in=units).select_related("unit")
    return rank(list(cards))


def add_adjustment(scheme, unit, *, points, reason, user):
    """Record a manual adjustment (who, when, why) and apply it to the unit's card."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the adjustment."))
    points = Decimal(points)
    if points == 0:
        raise ValidationError(_("An adjustment of zero points changes nothing."))
    with transaction.atomic():
        adjustment = ScoreAdjustment.objects.create(
            scheme=scheme, unit=unit, points=points, reason=reason, created_by=user
        )
        card = ScoreCard.objects.select_for_update().filter(scheme=scheme, unit=unit).first()
        if card is not None:
            card.adjustment = adjustment_total(scheme, unit)
            card.score = card.max_points - card.lost + card.adjustment
            card.save(update_fields=["adjustment", "score"])
    return adjustment


def indicator_summary(card):
    """[(indicator, weight, lost, earned)] of a card, in the scheme's order."""
    totals = dict(
        card.deductions.order_by()
        .values_list("indicator")
        .annotate(total=Sum("points"))
        .values_list("indicator", "total")
    )
    result = []
    for indicator in card.scheme.indicators.all():
        # SQLite sums decimals as floats: back to cents.
        lost = Decimal(str(totals.get(indicator.code) or 0)).quantize(CENT, rounding=ROUND_HALF_UP)
        result.append((indicator, indicator.weight, lost, indicator.weight - lost))
    return result
