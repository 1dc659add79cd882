"""Notifications (django-tasks: inline by default, queued in production).

Staff emails name the unit, the tracking code and the due date, and link to the register;
they carry no applicant's personal data (a mailbox is not the register). A failed send is
logged with the record's id only and raised, so a queue marks the task failed; the record
stays un-notified (`notified_at` empty) and `citizen_services_daily` sends it again."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from review.tasks import recipients_for
from workdays.calendar import date_with_note

from .models import Complaint, InformationRequest, RequestEvent

logger = logging.getLogger(__name__)


def _admin_url(name, pk):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def _send(subject, body, recipients, what):
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except Exception:
        logger.warning("sending %s failed; it will be retried", what, exc_info=True)
        raise


@task()
def notify_new_request(request_id):
    """Tell the unit's editors and reviewers and the offices above it of a new application."""
    request = InformationRequest.objects.select_related("unit").filter(pk=request_id).first()
    if request is None or request.notified_at is not None:
        return 0
    recipients = sorted({user.email for user in recipients_for(request.unit)})
    if recipients:
        _send(
            _("New application for information %(code)s: %(unit)s")
            % {"code": request.tracking_code, "unit": request.unit.display_name},
            _(
                "A new application for information was received on %(received)s.\n"
                "Tracking code: %(code)s\nUnit: %(unit)s\nReply due: %(due)s\n\n%(url)s"
            )
            % {
                "received": request.received_on.isoformat(),
                "code": request.tracking_code,
                "unit": request.unit.title,
                "due": date_with_note(request.due_date),
                "url": _admin_url(
                    "citizen_services_informationrequest_modeladmin_inspect", request.pk
                ),
            },
            recipients,
            f"notification of application {request.pk}",
        )
    InformationRequest.objects.filter(pk=request.pk).update(notified_at=timezone.now())
    return len(recipients)


@task()
def notify_new_complaint(complaint_id):
    complaint = Complaint.objects.select_related("unit").filter(pk=complaint_id).first()
    if complaint is None or complaint.notified_at is not None:
        return 0
    recipients = sorted({user.email for user in recipients_for(complaint.unit)})
    if recipients:
        _send(
            _("New complaint %(code)s: %(unit)s")
            % {"code": complaint.tracking_code, "unit": complaint.unit.display_name},
            _(
                "A new complaint or suggestion was received on %(received)s.\n"
                "Tracking code: %(code)s\nUnit: %(unit)s\nReply due: %(due)s\n\n%(url)s"
            )
            % {
                "received": complaint.received_on.isoformat(),
                "code": complaint.tracking_code,
                "unit": complaint.unit.title,
                "due": date_with_note(complaint.due_date),
                "url": _admin_url("citizen_services_complaint_modeladmin_inspect", complaint.pk),
            },
            recipients,
            f"notification of complaint {complaint.pk}",
        )
    Complaint.objects.filter(pk=complaint.pk).update(notified_at=timezone.now())
    return len(recipients)


@task()
def notify_applicant(event_id):
    """Send the applicant what a clarification request, extension, fee notice or reply says
    (the applicant also sees it when following the application online)."""
    event = RequestEvent.objects.select_related("request__unit").filter(pk=event_id).first()
    if event is None or not event.request.email:
        return 0
    request = event.request
    _send(
        _("Your application %(code)s: %(event)s")
        % {"code": request.tracking_code, "event": event.get_kind_display()},
        "\n\n".join(
            part
            for part in (
                f"{request.unit.title}",
                event.get_kind_display() + f"（{event.date.isoformat()}）",
                event.message,
                request.reply_text if event.kind == "replied" else "",
                _("Reply due: %(due)s") % {"due": date_with_note(request.due_date)}
                if request.due_date and request.is_open
                else "",
            )
            if part
        ),
        [request.email],
        f"notice of event {event.pk}",
    )
    return 1


@task()
def notify_complainant(complaint_id):
    complaint = Complaint.objects.select_related("unit").filter(pk=complaint_id).first()
    if complaint is None or not complaint.email:
        return 0
    _send(
        _("Reply to your message %(code)s") % {"code": complaint.tracking_code},
        f"{complaint.unit.title}\n\n{complaint.reply_text}",
        [complaint.email],
        f"reply to complaint {complaint.pk}",
    )
    return 1


@task()
def retry_notifications(older_than_minutes=10):
    """Queue again the staff notifications that were never sent."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    requests = InformationRequest.objects.filter(notified_at__isnull=True, submitted_at__lte=cutoff)
    complaints = Complaint.objects.filter(notified_at__isnull=True, submitted_at__lte=cutoff)
    count = 0
    for pk in requests.values_list("pk", flat=True):
        notify_new_request.enqueue(pk)
        count += 1
    for pk in complaints.values_list("pk", flat=True):
        notify_new_complaint.enqueue(pk)
        count += 1
    return count
