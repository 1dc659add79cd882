"""What happens to applications and complaints, in one place for the public views, the admin
views and the tests. Every change is atomic: a refused event or a failing upload leaves
nothing half-written; notifications go out after the commit, through background tasks, so a
failing mail server never loses an application."""

import logging
import re
import secrets
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workdays.calendar import add_working_days

from .choices import Channel, ComplaintStatus, EventKind
from .clock import ClockError, compute
from .fees import per_request_fee
from .models import Complaint, InformationRequest, RequestAttachment, RequestEvent

logger = logging.getLogger(__name__)

# Complaints have no statutory reply period. 15 working days is what provincial rules on
# disclosure complaints commonly set, far inside the three months after which the national
# inspection indicators (国办秘函〔2019〕19号) fail a site for an unanswered message.
COMPLAINT_REPLY_WORKING_DAYS = 15

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed back
REQUEST_PREFIX = "YS"
COMPLAINT_PREFIX = "TS"


def _new_code(model, prefix):
    while True:
        body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"{prefix}-{body[:4]}-{body[4:]}"
        if not model.objects.filter(tracking_code=code).exists():
            return code


def normalise_code(value):
    """What a citizen types back (any case, spaces, with or without hyphens) → the stored form."""
    raw = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    if len(raw) != 10:
        return ""
    return f"{raw[:2]}-{raw[2:6]}-{raw[6:]}"


def phone_digits(value):
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def find_by_code_and_phone(model, code, phone):
    """The application or complaint with this code, if the phone matches (else None)."""
    code = normalise_code(code)
    if not code:
        return None
    obj = model.objects.filter(tracking_code=code).select_related("unit").first()
    if obj is None or not phone_digits(obj.phone):  # recorded offline without a phone
        return None
    if not secrets.compare_digest(phone_digits(obj.phone), phone_digits(phone)):
        return None
    return obj


def _enqueue_after_commit(task, *args):
    """Queue a notification once the data is committed; a failure to queue is logged only
    (the daily `citizen_services_daily` command retries what was not sent)."""

    def enqueue():
        try:
            task.enqueue(*args)
        except Exception:
            logger.exception("could not queue %s%r", task.name, args)

    transaction.on_commit(enqueue)


# --- applications ---------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "applicant_type",
    "name",
    "contact_person",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "description",
    "purpose",
    "delivery_form",
    "delivery_method",
)


def _save_application(unit, data, files, *, now, received_on, **fields):
    """The application, its attachments and its receipt event, its clock; then notify."""
    from .tasks import notify_new_request

    with transaction.atomic():
        request = InformationRequest(
            unit=unit,
            tracking_code=_new_code(InformationRequest, REQUEST_PREFIX),
            submitted_at=now,
            received_on=received_on,
            **fields,
            **{name: data.get(name, "") for name in APPLICATION_FIELDS},
        )
        request.save()
        for clean in files:
            attachment = RequestAttachment(
                request=request, name=clean.name, content_type=clean.content_type, size=clean.size
            )
            attachment.file.save(clean.name, clean.content, save=False)
            attachment.save()
        RequestEvent.objects.create(request=request, kind=EventKind.RECEIVED, date=received_on)
        refresh_clock(request)
        _enqueue_after_commit(notify_new_request, request.pk)
    return request


def submit_application(unit, data, files=(), now=None):
    """Save a citizen's application with its receipt event and attachments, then notify."""
    now = now or timezone.now()
    return _save_application(unit, data, files, now=now, received_on=timezone.localdate(now))


def record_offline_application(unit, data, files=(), *, channel, received_on, user, now=None):
    """Record an application handed in at the counter, by letter, fax or e-mail: the same
    register and clock as an online one, from the day it was received (Art. 31: the day of
    the signature for a letter, the day of receipt otherwise), with the scans of the paper.
    The applicant follows it online with the tracking code if they gave a phone number."""
    now = now or timezone.now()
    if channel not in Channel.recorded_by_staff():
        raise ClockError(_("Choose how the application was received."))
    if received_on > timezone.localdate(now):
        raise ClockError(_("The date cannot be in the future."))
    return _save_application(
        unit, data, files, now=now, received_on=received_on, channel=channel, recorded_by=user
    )


def refresh_clock(request):
    """Recompute the clock from the events and store its columns."""
    clock = compute(request.events.order_by("date", "pk"))
    request.status = clock.status
    request.due_date = clock.due
    request.extended = clock.extended
    request.replied_on = clock.replied_on
    request.outcome = clock.outcome
    request.on_time = clock.on_time
    request.save(
        update_fields=["status", "due_date", "extended", "replied_on", "outcome", "on_time"]
    )
    request.__dict__.pop("clock", None)
    return clock


# Events whose message is sent to the applicant (and shown when they follow the application).
APPLICANT_NOTICES = {
    EventKind.CLARIFICATION_REQUESTED,
    EventKind.EXTENSION_APPROVED,
    EventKind.FEE_NOTICE_SENT,
    EventKind.REPLIED,
}


def check_event(request, kind, date, data=None):
    """The clock after adding this event; ClockError when the rules refuse it."""
    events = list(request.events.order_by("date", "pk"))
    events.append(SimpleNamespace(kind=kind, date=date, data=data or {}))
    return compute(events)


