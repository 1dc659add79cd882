"""E-mail to the people who must act, on Wagtail's own workflow notifiers.

Wagtail mails a `GroupApprovalTask`'s groups when a task starts, but only for task states of
the base `TaskState` class: the secrecy review keeps its record in `SecrecyReviewState`, so its
reviewers were never told. And Wagtail tells the submitter of a rejection only when someone
else rejected: the automatic screening rejects during the submitter's own request, so the
submitter never got the findings by mail. Superusers get no mail unless
GONGKAI_NOTIFY_SUPERUSERS is set (WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS).
"""

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.models import WorkflowState
from wagtail.signals import task_submitted, workflow_rejected


class TaskApproversNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's "submitted to your step" mail, for task state subclasses too."""

    def get_template_base_prefix(self, instance, **kwargs):
        return "task_state_"


class ScreeningRejectionNotifier(WorkflowStateRejectionEmailNotifier):
    """Wagtail's "sent back" mail with the findings, to the submitter whose own submission the
    automatic screening sent back (Wagtail's notifier leaves out the triggering user)."""

    def can_handle(self, instance, **kwargs):
        from .models import ScreeningTask

        if not super().can_handle(instance, **kwargs):
            return False
        task_state = instance.current_task_state
        return task_state is not None and isinstance(task_state.task.specific, ScreeningTask)

    def get_recipient_users(self, workflow_state: WorkflowState, **kwargs):
        requested_by = workflow_state.requested_by
        return {requested_by} if requested_by is not None else set()

    def get_template_base_prefix(self, instance, **kwargs):
        return "workflow_state_"


task_approvers_notifier = TaskApproversNotifier()
screening_rejection_notifier = ScreeningRejectionNotifier()


def register_notifications():
    from .models import SecrecyReviewState

    task_submitted.connect(
        task_approvers_notifier,
        sender=SecrecyReviewState,
        dispatch_uid="review_secrecy_review_submitted_email",
    )
    workflow_rejected.connect(
        screening_rejection_notifier,
        sender=WorkflowState,
        dispatch_uid="review_screening_rejected_email",
    )
