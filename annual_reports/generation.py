"""Generating a unit's annual report from the platform's records.

`generate_report(unit, year)` creates the report as a draft in the unit's catalogue (工作动态)
or, if it exists, saves a new draft revision of it: the figures computed from the records are
replaced, the figures entered by hand and the edited texts are kept. It never publishes: the
report then goes through the unit's review workflow like any item."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from disclosure_pages.models import CatalogueClassPage, CatalogueIndexPage, Genre
from unit_sites.models import UnitKind, UnitPage

from .figures import departments_of, fee_figures, proactive_figures, request_figures
from .formats import CARRIED_IN, CARRIED_OUT, FIRST_2021_YEAR, NEW, TOTAL, get_format
from .models import AnnualReportPage

FIRST_YEAR = 2019  # the 2019 Regulations and their report formats
REPORT_COLUMN = AnnualReportPage.catalogue_class_code


class ReportError(ValidationError):
    """A report that cannot be generated; the message says why."""


def report_slug(year):
    return f"ndbg-{year}"  # 年度报告


def report_title(unit, year):
    return f"{unit.title}{year}年政府信息公开工作年度报告"


def report_for(unit, year):
    """The unit's report for the year (draft or live), or None."""
    return AnnualReportPage.objects.filter(unit=unit, report_year=year).first()


def _column(unit):
    catalogue = CatalogueIndexPage.objects.child_of(unit).first()
    column = (
        CatalogueClassPage.objects.child_of(catalogue).filter(node__code=REPORT_COLUMN).first()
        if catalogue
        else None
    )
    if column is None:
        raise ReportError(
            _("%(unit)s has no “%(column)s” column in its disclosure catalogue.")
            % {"unit": unit.title, "column": "工作动态"}
        )
    return column


def sum_figures(tables):
    """Cell-wise sum of figure dicts (whole numbers, or 万元 amounts as decimal strings)."""
    total = {}
    for figures in tables:
        for key, value in (figures or {}).items():
            if isinstance(value, str):
                total[key] = str(Decimal(total.get(key, "0")) + Decimal(value or "0"))
            else:
                total[key] = total.get(key, 0) + (value or 0)
    return total


def compute_rollup(government, year, fmt, own_requests, own_proactive):
    """The government's own figures plus its departments': each department's published
    report if it has one, else its records."""
    units = []
    for unit in departments_of(government):
        published = AnnualReportPage.objects.live().filter(unit=unit, report_year=year).first()
        if published is not None:
            requests, proactive, source = (
                published.request_figures,
                published.proactive_figures,
                "report",
            )
        else:
            requests = request_figures([unit], year, fmt)
            proactive = proactive_figures([unit], year, fmt)
            source = "records"
        units.append(
            {
                "slug": unit.slug,
                "name": unit.title,
                "source": source,
                "requests": requests,
                "proactive": proactive,
            }
        )
    return {
        "own": {"requests": own_requests, "proactive": own_proactive},
        "units": units,
        "combined": sum_figures([own_requests, *(u["requests"] for u in units)]),
        "combined_proactive": sum_figures([own_proactive, *(u["proactive"] for u in units)]),
    }


def _paragraphs(*texts):
    return "".join(f"<p>{escape(text)}</p>" for text in texts if text)


def default_texts(unit, year, fmt, proactive, requests, fees):
    """The texts the report starts with, from its figures; the unit edits them."""
    normative = proactive.get("normative.made", 0)
    natural = requests.get(f"{NEW}.natural", 0)
    overview = _paragraphs(
        f"{year}年，{unit.title}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "依托政府信息公开平台推进主动公开、依申请公开和政府信息管理工作。",
        f"主动公开方面，本年制发行政规范性文件{normative}件，"
        f"现行有效行政规范性文件"
        f"{proactive.get('normative.in_force', proactive.get('normative.total', 0))}件。",
        f"依申请公开方面，本年新收政府信息公开申请{requests.get(f'{NEW}.total', 0)}件"
        f"（自然人{natural}件，法人或其他组织{requests.get(f'{NEW}.total', 0) - natural}件），"
        f"上年结转{requests.get(f'{CARRIED_IN}.total', 0)}件，"
        f"本年办结{requests.get(f'{TOTAL}.total', 0)}件，"
        f"结转下年度继续办理{requests.get(f'{CARRIED_OUT}.total', 0)}件。",
    )
    if fees["paid"]:
        fee_text = (
            f"本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
            f"对{fees['paid']}件政府信息公开申请收取信息处理费，共计{fees['yuan']}元。"
        )
    elif year >= FIRST_2021_YEAR:
        fee_text = "本年度未收取信息处理费。"
    else:
        fee_text = ""
    return {"overview": overview, "other_matters": _paragraphs(fee_text)}


