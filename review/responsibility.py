"""谁发布谁负责: who drafted, reviewed, attested, filed and published an item, and when."""

from wagtail.models import PageLogEntry, TaskState

from .models import FilingTask, ScreeningTask, SecrecyReviewTask, UnitReviewTask


def _last_finished(page, task_model):
    return (
        TaskState.objects.filter(
            workflow_state__object_id=str(page.pk),
            workflow_state__base_content_type__model="page",
            task__content_type__model=task_model._meta.model_name,
            status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
        )
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )


def responsibility_for(page):
    first_revision = page.revisions.order_by("created_at").select_related("user").first()
    published = (
        PageLogEntry.objects.filter(
            page=page, action__in=["wagtail.publish", "disclosure_pages.import"]
        )
        .select_related("user")
        .order_by("-timestamp")
        .first()
    )
    secrecy = _last_finished(page, SecrecyReviewTask)
    return {
        "drafted": (first_revision.user, first_revision.created_at) if first_revision else None,
        "screened": _last_finished(page, ScreeningTask),
        "reviewed": _last_finished(page, UnitReviewTask),
        "secrecy": secrecy.specific if secrecy else None,
        "filed": _last_finished(page, FilingTask),
        "published": (published.user, published.timestamp) if published else None,
    }
