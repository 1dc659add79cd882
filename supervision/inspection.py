"""Self-inspection of units against the national inspection indicators (国办秘函〔2019〕19号).

`run_inspection(units)` checks every unit (its own site or its section of a parent's site) and
keeps the findings of the run. The checks only read: a run changes nothing but its own rows.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex

from citizen_services.choices import ComplaintStatus, Status
from citizen_services.models import Complaint, InformationRequest
from disclosure_pages.models import (
    CatalogueClassPage,
    DisclosureItem,
    InterpretationPage,
    PolicyDocumentPage,
    Validity,
)
from review.deadlines import PUBLICATION_LIMIT_WORKING_DAYS, pending_items
from unit_sites.models import UnitPage
from workdays.calendar import WorkingCalendar

from .models import Finding, Indicator, InspectionRun, Severity, UpdatePeriod

HOME_STALE_DAYS = 14  # "首页两周未更新" fails a site
EMPTY_COLUMNS_VETO = 5  # "空白栏目数量超过5个" fails a site
UNANSWERED_VETO_DAYS = 90  # a message unanswered for three months fails a site
# Late publication is looked for among items published in the last quarter: older lateness
# is history the scoring period already counted.
LATE_LOOKBACK_DAYS = 90

# Defaults for classes without an UpdatePeriod row: 工作动态 every two weeks, 政策法规 (the
# policy column) every quarter; other classes are not checked for staleness by default.
DEFAULT_UPDATE_PERIODS = {"gzdt": 14, "zcfg": 90}
STALE_INDICATOR_FOR_CLASS = {"gzdt": Indicator.STALE_NEWS, "zcfg": Indicator.STALE_POLICY}


def update_periods():
    """{class code: days}: the office's UpdatePeriod rows over the defaults."""
    periods = dict(DEFAULT_UPDATE_PERIODS)
    periods.update(UpdatePeriod.objects.values_list("catalogue_class__code", "days").order_by())
    return periods


def _finding(unit, indicator, severity, message, target=None, label=""):
    return Finding(
        unit=unit, indicator=indicator, severity=severity, message=message, label=label
    ).set_target(target)


def unit_columns(unit):
    """The unit's live catalogue class columns (its own catalogue only)."""
    return list(
        CatalogueClassPage.objects.live()
        .filter(path__startswith=unit.path, depth=unit.depth + 2)
        .select_related("node")
        .order_by("path")
    )


def check_updates(unit, today, periods):
    """Home page not updated for two weeks; empty classes; stale news and policy columns."""
    findings = []
    items = DisclosureItem.objects.live().filter(unit=unit)
    latest = items.aggregate(latest=Max("publish_date"))["latest"]
    if latest is None or (today - latest).days > HOME_STALE_DAYS:
        findings.append(
            _finding(
                unit,
                Indicator.HOME_STALE,
                Severity.VETO,
                _("No item published for %(days)s days (last: %(last)s); the limit is %(limit)s.")
                % {
                    "days": (today - latest).days if latest else "—",
                    "last": latest.isoformat() if latest else _("never"),
                    "limit": HOME_STALE_DAYS,
                },
                target=unit,
            )
        )
    last_by_class = dict(
        items.order_by()
        .values_list("catalogue_class")
        .annotate(latest=Max("publish_date"))
        .values_list("catalogue_class", "latest")
    )
    empty = []
    for column in unit_columns(unit):
        # A class hidden with a recorded reason is not a gap (shown publicly with the reason).
        if column.not_applicable and column.not_applicable_reason.strip():
            continue
        if column.node_id not in last_by_class:
            empty.append(column)
            findings.append(
                _finding(
                    unit,
                    Indicator.EMPTY_CLASS,
                    Severity.SERIOUS,
                    _("Catalogue class “%(name)s” has no published item.")
                    % {"name": column.node.name},
                    target=column,
                )
            )
            continue
        days = periods.get(column.node.code)
        last = last_by_class[column.node_id]
        if days and last is not None and (today - last).days > days:
            findings.append(
                _finding(
                    unit,
                    STALE_INDICATOR_FOR_CLASS.get(column.node.code, Indicator.STALE_COLUMN),
                    Severity.SERIOUS,
                    _(
                        "Column “%(name)s” last updated %(last)s, %(age)s days ago; "
                        "it must be updated every %(days)s days."
                    )
                    % {
                        "name": column.node.name,
                        "last": last.isoformat(),
                        "age": (today - last).days,
                        "days": days,
                    },
                    target=column,
                )
            )
    if len(empty) >= EMPTY_COLUMNS_VETO:
        findings.append(
            _finding(
                unit,
                Indicator.TOO_MANY_EMPTY,
                Severity.VETO,
                _("%(count)s columns are empty; %(limit)s or more fail the site.")
                % {"count": len(empty), "limit": EMPTY_COLUMNS_VETO},
                target=unit,
            )
        )
    return findings


