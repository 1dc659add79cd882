"""Admin views around the workflow: screening findings and overrides, the record of who did
what (谁发布谁负责), and withdrawal with a public reason."""

from urllib.parse import unquote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, Site, WorkflowState

from . import permissions
from .forms import OverrideForm, WithdrawalForm
from .models import FILED_CLASS_CODES, FilingRecord, ScreeningOverride, ScreeningReport, Withdrawal
from .responsibility import responsibility_for


def _item(page_id):
    return get_object_or_404(Page, pk=page_id).specific


def screening_report(request, page_id):
    page = _item(page_id)
    if not permissions.can_see_records(
        request.user, page
    ) and not permissions.can_override_screening(request.user, getattr(page, "unit", None)):
        raise PermissionDenied
    report = ScreeningReport.objects.filter(page=page).select_related("task_state").first()
    may_override = permissions.can_override_screening(request.user, getattr(page, "unit", None))
    form = None
    if report and report.findings and may_override:
        form = OverrideForm(request.POST or None, findings=report.findings)
        if request.method == "POST" and form.is_valid():
            chosen = {
                f["key"]: f
                for f in report.findings
                if f["key"] in form.cleaned_data["finding_keys"]
            }
            with transaction.atomic():
                for key, finding in chosen.items():
                    ScreeningOverride.objects.update_or_create(
                        page=page,
                        finding_key=key,
                        defaults={
                            "finding": finding,
                            "reason": form.cleaned_data["reason"],
                            "decided_by": request.user,
                        },
                    )
                _resume_if_cleared(page, report, set(chosen), request.user)
            messages.success(request, _("The findings were overridden; the reason is recorded."))
            return redirect("review_screening", page.pk)
    return TemplateResponse(
        request,
        "review/screening_report.html",
        {"page": page, "report": report, "form": form, "overrides": page.screening_overrides.all()},
    )


def _resume_if_cleared(page, report, overridden_keys, user):
    """All findings overridden: send the item on to human review without another round trip."""
    remaining = [f for f in report.findings if f["key"] not in overridden_keys]
    state = WorkflowState.objects.active().for_instance(page).first()
    if remaining or state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return
    if state.current_task_state_id == report.task_state_id:
        state.resume(user=user)


def item_record(request, page_id):
    page = _item(page_id)
    if not permissions.can_see_records(request.user, page):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "review/item_record.html",
        {
            "page": page,
            "record": responsibility_for(page),
            "reports": ScreeningReport.objects.filter(page=page)[:10],
            "filings": FilingRecord.objects.filter(page=page),
            "withdrawals": Withdrawal.objects.filter(page=page),
        },
    )


def withdraw(request, page_id):
    page = _item(page_id)
    unit = getattr(page, "unit", None)
    if not permissions.can_withdraw(request.user, unit):
        raise PermissionDenied
    if not page.live:
        messages.error(request, _("This item is not published."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    class_code = getattr(getattr(page, "catalogue_class", None), "code", None)
    form = WithdrawalForm(
        request.POST or None,
        needs_filing=class_code in FILED_CLASS_CODES,
        may_use_secrecy=permissions.can_withdraw(request.user, unit, secrecy_emergency=True),
    )
    if request.method == "POST" and form.is_valid():
        withdraw_page(page, request.user, **form.cleaned_data)
        messages.success(request, _("“%(title)s” was withdrawn.") % {"title": page.title})
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return TemplateResponse(request, "review/withdraw.html", {"page": page, "form": form})


@transaction.atomic
def withdraw_page(page, user, *, reason, note="", successor=None, filing_reason=None):
    """Unpublish an item, keeping a public notice of why (and filing the removal if due)."""
    if filing_reason:
        FilingRecord.file(
            page=page, kind=FilingRecord.Kind.REMOVAL, user=user, reason=filing_reason
        )
    url_parts = page.get_url_parts()
    site_id, _root, path = url_parts if url_parts else (None, None, page.url_path)
    # Stored decoded, as the middleware compares it with request.path (Chinese slugs).
    path = unquote(path)
    withdrawal = Withdrawal.objects.create(
        page=page,
        site_id=site_id,
        path=path,
        title=page.title,
        reason=reason,
        note=note,
        successor=successor,
        withdrawn_by=user,
    )
    # The caller checked can_withdraw(): unit reviewers hold no publish permission on purpose.
    UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
    return withdrawal


def withdrawn_notice(request, withdrawal):
    site = Site.find_for_request(request)
    return TemplateResponse(
        request,
        "review/withdrawn.html",
        {"withdrawal": withdrawal, "site": site, "page": None},
        status=410,
    )


def record_url(page):
    return reverse("review_item_record", args=[page.pk])