def record_event(
    request,
    kind,
    date,
    *,
    user=None,
    message="",
    note="",
    document=None,
    data=None,
    reply_text=None,
    reply_document=None,
    public_summary=None,
):
    """Add an event to an application's clock. Raises ClockError (nothing is saved) when the
    rules do not allow it."""
    from .tasks import notify_applicant

    if date > timezone.localdate():
        raise ClockError(_("The date cannot be in the future."))
    with transaction.atomic():
        # One event at a time per application: two handlers cannot interleave their checks.
        request = InformationRequest.objects.select_for_update().get(pk=request.pk)
        check_event(request, kind, date, data)
        event = RequestEvent(
            request=request,
            kind=kind,
            date=date,
            message=message,
            note=note,
            data=data or {},
            recorded_by=user if user is not None and user.is_authenticated else None,
        )
        if document:
            event.document.save(document.name, document, save=False)
        event.save()
        if kind == EventKind.REPLIED:
            request.reply_text = reply_text or ""
            if reply_document:
                request.reply_document.save(reply_document.name, reply_document, save=False)
            if public_summary is not None:
                request.public_summary = public_summary
            request.save(update_fields=["reply_text", "reply_document", "public_summary"])
        if kind == EventKind.FEE_NOTICE_SENT:
            request.fee_yuan = (data or {}).get("amount")
            request.save(update_fields=["fee_yuan"])
        clock = refresh_clock(request)
        if kind in APPLICANT_NOTICES and request.email:
            _enqueue_after_commit(notify_applicant, event.pk)
    return event, clock


def nth_request_this_month(request):
    """Which request of its applicant, to this unit, in its calendar month it is (for fees)."""
    same_month = InformationRequest.objects.filter(
        unit_id=request.unit_id,
        id_type=request.id_type,
        id_number__iexact=request.id_number,
        received_on__year=request.received_on.year,
        received_on__month=request.received_on.month,
    )
    earlier = same_month.filter(submitted_at__lt=request.submitted_at).count()
    same_time = same_month.filter(submitted_at=request.submitted_at, pk__lt=request.pk).count()
    return earlier + same_time + 1


def suggested_request_fee(request):
    return per_request_fee(nth_request_this_month(request))


def close_lapsed_payments(today=None):
    """Applications whose fee went unpaid for 20 working days count as abandoned (109号):
    record the reply 其他处理 / 逾期未缴费. Returns how many were closed."""
    from .choices import Outcome, Status

    today = today or timezone.localdate()
    closed = 0
    for request in InformationRequest.objects.filter(status=Status.AWAITING_PAYMENT):
        if request.clock.payment_lapsed(today):
            record_event(
                request,
                EventKind.REPLIED,
                today,
                data={"outcome": Outcome.OTHER_UNPAID},
                note=_("Recorded automatically: the fee was not paid within the time limit."),
                reply_text=_(
                    "The processing fee was not paid within 20 working days of the fee notice; "
                    "the application is deemed abandoned."
                ),
            )
            closed += 1
    return closed


# --- complaints ------------------------------------------------------------------------------

COMPLAINT_FIELDS = ("category", "name", "phone", "email", "subject", "content", "page_url")


def submit_complaint(unit, data, now=None):
    from .tasks import notify_new_complaint

    now = now or timezone.now()
    received_on = timezone.localdate(now)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            unit=unit,
            tracking_code=_new_code(Complaint, COMPLAINT_PREFIX),
            submitted_at=now,
            received_on=received_on,
            due_date=add_working_days(received_on, COMPLAINT_REPLY_WORKING_DAYS),
            **{name: data.get(name, "") for name in COMPLAINT_FIELDS},
        )
        _enqueue_after_commit(notify_new_complaint, complaint.pk)
    return complaint


def reply_to_complaint(
    complaint, *, user, reply_text, date=None, publish=False, public_question=""
):
    from .tasks import notify_complainant

    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ClockError(_("The date cannot be in the future."))
    if date < complaint.received_on:
        raise ClockError(_("The reply cannot be dated before the message was received."))
    with transaction.atomic():
        complaint.reply_text = reply_text
        complaint.replied_on = date
        complaint.replied_by = user
        complaint.status = ComplaintStatus.REPLIED
        complaint.reply_public = publish
        complaint.public_question = public_question if publish else ""
        complaint.save()
        if complaint.email:
            _enqueue_after_commit(notify_complainant, complaint.pk)
    return complaint


# --- the calendar changed --------------------------------------------------------------------


def recompute_open_deadlines(since):
    """Recompute the stored due dates of open applications and complaints that may have moved:
    those due on or after `since` (the earliest calendar day that changed). Returns how many
    changed."""
    from .choices import Status

    changed = 0
    with transaction.atomic():
        requests = InformationRequest.objects.filter(
            status__in=Status.open(), due_date__gte=since
        ).select_for_update()
        for request in requests:
            before = request.due_date
            refresh_clock(request)
            changed += request.due_date != before
        complaints = Complaint.objects.filter(
            status=ComplaintStatus.OPEN, due_date__gte=since
        ).select_for_update()
        for complaint in complaints:
            due = add_working_days(complaint.received_on, COMPLAINT_REPLY_WORKING_DAYS)
            if due != complaint.due_date:
                complaint.due_date = due
                complaint.save(update_fields=["due_date"])
                changed += 1
    if changed:
        logger.info("Calendar changed from %s: %s open deadlines recomputed", since, changed)
    return changed
