"""Supervision in the demo: a few deliberate lapses, one inspection and the current scores.

`load_supervision_demo` (called by the `load_demo` command after the demo content) gives the
city finance bureau (czj) an item published late, a draft overdue for publication with a
published item linking to it, an application and a complaint unanswered past their deadline
and a negative rating; gives two units a fresh news item; then inspects every unit and scores
them all under the scheme of the current period, so the ranking has something to show.
Calling it again adds nothing but a new inspection run and fresh scores."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from citizen_services.choices import ComplaintStatus, EventKind
from citizen_services.models import Complaint, InformationRequest, Rating, RequestEvent
from citizen_services.services import COMPLAINT_REPLY_WORKING_DAYS, refresh_clock
from disclosure_pages.models import (
    CatalogueClassPage,
    CatalogueIndexPage,
    GeneralItemPage,
    Genre,
    NewsPage,
)
from unit_sites.models import UnitPage
from workdays.calendar import add_working_days

from .inspection import run_inspection
from .models import InspectionRun, ScoringIndicator, ScoringScheme
from .scoring import DEFAULT_INDICATORS, score_units

LAPSES_UNIT = "czj"
REQUEST_CODE = "YS-DEMQ-SUPV"
COMPLAINT_CODE = "TS-DEMQ-SUPV"


def _column(unit, class_code):
    catalogue = CatalogueIndexPage.objects.child_of(unit).get()
    return CatalogueClassPage.objects.child_of(catalogue).get(node__code=class_code)


def _item(model, unit, class_code, slug, *, publish=True, **fields):
    """An item in the unit's class column, made once (matched by its slug)."""
    column = _column(unit, class_code)
    existing = Page.objects.child_of(column).filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    page.live = publish
    column.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def ensure_current_scheme(today):
    """The scheme whose period covers today; a copy of the default one for this year if none."""
    scheme = ScoringScheme.objects.filter(period_start__lte=today, period_end__gte=today).first()
    if scheme is not None:
        return scheme
    scheme = ScoringScheme.objects.create(
        name=f"{today.year}年度政务公开工作考核",
        period_start=datetime.date(today.year, 1, 1),
        period_end=datetime.date(today.year, 12, 31),
    )
    for code, weight, per_item in DEFAULT_INDICATORS:
        ScoringIndicator.objects.create(scheme=scheme, code=code, weight=weight, per_item=per_item)
    return scheme


def create_lapses(today):
    unit = UnitPage.objects.get(slug=LAPSES_UNIT)
    formed = add_working_days(today, -45)
    _item(
        GeneralItemPage,
        unit,
        "gzdt",
        "jsfb-demo",
        title=f"{today.year}年市级财政资金直达情况公示（逾期发布）",
        genre=Genre.ANNOUNCEMENT,
        formed_date=formed,
        written_date=formed,
        publish_date=today - datetime.timedelta(days=3),
        summary="信息形成后超过20个工作日才公开的示例。",
    )
    draft = _item(
        GeneralItemPage,
        unit,
        "gzdt",
        "wfb-demo",
        publish=False,
        title=f"{today.year}年政府采购意向汇总（待发布）",
        genre=Genre.ANNOUNCEMENT,
        formed_date=add_working_days(today, -30),
        summary="已超过公开时限仍未发布的示例。",
    )
    _item(
        NewsPage,
        unit,
        "gzdt",
        "ljsx-demo",
        title="市财政局召开政府采购工作推进会",
        genre=Genre.NEWS,
        formed_date=today - datetime.timedelta(days=20),
        publish_date=today - datetime.timedelta(days=20),
        body=[
            {
                "type": "paragraph",
                "value": (
                    "<p>会议通报了采购意向公开情况，详见"
                    f'<a linktype="page" id="{draft.pk}">政府采购意向汇总</a>。</p>'
                ),
            }
        ],
    )
    if not InformationRequest.objects.filter(tracking_code=REQUEST_CODE).exists():
        received = add_working_days(today, -30)
        request = InformationRequest.objects.create(
            unit=unit,
            tracking_code=REQUEST_CODE,
            applicant_type="natural",
            name="李四",
            id_type="id_card",
            id_number="230402199003071238",
            phone="13900000000",
            description=f"{today.year - 1}年度市本级一般公共预算“三公”经费支出明细",
            delivery_form="electronic",
            delivery_method="online",
            submitted_at=timezone.make_aware(
                datetime.datetime.combine(received, datetime.time(9, 30))
            ),
            received_on=received,
        )
        RequestEvent.objects.create(request=request, kind=EventKind.RECEIVED, date=received)
        refresh_clock(request)
    if not Complaint.objects.filter(tracking_code=COMPLAINT_CODE).exists():
        received = add_working_days(today, -25)
        Complaint.objects.create(
            unit=unit,
            tracking_code=COMPLAINT_CODE,
            category="complaint",
            name="王五",
            phone="13700000000",
            subject="财政预决算公开不及时",
            content="市财政局网站上的部门预算迟迟没有公开。",
            received_on=received,
            due_date=add_working_days(received, COMPLAINT_REPLY_WORKING_DAYS),
            status=ComplaintStatus.OPEN,
        )
    rated = Page.objects.child_of(_column(unit, "gzdt")).live().filter(slug="ljsx-demo").first()
    if rated is not None and not Rating.objects.filter(page=rated).exists():
        Rating.objects.create(page=rated, unit=unit, useful=False, comment="链接打不开")
        Rating.objects.create(page=rated, unit=unit, useful=True)


def create_fresh_news(today):
    for slug, title in [
        ("zwgkb", "市政府办公室部署年末政务公开重点工作"),
        ("fgw", "市发改委召开重点项目建设调度会"),
    ]:
        unit = UnitPage.objects.get(slug=slug)
        _item(
            NewsPage,
            unit,
            "gzdt",
            f"jdgz-{today.isoformat()}",
            title=title,
            genre=Genre.NEWS,
            formed_date=today,
            publish_date=today,
        )


def load_supervision_demo(log=print):
    today = timezone.localdate()
    with transaction.atomic():
        scheme = ensure_current_scheme(today)
        create_lapses(today)
        create_fresh_news(today)
    units = list(UnitPage.objects.live().order_by("path"))
    run = run_inspection(units, today=today, trigger=InspectionRun.Trigger.COMMAND)
    cards = score_units(scheme, units, today=today)
    log(
        f"Supervision: inspection #{run.pk} ({run.findings.count()} findings), "
        f"{len(cards)} units scored under “{scheme.name}”."
    )
    return cards
