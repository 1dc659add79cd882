"""Supervision of units (Art. 46–47 of the 2019 Regulations): self-inspection against the
national inspection indicators (国办秘函〔2019〕19号) and the disclosure office's scoring.

An inspection run keeps its findings, so a unit can see what was found on any day; a score
card keeps its deductions, each pointing at the item, application, complaint, rating or
finding behind it, so every point lost can be followed to its cause."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from disclosure_pages.models import CatalogueNode
from unit_sites.models import UnitPage


class Indicator(models.TextChoices):
    """What an inspection finds (one code per kind of finding)."""

    HOME_STALE = "home_stale", _("Unit not updated for two weeks")
    EMPTY_CLASS = "empty_class", _("Empty catalogue class")
    TOO_MANY_EMPTY = "too_many_empty", _("Five or more empty columns")
    STALE_NEWS = "stale_news", _("News column not updated")
    STALE_POLICY = "stale_policy", _("Policy column not updated")
    STALE_COLUMN = "stale_column", _("Column not updated")
    BROKEN_LINK = "broken_link", _("Broken internal link")
    MISSING_ATTACHMENT = "missing_attachment", _("Missing attachment")
    OVERDUE_REQUEST = "overdue_request", _("Application unanswered past its deadline")
    OVERDUE_COMPLAINT = "overdue_complaint", _("Complaint unanswered past its deadline")
    LATE_PUBLICATION = "late_publication", _("Published more than 20 working days late")
    OVERDUE_ITEM = "overdue_item", _("Item not yet published past its deadline")
    MISSING_INTERPRETATION = "no_interpretation", _("Normative document without interpretation")


STALE_INDICATORS = {
    Indicator.HOME_STALE,
    Indicator.STALE_NEWS,
    Indicator.STALE_POLICY,
    Indicator.STALE_COLUMN,
}
# Findings the scoring's "inspection findings" indicator counts: the others are scored by
# their own indicators (timeliness, requests, complaints, update frequency).
SITE_QUALITY_INDICATORS = {
    Indicator.EMPTY_CLASS,
    Indicator.TOO_MANY_EMPTY,
    Indicator.BROKEN_LINK,
    Indicator.MISSING_ATTACHMENT,
}


class Severity(models.TextChoices):
    VETO = "veto", _("Fails the site (single-item veto)")
    SERIOUS = "serious", _("Serious")
    MINOR = "minor", _("Minor")


class TargetMixin(models.Model):
    """What a finding or deduction is about: a page, or any other object (an application, a
    complaint, a rating, a document), with its label kept in case it is deleted later."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("item concerned"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def set_target(self, obj):
        if obj is None:
            return self
        from wagtail.models import Page

        if isinstance(obj, Page):
            self.page = obj
        else:
            self.content_type = ContentType.objects.get_for_model(obj)
            self.object_id = obj.pk
        if not self.label:
            self.label = str(getattr(obj, "title", None) or obj)[:255]
        return self

    def admin_url(self):
        """Where staff look at the object behind it (None when it is gone)."""
        if self.page_id:
            return reverse("wagtailadmin_pages:edit", args=[self.page_id])
        if self.content_type_id and self.object_id:
            name = {
                ("citizen_services", "informationrequest"): (
                    "citizen_services_informationrequest_modeladmin_inspect"
                ),
                ("citizen_services", "complaint"): "citizen_services_complaint_modeladmin_inspect",
                ("wagtaildocs", "document"): "wagtaildocs:edit",
            }.get((self.content_type.app_label, self.content_type.model))
            if name:
                try:
                    return reverse(name, args=[self.object_id])
                except NoReverseMatch:
                    return None
        return None

    def public_url(self):
        if self.page_id and self.page and self.page.live:
            return self.page.get_url()
        return None


