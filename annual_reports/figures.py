"""The report's figures computed from the platform's own records.

Only published items count (``.live()``: drafts and withdrawn items are not live). Every
function takes a collection of units, so a unit's own report and a government's rollup of its
departments share one definition.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, Sum

from citizen_services.choices import EventKind, outcome_group
from citizen_services.models import InformationRequest, RequestEvent
from disclosure_pages.models import (
    DisclosureItem,
    EnforcementResultPage,
    FeeItemPage,
    PolicyDocumentPage,
    PowerItemPage,
    PowerType,
    ProcurementPage,
    Validity,
)
from unit_sites.models import UnitKind, UnitPage

from .formats import (
    APPLICANT_KEYS,
    CARRIED_IN,
    CARRIED_OUT,
    NEW,
    TOTAL,
    ReportFormat,
    group_row,
    outcome_row,
)

# 规章 are promulgated by a government order (e.g. 鹤岗市人民政府令第3号); 行政规范性文件 are
# the policy documents marked "normative".
REGULATION_MARK = "政府令"
ENDED = (Validity.REPEALED, Validity.EXPIRED)
WAN = Decimal(10000)  # the tables give amounts in 万元


def year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def departments_of(government):
    """The units a government's rollup covers: live units below it that belong to no lower
    government (its departments and institutions; districts and counties report for
    themselves and their own departments)."""
    below = list(UnitPage.objects.descendant_of(government).live().order_by("path"))
    lower_governments = [u.path for u in below if u.kind in UnitKind.governments()]
    return [
        unit
        for unit in below
        if unit.kind not in UnitKind.governments()
        and not any(unit.path.startswith(path) for path in lower_governments)
    ]


# --- 三、requests -----------------------------------------------------------------------------


def _count_by(queryset, *fields):
    return {
        tuple(row[f] for f in fields): row["n"]
        for row in queryset.values(*fields).annotate(n=Count("pk")).order_by()
    }


def request_figures(units, year, fmt: ReportFormat) -> dict:
    """Table 三 from citizen_services.InformationRequest.

    - 本年新收: received in the year;
    - 上年结转: received before the year and not replied before it;
    - 办理结果: replied in the year, by reply type (Outcome → its sub-row, outcome_group → its
      row (一)–(六)); the 2019 format counts every 其他处理 in the one row (六);
    - 结转下年度: received by 31 December and not replied by then.
    Every request received by 31 December and open on 1 January is thus counted once on each
    side of 一 + 二 = 三(七) + 四."""
    start, end = year_bounds(year)
    requests = InformationRequest.objects.filter(unit__in=units)
    figures = {}

    def put(row, counts):
        for applicant in APPLICANT_KEYS:
            figures[f"{row}.{applicant}"] = counts.get(applicant, 0)
        figures[f"{row}.total"] = sum(counts.get(a, 0) for a in APPLICANT_KEYS)

    def by_applicant(queryset):
        return {key[0]: n for key, n in _count_by(queryset, "applicant_type").items()}

    put(NEW, by_applicant(requests.filter(received_on__range=(start, end))))
    put(
        CARRIED_IN,
        by_applicant(
            requests.filter(received_on__lt=start).filter(
                Q(replied_on__isnull=True) | Q(replied_on__gte=start)
            )
        ),
    )
    put(
        CARRIED_OUT,
        by_applicant(
            requests.filter(received_on__lte=end).filter(
                Q(replied_on__isnull=True) | Q(replied_on__gt=end)
            )
        ),
    )

    handled = _count_by(
        requests.filter(replied_on__range=(start, end), received_on__lte=end),
        "outcome",
        "applicant_type",
    )
    by_outcome: dict[str, Counter] = {}
    for (outcome, applicant), n in handled.items():
        by_outcome.setdefault(outcome, Counter())[applicant] += n

    total = Counter()
    for group, _label, subrows in fmt.outcome_rows:
        group_counts = Counter()
        for outcome, counts in by_outcome.items():
            if outcome_group(outcome) == group:
                group_counts.update(counts)
        for code, _sublabel in subrows:
            put(outcome_row(code), by_outcome.get(code, Counter()))
        put(group_row(group), group_counts)
        total.update(group_counts)
    put(TOTAL, total)
    return figures


def fee_figures(units, year) -> dict:
    """信息处理费 (国办函〔2020〕109号) collected in the year: the requests whose fee was paid
    in the year, and the amount of their fee notices."""
    start, end = year_bounds(year)
    paid = RequestEvent.objects.filter(
        request__unit__in=units, kind=EventKind.FEE_PAID, date__range=(start, end)
    ).values("request_id")
    requests = InformationRequest.objects.filter(pk__in=paid)
    notices = RequestEvent.objects.filter(
        request__unit__in=units, kind=EventKind.FEE_NOTICE_SENT, date__range=(start, end)
    ).count()
    return {
        "notices": notices,
        "paid": requests.count(),
        "yuan": requests.aggregate(total=Sum("fee_yuan"))["total"] or 0,
    }


# --- 二、proactive disclosure -------------------------------------------------------------------


def _successor_dates(pages):
    ids = {page.successor_id for page in pages if page.successor_id}
    if not ids:
        return {}
    dates = {}
    for item in DisclosureItem.objects.filter(pk__in=ids).values(
        "pk", "written_date", "publish_date"
    ):
        dates[item["pk"]] = item["written_date"] or item["publish_date"]
    for doc in PolicyDocumentPage.objects.filter(pk__in=ids, effective_date__isnull=False).values(
        "pk", "effective_date"
    ):
        dates[doc["pk"]] = doc["effective_date"]
    return dates


def ended_on(page, successor_dates):
    """When a document or item stopped being in force, or None if it still is.

    For a repealed or expired one: its 'effective until' date if given, else the date its
    successor took effect (or was written), else the day the change was published. For one in
    force: its 'effective until' date, if any (it lapses then)."""
    expiry = getattr(page, "expiry_date", None)
    if page.validity in ENDED:
        if expiry:
            return expiry
        if page.successor_id and successor_dates.get(page.successor_id):
            return successor_dates[page.successor_id]
        published = page.last_published_at or page.first_published_at
        return published.date() if published else None
    return expiry


def _start(page):
    return page.written_date or page.publish_date


def _in_force(page, day, successor_dates):
    started = _start(page)
    if started is None or started > day:
        return False
    ended = ended_on(page, successor_dates)
    return ended is None or ended > day


def is_regulation(doc):
    return REGULATION_MARK in (doc.doc_number or "")


def _documents(units):
    docs = list(
        PolicyDocumentPage.objects.live()
        .filter(unit__in=units)
        .only(
            "doc_number",
            "is_normative",
            "written_date",
            "publish_date",
            "validity",
            "successor_id",
            "expiry_date",
            "last_published_at",
            "first_published_at",
        )
    )
    regulations = [d for d in docs if is_regulation(d)]
    normative = [d for d in docs if d.is_normative and not is_regulation(d)]
    return regulations, normative, _successor_dates(docs)


def _within(day, start, end):
    return day is not None and start <= day <= end


def classify_decision(page):
    """Which row of table 二 an enforcement result counts in, from its decision and title."""
    text = f"{page.decision_type} {page.title}"
    if "强制" in text:
        return "coercion"
    if "许可" in text and "处罚" not in text:
        return "licensing"
    if any(word in text for word in ("处罚", "罚款", "警告", "没收", "吊销", "拘留")):
        return "penalty"
    return None


def decision_counts(units, year):
    start, end = year_bounds(year)
    counts = Counter()
    for page in EnforcementResultPage.objects.live().filter(unit__in=units):
        day = page.decision_date or page.written_date or page.publish_date
        if _within(day, start, end) and (row := classify_decision(page)):
            counts[row] += 1
    return counts


def _item_counts(pages, year):
    """上一年项目数量 and 本年增/减 of the 2019 format: items in force at the end of the previous
    year, and the change to the end of this year."""
    previous_end = datetime.date(year - 1, 12, 31)
    end = datetime.date(year, 12, 31)
    successors = _successor_dates(pages)
    before = sum(_in_force(p, previous_end, successors) for p in pages)
    after = sum(_in_force(p, end, successors) for p in pages)
    return before, after - before


def proactive_figures(units, year, fmt: ReportFormat) -> dict:
    start, end = year_bounds(year)
    regulations, normative, successors = _documents(units)
    decisions = decision_counts(units, year)
    figures = {}
    if fmt.code == "2021":
        for row, docs in (("regulations", regulations), ("normative", normative)):
            figures[f"{row}.made"] = sum(_within(_start(d), start, end) for d in docs)
            # repealed, expired or lapsed in the year: keeps 现行有效 = last year's + 制发 − 废止
            figures[f"{row}.repealed"] = sum(
                _within(ended_on(d, successors), start, end) for d in docs
            )
            figures[f"{row}.in_force"] = sum(_in_force(d, end, successors) for d in docs)
        for row in ("licensing", "penalty", "coercion"):
            figures[f"{row}.decisions"] = decisions[row]
        return figures

    # 2019 trial format
    for row, docs in (("regulations", regulations), ("normative", normative)):
        figures[f"{row}.made"] = sum(_within(d.written_date, start, end) for d in docs)
        figures[f"{row}.published"] = sum(_within(d.publish_date, start, end) for d in docs)
        figures[f"{row}.total"] = sum(
            d.publish_date is not None and d.publish_date <= end for d in docs
        )
    powers = list(PowerItemPage.objects.live().filter(unit__in=units))
    groups = {
        "licensing": [p for p in powers if p.power_type == PowerType.LICENSING],
        "other_services": [
            p for p in powers if p.power_type in (PowerType.OTHER_APPROVAL, PowerType.OTHER)
        ],
        "penalty": [p for p in powers if p.power_type == PowerType.PENALTY],
        "coercion": [p for p in powers if p.power_type == PowerType.COERCION],
        "fees": list(FeeItemPage.objects.live().filter(unit__in=units)),
    }
    for row, pages in groups.items():
        figures[f"{row}.previous"], figures[f"{row}.change"] = _item_counts(pages, year)
    for row in ("licensing", "penalty", "coercion"):
        figures[f"{row}.decisions"] = decisions[row]
    procurement = ProcurementPage.objects.live().filter(
        unit__in=units, publish_date__range=(start, end)
    )
    figures["procurement.projects"] = procurement.count()
    amount = procurement.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    figures["procurement.amount"] = str((amount / WAN).quantize(Decimal("0.0001")))
    return figures
