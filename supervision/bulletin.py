"""The 通报 of a scheme's results (Art. 16: the results are made known), written by the
disclosure office as a draft item in its own 工作动态 column, then published through the
office's review workflow like any other item.

The document follows the official layout (GB/T 9704 as summarised in
shared/reference/national-conventions.md): title, 文号 (代字〔年份〕序号号, from the office's
own sequence), addressees, an opening paragraph, numbered sections (一、总体情况; 二、考核排名
with the ranking table; 三、不合格单位及存在的问题; 四、工作要求), the issuing office and the
date written in full. The ranking chart and the XLSX stay with the ranking in the admin, where
the office prints the 通报 with its chart (`bulletin_print`)."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.rich_text import RichText

from disclosure_pages.models import CatalogueClassPage, CatalogueIndexPage, NewsPage
from unit_sites.models import UnitGroup, UnitPage, UnitRole

from .models import BulletinSequence
from .scoring import CENT, ranking

NEWS_CLASS = NewsPage.catalogue_class_code  # 工作动态


def office_unit(user):
    """The unit whose disclosure office the user belongs to (the highest, if several)."""
    group = (
        UnitGroup.objects.filter(group__user=user, role=UnitRole.OFFICE)
        .select_related("unit")
        .order_by("unit__depth")
        .first()
    )
    return group.unit if group else None


def next_doc_number(unit, year):
    """(number, 文号): 代字〔年份〕序号号 from the office's own sequence, no 虚位, no 第."""
    sequence, _created = BulletinSequence.objects.select_for_update().get_or_create(
        unit=unit, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    prefix = unit.short_name or unit.title
    text = _("%(unit)s disclosure office bulletin [%(year)s] No. %(number)s") % {
        "unit": prefix,
        "year": year,
        "number": sequence.last,
    }
    return sequence.last, text


def _written_date(day):
    return _("%(year)s/%(month)s/%(day)s") % {"year": day.year, "month": day.month, "day": day.day}


def bulletin_figures(scheme, units):
    """The kept ranking of `units` and what the 通报 says of it."""
    cards = ranking(scheme, units)
    if not cards:
        raise ValidationError(_("No unit has been scored under this scheme yet."))
    passed = [card for card in cards if not card.failed]
    failed = [card for card in cards if card.failed]
    average = (sum((card.score for card in cards), Decimal(0)) / len(cards)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return {
        "cards": cards,
        "passed": passed,
        "failed": failed,
        "count": len(cards),
        "average": average,
        "period": f"{scheme.period_start.isoformat()}—{cards[0].as_of.isoformat()}",
    }


def _paragraph(text):
    return ("paragraph", RichText(f"<p>{escape(text)}</p>"))


def bulletin_body(scheme, unit, figures, day):
    cards, failed = figures["cards"], figures["failed"]
    table = {
        "data": [
            [
                pgettext("ranking", "Rank"),
                pgettext("assessment", "Unit"),
                pgettext("scoring", "Score"),
                pgettext("assessment", "Result"),
            ],
            *[
                [
                    str(card.rank),
                    card.unit.title,
                    str(card.score),
                    pgettext("assessment", "Fail")
                    if card.failed
                    else pgettext("assessment", "Pass"),
                ]
                for card in cards
            ],
        ],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "",
    }
    problems = [
        _paragraph(f"{card.unit.title}：{'；'.join(card.failure_reason_list)}") for card in failed
    ] or [_paragraph(_("No unit failed in this period."))]
    return [
        _paragraph(_("To the units concerned:")),
        _paragraph(
            _(
                "Under Articles 5 and 16 of the Regulations on the Disclosure of Government "
                "Information, this office assessed the government information disclosure of "
                "%(count)s units from %(period)s under “%(scheme)s”. The results are announced "
                "as follows."
            )
            % {"count": figures["count"], "period": figures["period"], "scheme": scheme.name}
        ),
        ("heading", _("I. Overall results")),
        _paragraph(bulletin_summary(figures)),
        ("heading", _("II. Ranking")),
        ("table", table),
        ("heading", _("III. Units that failed and their problems")),
        *problems,
        ("heading", _("IV. Requirements")),
        _paragraph(
            _(
                "Units that failed shall correct the problems listed above within 20 working "
                "days and report the correction to this office in writing. Every unit shall "
                "check its own site against these problems and keep its disclosure timely, "
                "complete and accurate."
            )
        ),
        _paragraph(unit.title),
        _paragraph(_written_date(day)),
    ]


def bulletin_summary(figures):
    return _(
        "%(count)s units were assessed: %(passed)s passed and %(failed)s failed; the average "
        "score is %(average)s."
    ) % {
        "count": figures["count"],
        "passed": len(figures["passed"]),
        "failed": len(figures["failed"]),
        "average": figures["average"],
    }


def generate_bulletin(scheme, user, *, units=None, today=None):
    """Write the 通报 as a draft item in the office's 工作动态 column; returns the page.

    Refused (ValidationError, in Chinese) when the user belongs to no office, the office's
    catalogue has no 工作动态 column, or no unit has been scored."""
    day = today or timezone.localdate()
    unit = office_unit(user)
    if unit is None:
        raise ValidationError(_("Only a disclosure office issues a bulletin."))
    if units is None:
        units = UnitPage.objects.live().filter(path__startswith=unit.path)
    figures = bulletin_figures(scheme, units)
    catalogue = CatalogueIndexPage.objects.child_of(unit).first()
    column = (
        CatalogueClassPage.objects.child_of(catalogue).filter(node__code=NEWS_CLASS).first()
        if catalogue
        else None
    )
    if column is None:
        raise ValidationError(_("The office's catalogue has no work news column."))
    with transaction.atomic():
        n, number = next_doc_number(unit, day.year)
        title = _("Bulletin on the results of %(scheme)s") % {"scheme": scheme.name}
        page = NewsPage(
            title=title,
            slug=f"tongbao-{day.year}-{n}",
            doc_number=number,
            written_date=day,
            formed_date=day,
            issuer=unit.title,
            summary=bulletin_summary(figures)[:300],
            body=bulletin_body(scheme, unit, figures, day),
            live=False,
        )
        base, n = page.slug, 1
        while column.get_children().filter(slug=page.slug).exists():
            n += 1
            page.slug = f"{base}-{n}"
        column.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
    return page
