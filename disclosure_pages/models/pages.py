"""Typed disclosure pages, where the structure of the information really differs.

Each knows its catalogue class (Art. 7) and, where it has one, its Art. 8 key kind; it can only
be created under the matching class column of a unit's catalogue.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model

from search.index import SegmentedSearchField

from ..blocks import GoalBlock, InternalBodyBlock, LeaderBlock, MaterialBlock, PositionBlock
from .base import DisclosureItem

LEADER_PHOTO_SPEC = "fill-120x160"  # keep in step with includes/leader_photo.html


def typed_search_fields(*names):
    """The base's search fields and the typed page's own text, searchable like the body (no
    boost: below title, 文号, 发布机构 and 内容概述)."""
    return [*DisclosureItem.search_fields, *(SegmentedSearchField(name) for name in names)]


def typed_panels(*panels, heading):
    return [
        *DisclosureItem.content_panels,
        MultiFieldPanel(list(panels), heading=heading),
        *DisclosureItem.body_panels,
    ]


class OrganisationPage(DisclosureItem):
    """机构职能与领导: leadership, statutory duties, internal bodies, contact (Art. 8 (1))."""

    catalogue_class_code = "zfzn"
    key_kind_code = "ldzc"

    duties = RichTextField(_("statutory duties"), blank=True)
    leaders = StreamField([("leader", LeaderBlock())], verbose_name=_("leaders"), blank=True)
    internal_bodies = StreamField(
        [("body", InternalBodyBlock())], verbose_name=_("internal bodies"), blank=True
    )

    content_panels = typed_panels(
        FieldPanel("duties"),
        FieldPanel("leaders"),
        FieldPanel("internal_bodies"),
        heading=_("Organisation"),
    )
    search_fields = typed_search_fields("duties", "leaders", "internal_bodies")
    api_fields = [
        *DisclosureItem.api_fields,
        APIField("duties"),
        APIField("leaders"),
        APIField("internal_bodies"),
    ]

    class Meta:
        verbose_name = _("organisation and leadership")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # All leaders' photos with their renditions in two queries, not two per photo.
        ids = [leader["value"].get("photo") for leader in self.leaders.raw_data]
        ids = [pk for pk in ids if pk]
        images = (
            get_image_model().objects.filter(pk__in=ids).prefetch_renditions(LEADER_PHOTO_SPEC)
            if ids
            else []
        )
        context["leader_photos"] = {image.pk: image for image in images}
        return context


class PowerType(models.TextChoices):
    LICENSING = "licensing", _("Administrative licensing")
    OTHER_APPROVAL = "approval", _("Other administrative approval")
    PENALTY = "penalty", _("Administrative penalty")
    COERCION = "coercion", _("Administrative coercion")
    COLLECTION = "collection", _("Administrative collection")
    OTHER = "other", _("Other administrative power")


class PowerItemPage(DisclosureItem):
    """行政权力事项: basis, conditions, quantity, procedure, time limit, materials (Art. 8 (2))."""

    catalogue_class_code = "xzql"
    key_kind_code = "xzqlsx"

    power_type = models.CharField(_("type of power"), max_length=12, choices=PowerType.choices)
    item_code = models.CharField(_("item code"), max_length=60, blank=True)
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("conditions"), blank=True)
    quantity_limit = models.CharField(_("quantity limit"), max_length=200, blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    time_limit = models.CharField(_("time limit"), max_length=200, blank=True)
    materials = StreamField(
        [("material", MaterialBlock())], verbose_name=_("materials"), blank=True
    )
    sample_application = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("sample application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decisions = models.TextField(_("decisions granted"), blank=True)

    content_panels = typed_panels(
        FieldRowPanel([FieldPanel("power_type"), FieldPanel("item_code")]),
        FieldPanel("legal_basis"),
        FieldPanel("conditions"),
        FieldRowPanel([FieldPanel("quantity_limit"), FieldPanel("time_limit")]),
        FieldPanel("procedure"),
        FieldPanel("materials"),
        FieldPanel("sample_application"),
        FieldPanel("decisions"),
        heading=_("Administrative power"),
    )
    search_fields = typed_search_fields(
        "item_code",
        "legal_basis",
        "conditions",
        "quantity_limit",
        "procedure",
        "time_limit",
        "materials",
        "decisions",
    )
    api_fields = [
        *DisclosureItem.api_fields,
        *(APIField(name) for name in ("power_type", "item_code", "legal_basis", "conditions")),
        *(APIField(name) for name in ("quantity_limit", "procedure", "time_limit", "materials")),
        APIField("decisions"),
    ]

    class Meta:
        verbose_name = _("administrative power item")


class ServiceGuidePage(DisclosureItem):
    """办事指南: how to get a service done (Art. 8 (3))."""

    catalogue_class_code = "bszn"
    key_kind_code = "bmfw"

    applicants = models.CharField(_("who may apply"), max_length=200, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    materials = StreamField(
        [("material", MaterialBlock())], verbose_name=_("materials"), blank=True
    )
    procedure = models.TextField(_("procedure"), blank=True)
    time_limit = models.CharField(_("time limit"), max_length=200, blank=True)
    fees = models.CharField(_("fees"), max_length=200, blank=True, default="不收费")
    location = models.CharField(_("where"), max_length=200, blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    enquiry_phone = models.CharField(_("enquiries"), max_length=60, blank=True)
    online_url = models.URLField(_("apply online"), blank=True)

    content_panels = typed_panels(
        FieldPanel("applicants"),
        FieldPanel("conditions"),
        FieldPanel("materials"),
        FieldPanel("procedure"),
        FieldRowPanel([FieldPanel("time_limit"), FieldPanel("fees")]),
        FieldRowPanel([FieldPanel("location"), FieldPanel("hours")]),
        FieldRowPanel([FieldPanel("enquiry_phone"), FieldPanel("online_url")]),
        heading=_("Service guide"),
    )
    search_fields = typed_search_fields(
        "applicants",
        "conditions",
        "materials",
        "procedure",
        "time_limit",
        "fees",
        "location",
        "hours",
    )
    api_fields = [
        *DisclosureItem.api_fields,
        *(APIField(name) for name in ("applicants", "conditions", "materials", "procedure")),
        *(APIField(name) for name in ("time_limit", "fees", "location", "hours", "online_url")),
    ]

    class Meta:
        verbose_name = _("service guide")


class FeeItemPage(DisclosureItem):
    """收费项目: administrative and institutional fees (Art. 8 (4))."""

    catalogue_class_code = "xzql"
    key_kind_code = "sfxm"

    basis = models.TextField(_("basis"))
    standard = models.TextField(_("standard"))
    procedure = models.TextField(_("procedure"), blank=True)
    payer = models.CharField(_("who pays"), max_length=200, blank=True)

    content_panels = typed_panels(
        FieldPanel("basis"),
        FieldPanel("standard"),
        FieldPanel("procedure"),
        FieldPanel("payer"),
        heading=_("Fee"),
    )
    search_fields = typed_search_fields("basis", "standard", "procedure", "payer")
    api_fields = [
        *DisclosureItem.api_fields,
        APIField("basis"),
        APIField("standard"),
        APIField("procedure"),
    ]

    class Meta:
        verbose_name = _("fee item")


class EnforcementResultPage(DisclosureItem):
    """行政执法结果: a case decision (Art. 8 (8)). Parties are named only as the law allows."""

    catalogue_class_code = "xzzf"
    key_kind_code = "zfjg"

    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    party = models.CharField(_("party"), max_length=200, blank=True)
    decision_type = models.CharField(_("decision"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    basis = models.TextField(_("basis"), blank=True)
    result = models.TextField(_("result"), blank=True)

    content_panels = typed_panels(
        FieldRowPanel([FieldPanel("case_number"), FieldPanel("decision_date")]),
        FieldRowPanel([FieldPanel("party"), FieldPanel("decision_type")]),
        FieldPanel("basis"),
        FieldPanel("result"),
        heading=_("Enforcement result"),
    )
    search_fields = typed_search_fields("case_number", "party", "decision_type", "basis", "result")
    api_fields = [
        *DisclosureItem.api_fields,
        *(APIField(name) for name in ("case_number", "party", "decision_type", "decision_date")),
        APIField("basis"),
        APIField("result"),
    ]

    class Meta:
        verbose_name = _("enforcement result")


class PolicyDocumentPage(DisclosureItem):
    """政策文件 / 规范性文件 with its validity lifecycle (Art. 8 (7))."""

    catalogue_class_code = "zcfg"
    key_kind_code = "zcwj"

    is_normative = models.BooleanField(_("normative document"), default=False)
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    expiry_date = models.DateField(_("effective until"), null=True, blank=True)
    interpretation = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("interpretation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = typed_panels(
        FieldPanel("is_normative"),
        FieldRowPanel([FieldPanel("effective_date"), FieldPanel("expiry_date")]),
        FieldPanel("interpretation"),
        heading=_("Policy document"),
    )
    api_fields = [
        *DisclosureItem.api_fields,
        APIField("is_normative"),
        APIField("effective_date"),
        APIField("expiry_date"),
    ]

    class Meta:
        verbose_name = _("policy document")

    def live_interpretations(self):
        """Its published 解读 (InterpretationPage.documents), newest first."""
        return self.interpretations.live().public().order_by("-publish_date")


class InterpretationForm(models.TextChoices):
    TEXT = "text", pgettext_lazy("interpretation form", "Text")
    GRAPHIC = "graphic", pgettext_lazy("interpretation form", "Graphic")
    MEDIA = "media", pgettext_lazy("interpretation form", "Audio or video")
    PRESS = "press", pgettext_lazy("interpretation form", "Press conference")


class InterpretationPage(DisclosureItem):
    """政策解读: explains one or more policy documents; each document shows its 解读 and the
    解读 its documents (only live, public ones either way)."""

    catalogue_class_code = "zcfg"
    key_kind_code = "zcjd"

    form = models.CharField(
        _("form of interpretation"),
        max_length=10,
        choices=InterpretationForm.choices,
        default=InterpretationForm.TEXT,
    )
    documents = ParentalManyToManyField(
        "disclosure_pages.PolicyDocumentPage",
        verbose_name=_("policy documents interpreted"),
        related_name="interpretations",
        blank=False,
    )

    content_panels = typed_panels(
        FieldPanel("form"),
        FieldPanel("documents", widget=forms.SelectMultiple(attrs={"size": 8})),
        heading=_("Policy interpretation"),
    )
    api_fields = [*DisclosureItem.api_fields, APIField("form")]

    class Meta:
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")

    def live_documents(self):
        return self.documents.live().public().order_by("-publish_date")


class PlanPage(DisclosureItem):
    """规划计划 and annual goals with their progress (Art. 8 (17))."""

    catalogue_class_code = "gzdt"
    key_kind_code = "ghjh"

    plan_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    goals = StreamField([("goal", GoalBlock())], verbose_name=_("goals"), blank=True)

    content_panels = typed_panels(FieldPanel("plan_year"), FieldPanel("goals"), heading=_("Plan"))
    search_fields = typed_search_fields("goals")
    api_fields = [*DisclosureItem.api_fields, APIField("plan_year"), APIField("goals")]

    class Meta:
        verbose_name = _("plan and goals")


class ProcurementPage(DisclosureItem):
    """招投标与政府采购 (Art. 8 (11))."""

    catalogue_class_code = "gzdt"
    key_kind_code = "zbcg"

    project_name = models.CharField(_("project"), max_length=200)
    method = models.CharField(_("procurement method"), max_length=60, blank=True)
    budget = models.DecimalField(
        _("budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    supplier = models.CharField(_("winning supplier"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("contract amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    content_panels = typed_panels(
        FieldRowPanel([FieldPanel("project_name"), FieldPanel("method")]),
        FieldRowPanel([FieldPanel("budget"), FieldPanel("supplier"), FieldPanel("amount")]),
        heading=_("Procurement"),
    )
    search_fields = typed_search_fields("project_name", "method", "supplier")
    api_fields = [
        *DisclosureItem.api_fields,
        *(APIField(name) for name in ("project_name", "method", "budget", "supplier", "amount")),
    ]

    class Meta:
        verbose_name = _("tender and procurement")


class RecruitmentPage(DisclosureItem):
    """人事招录: recruitment of civil servants (Art. 8 (12))."""

    catalogue_class_code = "gzdt"
    key_kind_code = "rszl"

    positions = StreamField(
        [("position", PositionBlock())], verbose_name=_("positions"), blank=True
    )
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)

    content_panels = typed_panels(
        FieldPanel("positions"), FieldPanel("application_deadline"), heading=_("Recruitment")
    )
    search_fields = typed_search_fields("positions")
    api_fields = [
        *DisclosureItem.api_fields,
        APIField("positions"),
        APIField("application_deadline"),
    ]

    class Meta:
        verbose_name = _("recruitment")


class LandCompensationPage(DisclosureItem):
    """征地补偿: land requisition and compensation (Art. 8 (13))."""

    catalogue_class_code = "gzdt"
    key_kind_code = "zdbc"

    location = models.CharField(_("location"), max_length=200)
    area = models.CharField(_("area"), max_length=100, blank=True)
    compensation_standard = models.TextField(_("compensation standard"), blank=True)
    amount_paid = models.DecimalField(
        _("amount paid (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    content_panels = typed_panels(
        FieldRowPanel([FieldPanel("location"), FieldPanel("area")]),
        FieldPanel("compensation_standard"),
        FieldPanel("amount_paid"),
        heading=_("Land compensation"),
    )
    search_fields = typed_search_fields("location", "area", "compensation_standard")
    api_fields = [
        *DisclosureItem.api_fields,
        *(APIField(name) for name in ("location", "area", "compensation_standard", "amount_paid")),
    ]

    class Meta:
        verbose_name = _("land requisition and compensation")


class EmergencyPage(DisclosureItem):
    """突发事件: forecast, occurrence and handling of public emergencies (Art. 8 (18))."""

    catalogue_class_code = "gzdt"
    key_kind_code = "tfsj"

    event_type = models.CharField(_("type of event"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=30, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)

    content_panels = typed_panels(
        FieldRowPanel([FieldPanel("event_type"), FieldPanel("level"), FieldPanel("occurred_at")]),
        FieldPanel("response"),
        heading=_("Emergency"),
    )
    search_fields = typed_search_fields("event_type", "level", "response")
    api_fields = [
        *DisclosureItem.api_fields,
        *(APIField(name) for name in ("event_type", "level", "occurred_at", "response")),
    ]

    class Meta:
        verbose_name = _("public emergency")


class ReliefFundsPage(DisclosureItem):
    """救灾救济款物: management, use and distribution of relief funds and goods (Art. 8 (19))."""

    catalogue_class_code = "gzdt"
    key_kind_code = "jzkw"

    source = models.CharField(_("source"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    distribution = models.TextField(_("distribution"), blank=True)

    content_panels = typed_panels(
        FieldRowPanel([FieldPanel("source"), FieldPanel("amount")]),
        FieldPanel("distribution"),
        heading=_("Relief funds and goods"),
    )
    search_fields = typed_search_fields("source", "distribution")
    api_fields = [
        *DisclosureItem.api_fields,
        APIField("source"),
        APIField("amount"),
        APIField("distribution"),
    ]

    class Meta:
        verbose_name = _("relief funds and goods")


class NewsPage(DisclosureItem):
    """工作动态: news of the unit's work."""

    catalogue_class_code = "gzdt"

    content_panels = [*DisclosureItem.content_panels, *DisclosureItem.body_panels]

    class Meta:
        verbose_name = _("work news")


