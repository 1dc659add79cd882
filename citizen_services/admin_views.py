"""Admin views beside the registers: record an event on an application, edit its public
summary, download its files, turn an answer into a proactive item, reply to a complaint.

Every view checks that the user handles the unit (permissions.py) before reading anything."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workdays.calendar import date_with_note

from . import services
from .admin_forms import ComplaintReplyForm, ConvertForm, EventForm, PublicSummaryForm
from .choices import EventKind, Outcome
from .clock import ClockError
from .models import Complaint, InformationRequest, RequestAttachment, RequestEvent
from .permissions import can_approve_extension, can_handle
from .public_views import _file_response

INSPECT_URL = "citizen_services_informationrequest_modeladmin_inspect"
COMPLAINT_INSPECT_URL = "citizen_services_complaint_modeladmin_inspect"

# What the handler may record; the clock decides which of these the rules allow right now.
RECORDABLE = [kind for kind in EventKind if kind != EventKind.RECEIVED]


def _request_for(user, pk):
    application = get_object_or_404(InformationRequest.objects.select_related("unit"), pk=pk)
    if not can_handle(user, application.unit):
        raise PermissionDenied
    return application


def may_record(user, application, kind):
    if kind == EventKind.EXTENSION_APPROVED:
        return can_approve_extension(user, application.unit)
    return True


def available_events(user, application, today=None):
    """The events this user may record today, as the clock allows them."""
    today = today or timezone.localdate()
    kinds = []
    for kind in RECORDABLE:
        if not may_record(user, application, kind):
            continue
        try:
            services.check_event(application, kind, today, data={"outcome": Outcome.OTHER})
        except ClockError:
            continue
        kinds.append(kind)
    return kinds


def record_event(request, pk, kind):
    application = _request_for(request.user, pk)
    if kind not in RECORDABLE:
        raise Http404
    if not may_record(request.user, application, kind):
        raise PermissionDenied
    form = EventForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_event(
                application,
                kind,
                form.cleaned_data["date"],
                user=request.user,
                **form.event_kwargs(),
            )
        except ClockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(event)s recorded for %(code)s.")
                % {"event": EventKind(kind).label, "code": application.tracking_code},
            )
            return redirect(INSPECT_URL, application.pk)
    if kind == EventKind.FEE_NOTICE_SENT and not form.is_bound:
        form.initial["amount"] = services.suggested_request_fee(application) or None
    return TemplateResponse(
        request,
        "citizen_services/admin/event_form.html",
        {
            "application": application,
            "kind": EventKind(kind),
            "form": form,
            "clock": application.clock,
            "nth_this_month": services.nth_request_this_month(application)
            if kind == EventKind.FEE_NOTICE_SENT
            else None,
            "inspect_url": reverse(INSPECT_URL, args=[application.pk]),
        },
    )


def edit_summary(request, pk):
    application = _request_for(request.user, pk)
    form = PublicSummaryForm(
        request.POST or None, initial={"public_summary": application.public_summary}
    )
    if request.method == "POST" and form.is_valid():
        application.public_summary = form.cleaned_data["public_summary"]
        application.save(update_fields=["public_summary"])
        messages.success(request, _("The public summary was saved."))
        return redirect(INSPECT_URL, application.pk)
    return TemplateResponse(
        request,
        "citizen_services/admin/simple_form.html",
        {
            "title": _("Public summary"),
            "subtitle": application.tracking_code,
            "form": form,
            "back_url": reverse(INSPECT_URL, args=[application.pk]),
        },
    )


def download(request, pk, what, file_pk=None):
    """An applicant's attachment, an event's document or the reply, for the unit's handlers."""
    application = _request_for(request.user, pk)
    if what == "attachment":
        attachment = get_object_or_404(RequestAttachment, pk=file_pk, request=application)
        field_file, stem = attachment.file, attachment.name.rsplit(".", 1)[0]
    elif what == "event":
        event = get_object_or_404(RequestEvent, pk=file_pk, request=application)
        field_file, stem = event.document, f"{application.tracking_code}-{event.kind}"
    elif what == "reply":
        field_file, stem = application.reply_document, f"{application.tracking_code}-reply"
    else:
        raise Http404
    if not field_file:
        raise Http404
    return _file_response(field_file, stem)


def convert_to_item(request, pk):
    """予以公开 → a draft item in the unit's catalogue, submitted to the unit's workflow."""
    from .conversion import ConversionError, catalogue_columns, convert

    application = _request_for(request.user, pk)
    columns = catalogue_columns(application.unit)
    form = ConvertForm(
        request.POST or None,
        columns=columns,
        initial={"title": application.public_summary, "summary": application.public_summary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            page = convert(
                application,
                user=request.user,
                column=next(c for c in columns if str(c.pk) == form.cleaned_data["column"]),
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )
        except ConversionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("“%(title)s” was created and submitted for review.") % {"title": page.title},
            )
            return redirect(INSPECT_URL, application.pk)
    return TemplateResponse(
        request,
        "citizen_services/admin/simple_form.html",
        {
            "title": _("Publish proactively"),
            "subtitle": application.tracking_code,
            "intro": _(
                "The information given in this reply becomes a proactive disclosure item (Art. 44): "
                "a draft in the unit's catalogue, submitted to the unit's review workflow. Add the "
                "documents in the editor before the reviewers approve it."
            ),
            "form": form,
            "back_url": reverse(INSPECT_URL, args=[application.pk]),
        },
    )


def reply_to_complaint(request, pk):
    complaint = get_object_or_404(Complaint.objects.select_related("unit"), pk=pk)
    if not can_handle(request.user, complaint.unit):
        raise PermissionDenied
    form = ComplaintReplyForm(
        request.POST or None,
        initial={
            "date": timezone.localdate(),
            "reply_text": complaint.reply_text,
            "publish": complaint.reply_public,
            "public_question": complaint.public_question or complaint.content,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_to_complaint(
                complaint,
                user=request.user,
                reply_text=form.cleaned_data["reply_text"],
                date=form.cleaned_data["date"],
                publish=form.cleaned_data["publish"],
                public_question=form.cleaned_data["public_question"],
            )
        except ClockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The reply was saved."))
            return redirect(COMPLAINT_INSPECT_URL, complaint.pk)
    return TemplateResponse(
        request,
        "citizen_services/admin/simple_form.html",
        {
            "title": _("Reply"),
            "subtitle": complaint.tracking_code,
            "form": form,
            "back_url": reverse(COMPLAINT_INSPECT_URL, args=[complaint.pk]),
        },
    )


def record_offline(request):
    """Record an application received at the counter, by letter, fax or e-mail."""
    from .admin_forms import OfflineApplicationForm
    from .permissions import recording_units

    units = recording_units(request.user).order_by("path")
    if not units.exists():
        raise PermissionDenied
    form = OfflineApplicationForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.record_offline_application(
                data["unit"],
                data,
                data.get("attachments") or [],
                channel=data["channel"],
                received_on=data["received_on"],
                user=request.user,
            )
        except ClockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Application %(code)s recorded; due %(due)s.")
                % {
                    "code": application.tracking_code,
                    "due": date_with_note(application.due_date),
                },
            )
            return redirect(INSPECT_URL, application.pk)
    return TemplateResponse(request, "citizen_services/admin/record_offline.html", {"form": form})
