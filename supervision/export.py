"""The ranking as an XLSX workbook (openpyxl): the ranking sheet, and every deduction with
the item behind it on a second sheet."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Deduction


def ranking_workbook(scheme, cards, *, base_url=""):
    indicators = list(scheme.indicators.all())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    sheet.append([str(scheme)])
    sheet["A1"].font = Font(bold=True)
    header = [
        pgettext("ranking", "Rank"),
        _("Unit"),
        pgettext("assessment", "Result"),
        _("Why the unit failed"),
        *[f"{indicator.get_code_display()}（{indicator.weight}）" for indicator in indicators],
        _("Points lost"),
        _("Manual adjustment"),
        pgettext("scoring", "Score"),
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    lost = {}
    for card_id, code, points in Deduction.objects.filter(card__in=cards).values_list(
        "card_id", "indicator", "points"
    ):
        lost[card_id, code] = lost.get((card_id, code), 0) + points
    for card in cards:
        sheet.append(
            [
                card.rank,
                card.unit.title,
                pgettext("assessment", "Fail") if card.failed else pgettext("assessment", "Pass"),
                "；".join(card.failure_reason_list),
                *[
                    float(indicator.weight - lost.get((card.pk, indicator.code), 0))
                    for indicator in indicators
                ],
                float(card.lost),
                float(card.adjustment),
                float(card.score),
            ]
        )
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["D"].width = 40

    details = workbook.create_sheet(_("Deductions")[:31])
    details.append(
        [_("Unit"), _("Indicator"), _("Points lost"), _("Reason"), _("Item concerned"), _("Link")]
    )
    for cell in details[1]:
        cell.font = Font(bold=True)
    deductions = (
        Deduction.objects.filter(card__in=cards)
        .select_related("card__unit", "page", "content_type")
        .order_by("card__unit__path", "indicator", "-points", "pk")
    )
    for deduction in deductions:
        url = deduction.admin_url()
        details.append(
            [
                deduction.card.unit.title,
                deduction.get_indicator_display(),
                float(deduction.points),
                deduction.message,
                deduction.label,
                f"{base_url}{url}" if url else "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