class FaqPage(DisclosureItem):
    """问题解答: a question and its answer."""

    catalogue_class_code = "wtjd"

    question = models.TextField(_("question"))
    answer = RichTextField(_("answer"))

    content_panels = typed_panels(
        FieldPanel("question"), FieldPanel("answer"), heading=_("Question")
    )
    search_fields = typed_search_fields("question", "answer")
    api_fields = [*DisclosureItem.api_fields, APIField("question"), APIField("answer")]

    class Meta:
        verbose_name = _("question and answer")


class FormDownloadPage(DisclosureItem):
    """表格下载: application forms and sample texts to download."""

    catalogue_class_code = "bgxz"

    instructions = models.TextField(_("how to fill in"), blank=True)

    content_panels = typed_panels(FieldPanel("instructions"), heading=_("Form"))
    search_fields = typed_search_fields("instructions")
    api_fields = [*DisclosureItem.api_fields, APIField("instructions")]

    class Meta:
        verbose_name = _("form download")


class GeneralItemPage(DisclosureItem):
    """其他信息: any other information, in any class (also where legacy imports land)."""

    content_panels = [*DisclosureItem.content_panels, *DisclosureItem.body_panels]

    class Meta:
        verbose_name = _("other information")


TYPED_PAGE_MODELS = [
    OrganisationPage,
    PowerItemPage,
    ServiceGuidePage,
    FeeItemPage,
    EnforcementResultPage,
    PolicyDocumentPage,
    InterpretationPage,
    PlanPage,
    ProcurementPage,
    RecruitmentPage,
    LandCompensationPage,
    EmergencyPage,
    ReliefFundsPage,
    NewsPage,
    FaqPage,
    FormDownloadPage,
    GeneralItemPage,
]