def check_links(unit):
    """Links from the unit's live items to pages that are not live (drafts, withdrawn,
    deleted), and documents whose file is gone from storage. Read from Wagtail's reference
    index, which records rich-text links, chooser blocks and foreign keys of the live page."""
    findings = []
    page_type = ContentType.objects.get_for_model(Page)
    Document = get_document_model()
    document_type = ContentType.objects.get_for_model(Document)
    # The index keys objects by their pk as text: compare in the database, not in a list
    # of every item's id (a unit may have tens of thousands).
    item_ids = (
        DisclosureItem.objects.live()
        .filter(unit=unit)
        .annotate(text_pk=Cast("pk", output_field=CharField()))
        .values("text_pk")
    )
    references = list(
        ReferenceIndex.objects.filter(
            base_content_type=page_type,
            object_id__in=item_ids,
            to_content_type__in=[page_type, document_type],
        )
        .exclude(model_path="unit")  # the item's own unit, derived from the tree
        .values_list("object_id", "to_content_type_id", "to_object_id")
        .distinct()
    )
    if not references:
        return findings
    items = {
        str(item.pk): item
        for item in DisclosureItem.objects.filter(
            pk__in={int(object_id) for object_id, _ct, _t in references}
        ).only("pk", "title", "path")
    }
    page_targets = {int(t) for _o, ct, t in references if ct == page_type.pk}
    live_targets = set(Page.objects.live().filter(pk__in=page_targets).values_list("pk", flat=True))
    titles = dict(Page.objects.filter(pk__in=page_targets).values_list("pk", "title"))
    documents = Document.objects.in_bulk(
        [int(t) for _o, ct, t in references if ct == document_type.pk]
    )
    seen = set()
    for object_id, content_type_id, to_object_id in sorted(references):
        item, target_id = items[object_id], int(to_object_id)
        if (object_id, content_type_id, target_id) in seen:
            continue
        seen.add((object_id, content_type_id, target_id))
        if content_type_id == page_type.pk and target_id not in live_targets:
            state = _("not published") if target_id in titles else _("deleted")
            findings.append(
                _finding(
                    unit,
                    Indicator.BROKEN_LINK,
                    Severity.SERIOUS,
                    _("“%(item)s” links to “%(target)s”, which is %(state)s.")
                    % {
                        "item": item.title,
                        "target": titles.get(target_id, f"#{target_id}"),
                        "state": state,
                    },
                    target=item,
                )
            )
        elif content_type_id == document_type.pk:
            document = documents.get(target_id)
            if document is None or not _file_exists(document):
                findings.append(
                    _finding(
                        unit,
                        Indicator.MISSING_ATTACHMENT,
                        Severity.SERIOUS,
                        _(
                            "“%(item)s” refers to the document “%(document)s”, whose file is missing."
                        )
                        % {
                            "item": item.title,
                            "document": document.title if document else f"#{target_id}",
                        },
                        target=item,
                    )
                )
    return findings


def _file_exists(document):
    name = document.file.name
    try:
        return bool(name) and document.file.storage.exists(name)
    except OSError:
        return False


def check_citizen_services(unit, today):
    """Applications and complaints still unanswered after their due date."""
    findings = []
    running = [s for s in Status.open() if s != Status.AWAITING_CLARIFICATION]
    for request in InformationRequest.objects.filter(
        unit=unit, status__in=running, due_date__lt=today
    ).order_by("due_date"):
        late = (today - request.due_date).days
        findings.append(
            _finding(
                unit,
                Indicator.OVERDUE_REQUEST,
                Severity.VETO if late > UNANSWERED_VETO_DAYS else Severity.SERIOUS,
                _("Application %(code)s received %(received)s was due %(due)s and is unanswered.")
                % {
                    "code": request.tracking_code,
                    "received": request.received_on.isoformat(),
                    "due": request.due_date.isoformat(),
                },
                target=request,
            )
        )
    for complaint in Complaint.objects.filter(
        unit=unit, status=ComplaintStatus.OPEN, due_date__lt=today
    ).order_by("due_date"):
        waiting = (today - complaint.received_on).days
        findings.append(
            _finding(
                unit,
                Indicator.OVERDUE_COMPLAINT,
                Severity.VETO if waiting > UNANSWERED_VETO_DAYS else Severity.SERIOUS,
                _("Complaint %(code)s received %(received)s was due %(due)s and is unanswered.")
                % {
                    "code": complaint.tracking_code,
                    "received": complaint.received_on.isoformat(),
                    "due": complaint.due_date.isoformat(),
                },
                target=complaint,
                label=f"{complaint.tracking_code} {complaint.subject}"[:255],
            )
        )
    return findings


