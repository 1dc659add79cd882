"""What the people of the review workflow are told, in Chinese, where they are looking.

- The editor who submits an item the automatic screening sends back sees an error message with
  every finding (masked) and where it was found (field or attachment, line), in the edit view
  itself, for as long as the item waits for the fix; not Wagtail's green "submitted" message.
- Submitting warns at once when a later step has nobody but the submitter to approve it.
- Reviewers, secrecy reviewers and the disclosure office get a success message saying what
  their approval, attestation, filing or request for changes did and where the item went.

Wagtail's workflow tasks act without a request (`Task.on_action`), so the admin POST binds the
request (review.middleware.AtomicAdminPostMiddleware) and `tell` adds the message to it.
"""

import contextvars
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState

_request = contextvars.ContextVar("review_feedback_request", default=None)


@contextmanager
def bound_request(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def tell(level, message):
    request = _request.get()
    if request is not None:
        messages.add_message(request, level, message)


# --- screening findings ------------------------------------------------------------------


def finding_location(finding):
    """“摘要第 1 行” / “附件.pdf 第 3 行”: the field or attachment and the line."""
    line = finding.get("line")
    if line:
        return _("%(where)s, line %(line)s") % {"where": finding["where"], "line": line}
    return finding["where"]


def screening_message(report):
    findings = "；".join(
        f"{finding_location(finding)}：{finding['label']} {finding['value']}"
        for finding in report.findings
    )
    return _(
        "Automatic screening sent “%(title)s” back: %(count)s finding(s) must be fixed before "
        "review — %(findings)s. Correct them and submit again; a secrecy reviewer may clear a "
        "false positive with a reason."
    ) % {"title": report.page.title, "count": len(report.findings), "findings": findings}


def screening_rejection(page):
    """The screening report that sent the page's open workflow back, or None."""
    from .models import ScreeningTask

    state = WorkflowState.objects.active().for_instance(page).first()
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or not isinstance(task_state.task.specific, ScreeningTask):
        return None
    return getattr(task_state, "screening_report", None)


def drop_success_messages(request):
    """Wagtail queues its "submitted for moderation" message before the after-submit hooks
    run; an item the screening sent back was not submitted to anyone, so that message goes.
    (Django's storage has no public way to remove a queued message.)"""
    storage = messages.get_messages(request)
    queued = getattr(storage, "_queued_messages", None)
    if queued is not None:
        queued[:] = [message for message in queued if message.level != messages.SUCCESS]


# --- who can approve the next steps -----------------------------------------------------


def steps_without_another_approver(page, submitter):
    """Names of the item's coming human steps whose only possible approver is the submitter
    (or nobody)."""
    from .models import FILED_CLASS_CODES, FilingTask

    state = WorkflowState.objects.active().for_instance(page).first()
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return []
    tasks = list(state.workflow.tasks.filter(active=True).specific())
    current = state.current_task_state.task_id if state.current_task_state else None
    ids = [task.pk for task in tasks]
    coming = tasks[ids.index(current) :] if current in ids else tasks
    class_code = getattr(getattr(page.specific, "catalogue_class", None), "code", None)
    lonely = []
    for task in coming:
        groups = getattr(task, "groups", None)
        if groups is None:
            continue  # not a human step
        if isinstance(task, FilingTask) and class_code not in FILED_CLASS_CODES:
            continue
        others = (
            get_user_model()
            .objects.filter(is_active=True, groups__in=groups.all())
            .exclude(pk=submitter.pk)
        )
        if not others.exists():
            lonely.append(task.name)
    return lonely


def warn_if_nobody_else_can_approve(request, page):
    lonely = steps_without_another_approver(page, request.user)
    if lonely:
        messages.warning(
            request,
            _(
                "Nobody but you can approve the step(s) %(steps)s, and nobody approves their "
                "own submission: ask the unit's administrator to add another reviewer, or this "
                "item will wait."
            )
            % {"steps": "、".join(f"“{name}”" for name in lonely)},
        )


# --- outcomes of the human steps ----------------------------------------------------------


def _where_next(workflow_state):
    workflow_state.refresh_from_db()
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        return _("It is now published.")
    task_state = workflow_state.current_task_state
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS and task_state is not None:
        return _("It now goes to “%(task)s”.") % {"task": task_state.task.name}
    return ""


def outcome_message(task_state, approved):
    """The success message for the person who just acted on `task_state`."""
    from .models import FilingRecord, FilingTask, SecrecyReviewTask

    task = task_state.task.specific
    title = task_state.workflow_state.content_object.title
    if not approved:
        return _("“%(title)s” was sent back to its editor with your comments.") % {"title": title}
    if isinstance(task, FilingTask):
        record = FilingRecord.objects.filter(task_state=task_state).first()
        message = _("“%(title)s” was filed as %(number)s.") % {
            "title": title,
            "number": record.number if record else "",
        }
    elif isinstance(task, SecrecyReviewTask):
        message = _(
            "You attested that “%(title)s” contains no state secret, trade secret or personal "
            "privacy."
        ) % {"title": title}
    else:
        message = _("You approved “%(title)s”.") % {"title": title}
    return f"{message}{_where_next(task_state.workflow_state)}"


def on_task_finished(sender, instance, user=None, approved=True, **kwargs):
    """task_approved / task_rejected receiver: tell the person who acted what happened."""
    from .models import FilingTask, UnitReviewTask

    if user is None or not isinstance(instance, TaskState):
        return  # the automatic screening acts without a person
    if not isinstance(instance.task.specific, UnitReviewTask | FilingTask):
        return
    tell(messages.SUCCESS, outcome_message(instance, approved))


def on_task_approved(sender, instance, user=None, **kwargs):
    on_task_finished(sender, instance, user=user, approved=True)


def on_task_rejected(sender, instance, user=None, **kwargs):
    on_task_finished(sender, instance, user=user, approved=False)