def _unit(unit):
    if isinstance(unit, UnitPage):
        return unit
    found = UnitPage.objects.filter(slug=unit).first()
    if found is None:
        raise ReportError(_("No unit with the slug “%(slug)s”.") % {"slug": unit})
    return found


def generate_report(unit, year, user=None, today=None):
    """Create or refresh the unit's report for `year` as a draft revision; return the page."""
    unit = _unit(unit)
    today = today or timezone.localdate()
    if year < FIRST_YEAR or year > today.year:
        raise ReportError(
            _("Reports can be generated for the years %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": today.year}
        )
    fmt = get_format(year)
    with transaction.atomic():
        existing = report_for(unit, year)
        if existing is not None and existing.workflow_in_progress:
            raise ReportError(
                _(
                    "The report is being reviewed; it can be generated again once the review "
                    "is finished or cancelled."
                )
            )
        column = _column(unit)
        own = [unit]
        proactive = proactive_figures(own, year, fmt)
        requests = request_figures(own, year, fmt)
        fees = fee_figures(own, year)
        texts = default_texts(unit, year, fmt, proactive, requests, fees)
        is_government = unit.kind in UnitKind.governments()
        rollup = compute_rollup(unit, year, fmt, requests, proactive) if is_government else {}

        if existing is None:
            page = AnnualReportPage(
                title=report_title(unit, year),
                slug=report_slug(year),
                live=False,
                report_year=year,
                report_format=fmt.code,
                genre=Genre.REPORT,
                written_date=today,
                formed_date=today,
                include_rollup=is_government,
                summary=f"{unit.title}{year}年政府信息公开工作年度报告。",
            )
            _fill(page, fmt, proactive, requests, fees, texts, rollup, {})
            column.add_child(instance=page)
        else:
            page = existing.get_latest_revision_as_object()
            _fill(page, fmt, proactive, requests, fees, texts, rollup, page.generated_texts or {})
        page.generated_at = timezone.now()
        page.generated_texts = texts
        page.save_revision(user=user, log_action=True)
    return AnnualReportPage.objects.get(pk=page.pk)


def _fill(page, fmt, proactive, requests, fees, texts, rollup, previous_texts):
    computed = fmt.proactive_computed()
    kept = {k: v for k, v in (page.proactive_figures or {}).items() if k not in computed}
    blank = {key: 0 for key in fmt.proactive_cell_keys() if key not in computed}
    for table in fmt.proactive:
        for _row, column, key in table.cells():
            if column.decimal and key in blank:
                blank[key] = "0.0000"
    page.proactive_figures = {**blank, **kept, **proactive}
    page.request_figures = requests
    if not page.review_figures:
        page.review_figures = {key: 0 for key in fmt.review.cell_keys()}
    page.processing_fee_requests = fees["paid"]
    page.processing_fee_yuan = Decimal(fees["yuan"])
    page.rollup = rollup
    for name, text in texts.items():
        current = getattr(page, name) or ""
        if not current.strip() or current == previous_texts.get(name):
            setattr(page, name, text)


def previous_year(today=None):
    return (today or timezone.localdate()).year - 1


def due_date(unit, year):
    """Art. 49: departments by 31 January, governments by 31 March of the following year."""
    month = 3 if unit.kind in UnitKind.governments() else 1
    return datetime.date(year + 1, month, 31)