def late_items(items, calendar):
    """(item, due) for items first published after their 20-working-day deadline."""
    result = []
    for item in items:
        if item.publish_date is None or item.formed_date is None:
            continue
        due = calendar.add_working_days(item.formed_date, PUBLICATION_LIMIT_WORKING_DAYS)
        if item.publish_date > due:
            result.append((item, due))
    return result


def overdue_pending(unit, today):
    """(item, due) for the unit's items not yet public whose deadline passed before today."""
    items = list(pending_items(DisclosureItem.objects.filter(unit=unit)).order_by("formed_date"))
    calendar = load_calendar(items, today)
    result = []
    for item in items:
        due = calendar.add_working_days(item.formed_date, PUBLICATION_LIMIT_WORKING_DAYS)
        if today > due:
            result.append((item, due))
    return result


def load_calendar(items, today):
    first = min([item.formed_date for item in items if item.formed_date] + [today])
    return WorkingCalendar.load(first=first)


def check_publication_deadlines(unit, today):
    """Items published more than 20 working days after being formed or changed (last
    quarter), and items still unpublished past that deadline."""
    findings = []
    since = today - datetime.timedelta(days=LATE_LOOKBACK_DAYS)
    published = list(
        DisclosureItem.objects.live()
        .filter(unit=unit, publish_date__gte=since, publish_date__lte=today)
        .only("pk", "title", "formed_date", "publish_date", "path")
    )
    for item, due in late_items(published, load_calendar(published, today)):
        findings.append(
            _finding(
                unit,
                Indicator.LATE_PUBLICATION,
                Severity.SERIOUS,
                _("Formed %(formed)s, due %(due)s, published %(published)s.")
                % {
                    "formed": item.formed_date.isoformat(),
                    "due": due.isoformat(),
                    "published": item.publish_date.isoformat(),
                },
                target=item,
            )
        )
    for item, due in overdue_pending(unit, today):
        findings.append(
            _finding(
                unit,
                Indicator.OVERDUE_ITEM,
                Severity.SERIOUS,
                _("Formed %(formed)s, due %(due)s, still not published.")
                % {"formed": item.formed_date.isoformat(), "due": due.isoformat()},
                target=item,
            )
        )
    return findings


def check_interpretations(unit, today):
    """规范性文件 in force, published more than the office's period ago (working days) and
    still without a published 政策解读 (InterpretationPage.documents)."""
    days = settings.GONGKAI_INTERPRETATION_WORKING_DAYS
    documents = list(
        PolicyDocumentPage.objects.live()
        .filter(unit=unit, is_normative=True, validity=Validity.VALID, publish_date__lte=today)
        .only("pk", "title", "publish_date", "path")
    )
    if not documents:
        return []
    interpreted = set(
        InterpretationPage.documents.through.objects.filter(
            policydocumentpage__in=documents, interpretationpage__live=True
        ).values_list("policydocumentpage_id", flat=True)
    )
    calendar = WorkingCalendar.load(first=min(d.publish_date for d in documents))
    findings = []
    for document in documents:
        if document.pk in interpreted:
            continue
        due = calendar.add_working_days(document.publish_date, days)
        if today > due:
            findings.append(
                _finding(
                    unit,
                    Indicator.MISSING_INTERPRETATION,
                    Severity.MINOR,
                    _("Published %(published)s; its interpretation was due %(due)s.")
                    % {"published": document.publish_date.isoformat(), "due": due.isoformat()},
                    target=document,
                )
            )
    return findings


def inspect_unit(unit, today, periods=None):
    """Every finding for one unit (unsaved)."""
    periods = update_periods() if periods is None else periods
    return [
        *check_updates(unit, today, periods),
        *check_links(unit),
        *check_citizen_services(unit, today),
        *check_publication_deadlines(unit, today),
        *check_interpretations(unit, today),
    ]


def run_inspection(units=None, *, today=None, trigger=InspectionRun.Trigger.COMMAND, user=None):
    """Inspect `units` (default: every live unit) and keep the run with its findings."""
    today = today or timezone.localdate()
    units = list(UnitPage.objects.live().order_by("path") if units is None else units)
    periods = update_periods()
    findings = []
    for unit in units:
        findings.extend(inspect_unit(unit, today, periods))
    with transaction.atomic():
        run = InspectionRun.objects.create(
            as_of=today,
            trigger=trigger,
            started_by=user if user is not None and user.is_authenticated else None,
        )
        run.units.set(units)
        for finding in findings:
            finding.run = run
        Finding.objects.bulk_create(findings)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
    return run


def counts_by_unit(findings):
    """{unit_id: {indicator: count}} for a findings queryset."""
    counts = defaultdict(lambda: defaultdict(int))
    for unit_id, indicator in findings.values_list("unit_id", "indicator"):
        counts[unit_id][indicator] += 1
    return counts
