"""Citizen services: applications for information (依申请公开, Art. 17), complaints and ratings
(Art. 14), and the public pages through which citizens file them.

Every application, complaint and rating belongs to a unit, so its staff and the offices above
it handle it, and the supervision of units can count them (received, replied, on time, outcome
by the annual report's categories, ratings)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from review.screening import mask
from unit_sites.models import CanonicalUrlMixin, UnitPage
from unit_sites.structure import ViewRestrictionsMixin

from .blocks import WithheldClassBlock
from .choices import (
    ApplicantType,
    Channel,
    ComplaintCategory,
    ComplaintStatus,
    DeliveryForm,
    DeliveryMethod,
    EventKind,
    IdType,
    Outcome,
    Status,
    outcome_group,
)
from .storage import private_storage, private_upload_to


class InformationRequest(models.Model):
    """An application for government information (申请), with its statutory clock."""

    unit = models.ForeignKey(
        UnitPage,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="information_requests",
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)

    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices
    )
    name = models.CharField(
        pgettext_lazy("applicant", "name"),
        max_length=100,
        help_text=_("Your name, or the organisation's full name."),
    )
    contact_person = models.CharField(
        _("contact person"),
        max_length=50,
        blank=True,
        help_text=_("For an organisation: who we may contact about the application."),
    )
    id_type = models.CharField(_("identity document"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("ID number"), max_length=40)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,  # required online (forms.py); an application by letter may have none
        help_text=_("You will need it to follow your application."),
    )
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    description = models.TextField(
        _("information sought"),
        max_length=2000,
        help_text=_(
            "The title, document number or other details that help us find the information."
        ),
    )
    purpose = models.TextField(_("purpose"), max_length=500, blank=True)
    delivery_form = models.CharField(
        _("preferred form"), max_length=20, choices=DeliveryForm.choices
    )
    delivery_method = models.CharField(
        _("way of delivery"), max_length=20, choices=DeliveryMethod.choices
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.ONLINE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The staff member who recorded an application received offline."),
    )

    # The clock (clock.py), recomputed from the events after each one and kept in columns so
    # the register can filter and the supervision of units can count.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROCESSING
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    extended = models.BooleanField(_("extended"), default=False)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    outcome = models.CharField(_("reply type"), max_length=30, choices=Outcome.choices, blank=True)
    on_time = models.BooleanField(_("replied on time"), null=True, blank=True)

    reply_text = models.TextField(_("reply"), blank=True)
    reply_document = models.FileField(
        _("reply document"),
        storage=private_storage,
        upload_to=private_upload_to,
        blank=True,
    )
    public_summary = models.CharField(
        _("public summary"),
        max_length=200,
        blank=True,
        help_text=_("What was asked, without personal data: shown in the public log."),
    )
    fee_yuan = models.PositiveIntegerField(_("processing fee (yuan)"), null=True, blank=True)
    notified_at = models.DateTimeField(_("staff notified at"), null=True, blank=True)
    converted_item = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("proactive disclosure item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("application for information")
        verbose_name_plural = _("applications for information")
        indexes = [
            models.Index(fields=["unit", "received_on"], name="request_unit_received"),
            models.Index(fields=["status", "due_date"], name="request_status_due"),
            models.Index(fields=["unit", "id_type", "id_number"], name="request_applicant"),
        ]

    def __str__(self):
        return self.tracking_code

    # --- values for lists, exports and templates (personal data masked) -----------------

    @property
    def id_number_masked(self):
        return mask(self.id_number)

    @property
    def phone_masked(self):
        return mask(self.phone)

    @property
    def outcome_group(self):
        group = outcome_group(self.outcome) if self.outcome else None
        return group.label if group else ""

    @property
    def is_open(self):
        return self.status in Status.open()

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.is_open
            and self.due_date is not None
            and self.status != Status.AWAITING_CLARIFICATION
            and today > self.due_date
        )

    @property
    def subject(self):
        """For staff lists: the start of what was asked."""
        text = " ".join(self.description.split())
        return text if len(text) <= 40 else text[:40] + "…"

    subject.fget.short_description = _("request (start)")

    @cached_property
    def clock(self):
        from .clock import compute

        return compute(self.events.all())


class RequestEvent(models.Model):
    """One event on the clock of an application (the clock is computed from these)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    date = models.DateField(_("date"))
    message = models.TextField(
        _("message to the applicant"),
        blank=True,
        help_text=_("Shown to the applicant when they follow the application."),
    )
    note = models.TextField(_("internal note"), blank=True)
    document = models.FileField(
        _("document"), storage=private_storage, upload_to=private_upload_to, blank=True
    )
    data = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self):
        return f"{self.request}: {self.get_kind_display()} {self.date.isoformat()}"