class InspectionRun(models.Model):
    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        ADMIN = "admin", _("On demand (admin)")
        COMMAND = "command", _("On demand (command)")

    as_of = models.DateField(_("inspected as of"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    units = models.ManyToManyField(UnitPage, verbose_name=_("units inspected"), related_name="+")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("inspection run")
        verbose_name_plural = _("inspection runs")

    def __str__(self):
        return f"{self.as_of.isoformat()} #{self.pk}"


class Finding(TargetMixin):
    run = models.ForeignKey(InspectionRun, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.TextField(_("message"))

    class Meta:
        ordering = ["unit__path", "indicator", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["run", "unit"], name="finding_run_unit")]

    def __str__(self):
        return self.message


class UpdatePeriod(models.Model):
    """How often a catalogue class column must get a new item (e.g. 工作动态 every 14 days)."""

    catalogue_class = models.OneToOneField(
        CatalogueNode,
        verbose_name=_("catalogue class"),
        on_delete=models.CASCADE,
        limit_choices_to={"level": CatalogueNode.Level.CLASS},
        related_name="+",
    )
    days = models.PositiveIntegerField(_("update period (days)"), validators=[MinValueValidator(1)])

    panels = [FieldPanel("catalogue_class"), FieldPanel("days")]

    class Meta:
        ordering = ["catalogue_class__path"]
        verbose_name = _("column update period")
        verbose_name_plural = _("column update periods")

    def __str__(self):
        return f"{self.catalogue_class.name}: {self.days}"


# --- scoring -------------------------------------------------------------------------------


class ScoringIndicatorCode(models.TextChoices):
    TIMELINESS = "timeliness", _("Publication within 20 working days")
    COVERAGE = "coverage", _("Coverage of the 20 key kinds (Art. 8)")
    UPDATE_FREQUENCY = "update_frequency", _("Update frequency")
    REQUESTS = "requests", _("Applications: timeliness and replies")
    COMPLAINTS = "complaints", _("Complaint handling")
    RATINGS = "ratings", _("Ratings by the public")
    INSPECTION = "inspection", _("Inspection findings")


class ScoringScheme(ClusterableModel):
    """The disclosure office's assessment scheme for a period (考核方案)."""

    name = models.CharField(_("name"), max_length=100)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
        FieldPanel("notes"),
        MultiFieldPanel(
            [InlinePanel("indicators", label=_("Indicator"))],
            heading=_("Weighted indicators"),
        ),
    ]

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self):
        return f"{self.name}（{self.period_start.isoformat()}—{self.period_end.isoformat()}）"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})

    @property
    def max_points(self):
        return sum((i.weight for i in self.indicators.all()), Decimal(0))

    @classmethod
    def current(cls, today=None):
        today = today or timezone.localdate()
        schemes = cls.objects.all()
        return (
            schemes.filter(period_start__lte=today, period_end__gte=today).first()
            or schemes.first()
        )


class ScoringIndicator(models.Model):
    scheme = ParentalKey(ScoringScheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("indicator"), max_length=20, choices=ScoringIndicatorCode.choices)
    weight = models.DecimalField(
        pgettext_lazy("scoring", "weight (points)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    per_item = models.DecimalField(
        _("points per finding"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "For update frequency and inspection findings: points lost per finding (a finding "
            "that fails the site counts double), up to the weight. Other indicators lose points "
            "in proportion to the share of items concerned."
        ),
    )

    veto = models.BooleanField(
        _("single-item veto"),
        default=False,
        help_text=_(
            "A unit fails the assessment whatever its points when this indicator finds: for "
            "update frequency and inspection findings, a finding that fails the site (e.g. a "
            "site not updated for the period, five or more empty columns); for the other "
            "indicators, any item concerned."
        ),
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("code"), FieldPanel("weight"), FieldPanel("per_item"), FieldPanel("veto")]
        )
    ]

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="unique_scheme_indicator")
        ]
        verbose_name = _("scoring indicator")
        verbose_name_plural = _("scoring indicators")

    def __str__(self):
        return f"{self.get_code_display()} ({self.weight})"


class ScoreCard(models.Model):
    """A unit's computed score under a scheme (recomputed as a whole; adjustments survive)."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="cards")
    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    as_of = models.DateField(_("data as of"))
    max_points = models.DecimalField(_("maximum"), max_digits=7, decimal_places=2)
    lost = models.DecimalField(_("points lost"), max_digits=7, decimal_places=2)
    adjustment = models.DecimalField(
        _("manual adjustment"), max_digits=7, decimal_places=2, default=0
    )
    score = models.DecimalField(pgettext_lazy("scoring", "score"), max_digits=7, decimal_places=2)
    inspection_run = models.ForeignKey(
        InspectionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failed = models.BooleanField(_("failed"), default=False)
    failure_reasons = models.TextField(_("why the unit failed"), blank=True)

    class Meta:
        ordering = ["failed", "-score", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="unique_scheme_unit_card")
        ]
        verbose_name = _("score card")
        verbose_name_plural = _("score cards")

    def __str__(self):
        return f"{self.unit.title}: {self.score}"

    @property
    def base_score(self):
        return self.max_points - self.lost

    @property
    def failure_reason_list(self):
        return [line for line in self.failure_reasons.splitlines() if line.strip()]


class Deduction(TargetMixin):
    """Points lost for one item (the drill-down of a score card)."""

    card = models.ForeignKey(ScoreCard, on_delete=models.CASCADE, related_name="deductions")
    indicator = models.CharField(
        _("indicator"), max_length=20, choices=ScoringIndicatorCode.choices
    )
    points = models.DecimalField(_("points lost"), max_digits=7, decimal_places=2)
    message = models.TextField(_("reason"))
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "-points", "pk"]
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")

    def __str__(self):
        return f"-{self.points} {self.message}"


class ScoreAdjustment(models.Model):
    """A manual adjustment by the disclosure office, with its reason (who and when kept)."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    points = models.DecimalField(
        _("points"),
        max_digits=7,
        decimal_places=2,
        help_text=_("Positive to add points, negative to deduct."),
    )
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("score adjustment")
        verbose_name_plural = _("score adjustments")

    def __str__(self):
        return f"{self.unit.title}: {self.points:+}"


class BulletinSequence(models.Model):
    """The last 通报 number an office used in a year (its 文号 sequence)."""

    unit = models.ForeignKey(UnitPage, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unique_bulletin_sequence")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.year}: {self.last}"
