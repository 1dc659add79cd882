"""Review before publish (先审查，后公开) on Wagtail's own workflows.

Every unit gets one workflow (see `review.workflow.create_unit_workflow`):
automatic screening → unit review → secrecy review → office filing (Art. 9, only for the
政府职能 and 行政权力 classes). The tasks are Wagtail `Task` subclasses; their records
(screening reports, attestations, filings, withdrawals) are kept here.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import AbstractGroupApprovalTask, Page, Task, TaskState

# Catalogue classes whose additions and removals the disclosure office files (Art. 9).
FILED_CLASS_CODES = ("zfzn", "xzql")


def _page_of(workflow_state):
    return workflow_state.content_object.specific


def _submitted_by(obj, user):
    state = getattr(obj, "current_workflow_state", None)
    return state is not None and state.requested_by_id == user.pk


# --- automatic screening --------------------------------------------------------------


class ScreeningTask(Task):
    """Inspects the submitted revision for secrecy markings and personal data. Any finding
    sends the item back to its editor with every finding listed; a clean item passes on
    without anyone acting. One instance serves every unit's workflow."""

    def start(self, workflow_state, user=None):
        from .page_screening import screen_revision  # imports the page models lazily

        task_state = super().start(workflow_state, user=user)
        page = _page_of(workflow_state)
        findings = screen_revision(task_state.revision)
        overridden_keys = set(
            ScreeningOverride.objects.filter(page=page).values_list("finding_key", flat=True)
        )
        open_findings = [f for f in findings if f.key not in overridden_keys]
        ScreeningReport.objects.create(
            task_state=task_state,
            page=page,
            findings=[f.as_dict() for f in open_findings],
            overridden=[f.as_dict() for f in findings if f.key in overridden_keys],
        )
        if open_findings:
            summary = "；".join(
                f"{f.where_label}：{f.label} {f.value_masked}" for f in open_findings
            )
            comment = str(_("Automatic screening found %(count)s problem(s): %(summary)s")) % {
                "count": len(open_findings),
                "summary": summary,
            }
            task_state.reject(user=None, update=False, comment=comment[:2000])
        else:
            task_state.approve(
                user=None, update=False, comment=str(_("Automatic screening: no findings."))
            )
        return task_state

    def get_actions(self, obj, user):
        return []  # nobody acts on this task; overrides go through the screening view

    @classmethod
    def get_description(cls):
        return _("Automatic check for secrecy markings and personal data")

    class Meta:
        verbose_name = _("automatic screening task")
        verbose_name_plural = _("automatic screening tasks")


class ScreeningReport(models.Model):
    task_state = models.OneToOneField(
        TaskState, on_delete=models.CASCADE, related_name="screening_report"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="screening_reports")
    findings = models.JSONField(default=list)
    overridden = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("screening report")
        verbose_name_plural = _("screening reports")

    def __str__(self):
        return f"{self.page_id}: {len(self.findings)}"

    @property
    def passed(self):
        return not self.findings


class ScreeningOverride(models.Model):
    """A secrecy reviewer's decision that a finding is a false positive, with the reason."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="screening_overrides")
    finding_key = models.CharField(max_length=64)
    finding = models.JSONField()
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "finding_key"], name="unique_override")
        ]
        verbose_name = _("screening override")
        verbose_name_plural = _("screening overrides")

    def __str__(self):
        return f"{self.page_id}: {self.finding_key}"


# --- human review ---------------------------------------------------------------------


class UnitReviewTask(AbstractGroupApprovalTask):
    """Review by the unit's own reviewers (谁主管谁负责). Nobody approves their own submission."""

    def get_actions(self, obj, user):
        if _submitted_by(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        if _submitted_by(task_state.workflow_state.content_object, user):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    # The modal of each action names the item and says what the person is doing.
    modal_templates = {
        "approve": "review/modals/review_approve.html",
        "reject": "review/modals/reject.html",
    }

    def get_template_for_action(self, action):
        return self.modal_templates.get(action, "")

    @classmethod
    def get_description(cls):
        return _("The unit's reviewers approve the content")

    class Meta:
        verbose_name = _("unit review task")
        verbose_name_plural = _("unit review tasks")


class SecrecyAttestationForm(forms.Form):
    attest = forms.BooleanField(
        label=_(
            "I attest that this item contains no state secret, trade secret or personal privacy."
        ),
        required=True,
        error_messages={"required": _("Tick the attestation to approve.")},
    )
    comment = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what must change.")},
    )


class SecrecyReviewState(TaskState):
    """The 保密审查 record: who attested, when (finished_at) and their opinion (comment)."""

    attested = models.BooleanField(_("attested"), default=False)

    class Meta:
        verbose_name = _("secrecy review")
        verbose_name_plural = _("secrecy reviews")


