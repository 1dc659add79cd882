from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Review before publishing (先审查、后公开): for now the automatic screening that runs
    before a human reviewer sees a draft; workflow tasks will live here too."""

    name = "review"
    verbose_name = _("Review before publishing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from .workflow import create_unit_workflow, grant_office_registers

        register_provisioner(create_unit_workflow)
        register_provisioner(grant_office_registers)

        from wagtail.signals import task_approved, task_rejected

        from .feedback import on_task_approved, on_task_rejected
        from .notifications import register_notifications

        register_notifications()
        task_approved.connect(on_task_approved, dispatch_uid="review_task_approved_feedback")
        task_rejected.connect(on_task_rejected, dispatch_uid="review_task_rejected_feedback")