class RequestAttachment(models.Model):
    """A file the applicant attached (checked and cleaned by uploads.clean_upload)."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to=private_upload_to)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Complaint(models.Model):
    """A complaint, report or suggestion about a unit's disclosure work (Art. 14)."""

    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="complaints"
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    category = models.CharField(_("type"), max_length=20, choices=ComplaintCategory.choices)
    name = models.CharField(pgettext_lazy("applicant", "name"), max_length=100)
    phone = models.CharField(
        _("phone"), max_length=30, help_text=_("You will need it to follow your message.")
    )
    email = models.EmailField(_("email"), blank=True)
    subject = models.CharField(_("subject"), max_length=100)
    content = models.TextField(_("message"), max_length=2000)
    page_url = models.URLField(_("address of the page concerned"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    received_on = models.DateField(_("received on"))
    due_date = models.DateField(_("reply due"))
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    reply_text = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_public = models.BooleanField(_("reply published"), default=False)
    public_question = models.TextField(
        _("message as published"),
        blank=True,
        help_text=_("The message without personal data, shown with the public reply."),
    )
    notified_at = models.DateTimeField(_("staff notified at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["unit", "received_on"], name="complaint_unit_received"),
            models.Index(fields=["status", "due_date"], name="complaint_status_due"),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def phone_masked(self):
        return mask(self.phone)

    @property
    def on_time(self):
        return None if self.replied_on is None else self.replied_on <= self.due_date

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status == ComplaintStatus.OPEN and today > self.due_date

    @property
    def working_days_to_reply(self):
        if self.replied_on is None:
            return None
        from workdays.calendar import working_days_between

        return working_days_between(self.received_on, self.replied_on)


class Rating(models.Model):
    """Was this page useful? (有用 / 没用, Art. 14). Anonymous: nothing about the rater is kept."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        UnitPage,
        verbose_name=_("unit"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    useful = models.BooleanField(_("useful"))
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["unit", "created_at"], name="rating_unit_created")]

    def __str__(self):
        return f"{self.page_id}: {'+' if self.useful else '-'}"


# --- public pages, one of each per unit (provisioning.py) -------------------------------


def _views():
    from . import public_views  # imports the models above

    return public_views


def citizen_column_metadata(page):
    """The column tags of the national site rules (cms.templatetags.site_metadata_tags)."""
    return {
        "ColumnName": page.title,
        "ColumnDescription": page.search_description,
        "ColumnKeywords": page.title,
        "ColumnType": page.site_column_type,
    }


class CitizenServicePage(ViewRestrictionsMixin, CanonicalUrlMixin, Page):
    """Shared by the unit's application and complaint pages."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link", "ol", "ul"])

    parent_page_types = ["unit_sites.UnitPage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    # The column type of the national site rules (a Chinese vocabulary: data, not a label).
    site_column_type = "依法申请公开"

    class Meta:
        abstract = True

    def get_site_metadata(self, request):
        return citizen_column_metadata(self)

    def get_unit(self):
        return UnitPage.objects.filter(pk=self.get_parent().pk).first()


class ApplicationPage(RoutablePageMixin, CitizenServicePage):
    """依申请公开: the unit's application form, receipts, tracking and public log."""

    form_template = "application_page.html"

    class Meta:
        verbose_name = _("application for information page")
        verbose_name_plural = _("application for information pages")

    @path("", name="form")
    def form_view(self, request):
        return _views().application_form(self, request)

    @path("receipt/<str:code>/", name="receipt")
    def receipt_view(self, request, code):
        return _views().application_receipt(self, request, code)

    @path("track/", name="track")
    def track_view(self, request):
        return _views().track_lookup(self, request, InformationRequest)

    @path("track/<str:code>/", name="tracked")
    def tracked_view(self, request, code):
        return _views().application_status(self, request, code)

    @path("track/<str:code>/clarify/", name="clarify")
    def clarify_view(self, request, code):
        return _views().application_clarify(self, request, code)

    @path("track/<str:code>/reply/", name="reply_document")
    def reply_document_view(self, request, code):
        return _views().application_reply_document(self, request, code)

    @path("log/", name="log")
    def log_view(self, request):
        return _views().application_log(self, request)


class ComplaintPage(RoutablePageMixin, CitizenServicePage):
    """投诉监督: the unit's complaint and supervision form and its public replies."""

    form_template = "complaint_page.html"
    site_column_type = "咨询投诉"

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        replies = _views().public_replies(self.get_unit())
        context["replies"] = Paginator(replies, 10).get_page(request.GET.get("page"))
        return context

    class Meta:
        verbose_name = _("complaints and supervision page")
        verbose_name_plural = _("complaints and supervision pages")

    @path("", name="form")
    def form_view(self, request):
        return _views().complaint_form(self, request)

    @path("receipt/<str:code>/", name="receipt")
    def receipt_view(self, request, code):
        return _views().complaint_receipt(self, request, code)

    @path("track/", name="track")
    def track_view(self, request):
        return _views().track_lookup(self, request, Complaint)

    @path("track/<str:code>/", name="tracked")
    def tracked_view(self, request, code):
        return _views().complaint_status(self, request, code)


class WithheldInfoPage(ViewRestrictionsMixin, CanonicalUrlMixin, Page):
    """不予公开信息说明 (Art. 17): the classes of information the unit does not disclose, and why."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link", "ol", "ul"])
    classes = StreamField(
        [("withheld_class", WithheldClassBlock())],
        verbose_name=_("classes of information not disclosed"),
        blank=True,
    )

    parent_page_types = ["unit_sites.UnitPage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("classes")]
    site_column_type = "依法申请公开"

    class Meta:
        verbose_name = _("information not disclosed page")
        verbose_name_plural = _("information not disclosed pages")

    def get_site_metadata(self, request):
        return citizen_column_metadata(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["unit"] = UnitPage.objects.filter(pk=self.get_parent().pk).first()
        return context