class SecrecyReviewTask(UnitReviewTask):
    """保密审查: the approver must attest that nothing secret or private goes online."""

    task_state_class = SecrecyReviewState
    modal_templates = {
        "approve": "review/modals/secrecy_approve.html",
        "reject": "review/modals/reject.html",
    }

    def get_actions(self, obj, user):
        if not super().get_actions(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Attest and approve"), True),
        ]

    def get_form_for_action(self, action):
        return SecrecyAttestationForm if action == "approve" else RequiredCommentForm

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            if not kwargs.get("attest"):
                raise PermissionDenied
            state = task_state.specific
            state.attested = True
            state.save(update_fields=["attested"])
            kwargs = {"comment": kwargs.get("comment", "")}
        elif action_name == "reject" and not (kwargs.get("comment") or "").strip():
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("The unit's secrecy reviewers attest that nothing secret or private goes online")

    class Meta:
        verbose_name = _("secrecy review task")
        verbose_name_plural = _("secrecy review tasks")


# --- Art. 9 filing --------------------------------------------------------------------


class FilingTask(AbstractGroupApprovalTask):
    """The disclosure office reviews and files additions to 政府职能 and 行政权力 (Art. 9).
    Items of other classes skip this task."""

    def start(self, workflow_state, user=None):
        page = _page_of(workflow_state)
        class_code = getattr(getattr(page, "catalogue_class", None), "code", None)
        if class_code in FILED_CLASS_CODES:
            return super().start(workflow_state, user=user)
        task_state = self.get_task_state_class()(
            workflow_state=workflow_state,
            status=TaskState.STATUS_SKIPPED,
            revision=workflow_state.content_object.get_latest_revision(),
            task=self,
            finished_at=timezone.now(),
        )
        task_state.save()
        return task_state

    def get_actions(self, obj, user):
        if _submitted_by(obj, user) or not super().get_actions(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", pgettext_lazy("filing action", "File"), True),
        ]

    def get_template_for_action(self, action):
        return {
            "approve": "review/modals/filing_approve.html",
            "reject": "review/modals/reject.html",
        }.get(action, "")

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            FilingRecord.file(
                page=task_state.workflow_state.content_object,
                kind=FilingRecord.Kind.ADDITION,
                user=user,
                reason=kwargs.get("comment", ""),
                task_state=task_state,
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("The disclosure office files additions to functions and powers (Art. 9)")

    class Meta:
        verbose_name = _("filing task")
        verbose_name_plural = _("filing tasks")


class FilingRecord(models.Model):
    """备案: the office's record of an addition to, or removal from, functions and powers."""

    class Kind(models.TextChoices):
        ADDITION = "addition", _("Addition (reviewed and filed)")
        REMOVAL = "removal", _("Removal (filed with reason)")

    number = models.CharField(_("filing number"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    page = models.ForeignKey(
        Page, verbose_name=_("item"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField(_("title"), max_length=255)
    unit_name = models.CharField(_("unit"), max_length=255)
    office_name = models.CharField(_("filed with"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.TextField(_("reason"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    task_state = models.ForeignKey(
        TaskState, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("filing record")
        verbose_name_plural = _("filing records")

    def __str__(self):
        return self.number

    @classmethod
    def file(cls, *, page, kind, user, reason="", task_state=None):
        from .offices import filing_office_for

        page = page.specific
        unit = getattr(page, "unit", None)
        office_unit = filing_office_for(unit) if unit else None
        office_name = office_unit.display_name if office_unit else str(_("Disclosure office"))
        year = timezone.localdate().year
        for _attempt in range(5):
            sequence = cls.objects.filter(office_name=office_name, year=year).count() + 1
            number = f"{office_name}备〔{year}〕{sequence}号"
            try:
                with transaction.atomic():
                    return cls.objects.create(
                        number=number,
                        kind=kind,
                        page=page,
                        page_title=page.title,
                        unit_name=unit.title if unit else "",
                        office_name=office_name,
                        year=year,
                        reason=reason,
                        filed_by=user,
                        task_state=task_state,
                    )
            except IntegrityError:
                continue
        raise IntegrityError("could not allocate a filing number")


# --- withdrawal -----------------------------------------------------------------------


class Withdrawal(models.Model):
    """An unpublished item's public notice: why it was withdrawn (not a bare 404)."""

    class Reason(models.TextChoices):
        ERROR = "error", _("Published in error")
        SUPERSEDED = "superseded", _("Superseded")
        EXPIRED = "expired", _("Expired")
        SECRECY = "secrecy", _("Secrecy emergency")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="withdrawals")
    site_id = models.PositiveIntegerField(null=True)
    path = models.CharField(max_length=1024, db_index=True, help_text="URL path on its site")
    title = models.CharField(max_length=255)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.TextField(_("explanation"), blank=True)
    successor = models.ForeignKey(
        Page,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-withdrawn_at"]
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")

    def __str__(self):
        return f"{self.title} ({self.get_reason_display()})"

    @property
    def is_secrecy_emergency(self):
        return self.reason == self.Reason.SECRECY
