"""The citizen's side: the routes of ApplicationPage and ComplaintPage, and the rating endpoint.

No login: an applicant proves who they are with the tracking code and the phone number they
gave, once per browser session. Pages that show personal data are never cached."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import ratelimit, services
from .choices import Channel, ComplaintStatus, EventKind, Status
from .clock import ClockError
from .forms import ApplicationForm, ClarificationForm, ComplaintForm, RatingForm, TrackingForm
from .models import Complaint, InformationRequest, Rating

SESSION_KEY = "citizen_services"
SESSION_KEEP = 20  # codes remembered per browser session

# Events the applicant sees when following the application (internal steps stay internal).
PUBLIC_EVENTS = {
    EventKind.RECEIVED,
    EventKind.CLARIFICATION_REQUESTED,
    EventKind.CLARIFICATION_RECEIVED,
    EventKind.CONSULTATION_SENT,
    EventKind.CONSULTATION_ANSWERED,
    EventKind.EXTENSION_APPROVED,
    EventKind.FEE_NOTICE_SENT,
    EventKind.FEE_PAID,
    EventKind.REPLIED,
    EventKind.CLOSED,
}


def _remember(request, code):
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    request.session[SESSION_KEY] = [*codes, code][-SESSION_KEEP:]


def _known(request, code):
    return code in request.session.get(SESSION_KEY, [])


def _route_url(page, request, name, *args):
    return page.get_url(request) + page.reverse_subpage(name, args=list(args))


def _private(response):
    add_never_cache_headers(response)  # no-cache, no-store, private
    return response


def _render(page, request, template, status=200, **context):
    response = page.render(
        request,
        template=f"citizen_services/{template}",
        context_overrides={"unit": page.get_unit(), **context},
    )
    response.status_code = status
    return response


def _submit(page, request, form, scope, save, receipt_route):
    """The shared POST path of the application and complaint forms."""
    if form.is_spam:
        form.add_error(None, _("Your submission could not be accepted."))
        return _render(page, request, page.form_template, status=400, form=form)
    if ratelimit.exceeded(request, scope):
        form.add_error(
            None,
            _(
                "Too many submissions from your network in the last hour. Please try again "
                "later, or contact the unit by phone."
            ),
        )
        return _render(page, request, page.form_template, status=429, form=form)
    if not form.is_valid():
        return _render(
            page,
            request,
            page.form_template,
            form=form,
            files_dropped=bool(request.FILES),
        )
    obj = save(form)
    ratelimit.hit(request, scope)
    _remember(request, obj.tracking_code)
    return redirect(_route_url(page, request, receipt_route, obj.tracking_code))


# --- applications -------------------------------------------------------------------------


def application_form(page, request):
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        return _private(
            _submit(
                page,
                request,
                form,
                "apply",
                lambda form: services.submit_application(
                    page.get_unit(), form.cleaned_data, form.cleaned_data["attachments"]
                ),
                "receipt",
            )
        )
    return _render(page, request, page.form_template, form=ApplicationForm())


def _own_request(request, code):
    if not _known(request, code):
        return None
    return (
        InformationRequest.objects.select_related("unit")
        .prefetch_related("events", "attachments")
        .filter(tracking_code=code)
        .first()
    )


def application_receipt(page, request, code):
    application = _own_request(request, code)
    if application is None:
        raise Http404
    return _private(_render(page, request, "application_receipt.html", application=application))


def application_status(page, request, code):
    application = _own_request(request, code)
    if application is None:
        return redirect(_route_url(page, request, "track"))
    events = [event for event in application.events.all() if event.kind in PUBLIC_EVENTS]
    return _private(
        _render(
            page,
            request,
            "application_status.html",
            application=application,
            clock=application.clock,
            events=events,
            clarify_form=ClarificationForm()
            if application.status == Status.AWAITING_CLARIFICATION
            else None,
            overdue=application.is_overdue(),
        )
    )


def application_clarify(page, request, code):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    application = _own_request(request, code)
    if application is None:
        return redirect(_route_url(page, request, "track"))
    form = ClarificationForm(request.POST)
    if form.is_valid():
        try:
            services.record_event(
                application,
                EventKind.CLARIFICATION_RECEIVED,
                timezone.localdate(),
                note=form.cleaned_data["text"],
            )
        except ClockError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your clarification was received."))
        return redirect(_route_url(page, request, "tracked", code))
    return _private(
        _render(
            page,
            request,
            "application_status.html",
            application=application,
            clock=application.clock,
            events=[e for e in application.events.all() if e.kind in PUBLIC_EVENTS],
            clarify_form=form,
        )
    )


def application_reply_document(page, request, code):
    application = _own_request(request, code)
    if application is None or not application.reply_document:
        raise Http404
    return _private(
        _file_response(application.reply_document, f"{application.tracking_code}-reply")
    )


def _file_response(field_file, stem):
    extension = field_file.name.rsplit(".", 1)[-1] if "." in field_file.name else "bin"
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=f"{stem}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def application_log(page, request):
    """The unit's public log: what was asked and how it was answered, without personal data."""
    unit = page.get_unit()
    requests = InformationRequest.objects.filter(unit=unit).only(
        "received_on", "public_summary", "status", "outcome", "replied_on", "due_date", "channel"
    )
    paginator = Paginator(requests.order_by("-received_on", "-pk"), 20)
    counts = dict(
        InformationRequest.objects.filter(unit=unit)
        .order_by()
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    return _render(
        page,
        request,
        "application_log.html",
        entries=paginator.get_page(request.GET.get("page")),
        total=paginator.count,
        by_channel=[
            (label, counts[value]) for value, label in Channel.choices if counts.get(value)
        ],
    )


# --- tracking, shared ---------------------------------------------------------------------


def track_lookup(page, request, model):
    form = TrackingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not ratelimit.hit(request, "track"):
            form.add_error(
                None, _("Too many attempts from your network in the last hour. Try again later.")
            )
            status = 429
        elif form.is_valid():
            found = services.find_by_code_and_phone(
                model, form.cleaned_data["code"], form.cleaned_data["phone"]
            )
            if found is not None:
                _remember(request, found.tracking_code)
                target = page
                if found.unit_id != page.get_parent().pk:
                    # Followed from another unit's page: send the citizen to the right one.
                    target = type(page).objects.child_of(found.unit).live().first() or page
                return redirect(_route_url(target, request, "tracked", found.tracking_code))
            form.add_error(
                None,
                _(
                    "Nothing matches this tracking code and phone number. Check both; the "
                    "code is on your receipt (e.g. YS-7KQ2-M9XD)."
                ),
            )
    return _private(
        _render(page, request, "track.html", status=status, form=form, complaint=model is Complaint)
    )


# --- complaints -----------------------------------------------------------------------------


def complaint_form(page, request):
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        return _private(
            _submit(
                page,
                request,
                form,
                "complain",
                lambda form: services.submit_complaint(page.get_unit(), form.cleaned_data),
                "receipt",
            )
        )
    return _render(page, request, page.form_template, form=ComplaintForm())


def public_replies(unit):
    return Complaint.objects.filter(
        unit=unit, reply_public=True, status=ComplaintStatus.REPLIED
    ).order_by("-replied_on", "-pk")


def _own_complaint(request, code):
    if not _known(request, code):
        return None
    return Complaint.objects.select_related("unit").filter(tracking_code=code).first()


def complaint_receipt(page, request, code):
    complaint = _own_complaint(request, code)
    if complaint is None:
        raise Http404
    return _private(_render(page, request, "complaint_receipt.html", complaint=complaint))


def complaint_status(page, request, code):
    complaint = _own_complaint(request, code)
    if complaint is None:
        return redirect(_route_url(page, request, "track"))
    return _private(_render(page, request, "complaint_status.html", complaint=complaint))


# --- ratings --------------------------------------------------------------------------------


# No CSRF token: the form is on every item page, which must stay cacheable (caching/), and a
# token guards nothing here (an anonymous, rate-limited rating changes no one's account).
@csrf_exempt
@require_POST
def rate_page(request, page_id):
    """有用 / 没用 on a disclosure item. Posted from the item page; back to it afterwards."""
    from disclosure_pages.models import DisclosureItem

    item = get_object_or_404(DisclosureItem.objects.live().public(), pk=page_id)
    form = RatingForm(request.POST)
    target = item.get_url(request) + "#rating"
    if form.is_spam or not form.is_valid():
        messages.error(request, _("Choose “Useful” or “Not useful” to rate this page."))
        return redirect(target)
    # One rating per page per network and day, and a cap over all pages.
    if ratelimit.exceeded(request, "rate") or not ratelimit.hit(
        request, "rate-page", extra=str(item.pk)
    ):
        messages.info(request, _("Thank you: your rating of this page was already recorded."))
        return redirect(target)
    ratelimit.hit(request, "rate")
    Rating.objects.create(
        page=item,
        unit_id=item.unit_id,
        useful=form.cleaned_data["useful"],
        comment=form.cleaned_data["comment"].strip(),
    )
    messages.success(request, _("Thank you for your rating."))
    return redirect(target)
