"""The base of every disclosure page: the catalogue metadata of the national catalogue system.

One concrete base table (multi-table inheritance, one level deep) rather than an abstract one:
the catalogue lists, filters, counts and feeds every page type from a single query, with a
constant number of queries however many items a unit has.
"""

import datetime
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from search.docnumbers import normalise_doc_number
from search.index import SegmentedSearchField
from unit_sites import structure
from unit_sites.models import CanonicalUrlMixin, UnitPage, unit_for_page
from unit_sites.structure import ViewRestrictionsMixin

from ..blocks import AttachmentBlock, BodyBlock
from ..forms import DisclosureItemForm
from ..serializers import LivePageField
from .catalogue import CatalogueClassPage, CatalogueNode, catalogue_nodes, column_site_metadata


class Genre(models.TextChoices):
    """体裁: the document forms of the national catalogue system."""

    NOTICE = "通知", _("Notice")
    ANNOUNCEMENT = "公告", _("Announcement")
    BULLETIN = "通告", _("Bulletin")
    DECISION = "决定", _("Decision")
    OPINION = "意见", _("Opinion")
    MEASURES = "办法", _("Measures")
    REGULATION = "规定", _("Provisions")
    PLAN = "规划", _("Plan")
    REPORT = "报告", _("Report")
    REPLY = "批复", _("Reply")
    LETTER = "函", _("Letter")
    MINUTES = "纪要", _("Minutes")
    GUIDE = "指南", _("Guide")
    NEWS = "动态", _("News")
    OTHER = "其他", _("Other")


class Validity(models.TextChoices):
    VALID = "valid", _("In force")
    EXPIRED = "expired", _("Expired")
    REPEALED = "repealed", _("Repealed")
    AMENDED = "amended", _("Amended")


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("Proactive disclosure")
    ON_REQUEST = "on_request", _("Disclosed on request")


class DisclosureTag(TaggedItemBase):
    """主题分类: topic tags."""

    content_object = ParentalKey(
        "disclosure_pages.DisclosureItem", on_delete=models.CASCADE, related_name="tagged_items"
    )


class IndexNumberSequence(models.Model):
    """The last 索引号 sequence number used per organisation code and year."""

    org_code = models.CharField(max_length=18)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_code", "year"], name="unique_index_sequence"),
        ]

    def __str__(self):
        return f"{self.org_code}/{self.year}: {self.last}"


def next_index_number(org_code, year):
    """`<organisation code>/<YYYY>-<NNNNN>`, from a per-code, per-year counter."""
    with transaction.atomic():
        sequence, _created = IndexNumberSequence.objects.select_for_update().get_or_create(
            org_code=org_code, year=year
        )
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{org_code}/{year}-{sequence.last:05d}"


# Apps above disclosure_pages may name an item's admin status (see DisclosureItem.status_string).
ITEM_STATUS_HOOK = "disclosure_item_status"


class DisclosureItem(ViewRestrictionsMixin, CanonicalUrlMixin, Page):
    """What every disclosure page carries. Not creatable itself: use a typed page."""

    # Typed pages say where they belong in the statutory catalogue.
    catalogue_class_code = None  # code of the Art. 7 class the page lives under
    key_kind_code = None  # code of the Art. 8 key kind, if any
    # Publishing an item does not change the platform's structure (unit_sites.structure).
    structure_page = False

    index_number = models.CharField(
        _("index number"), max_length=40, unique=True, null=True, blank=True, editable=False
    )
    unit = models.ForeignKey(
        UnitPage,
        verbose_name=_("unit"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    catalogue_class = models.ForeignKey(
        CatalogueNode,
        verbose_name=_("catalogue class"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    key_kind = models.ForeignKey(
        CatalogueNode,
        verbose_name=_("key kind (Art. 8)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": "key_kind"},
        related_name="+",
    )
    issuer = models.CharField(
        _("issuing body"), max_length=200, blank=True, help_text=_("Defaults to the unit.")
    )
    joint_issuers = models.CharField(_("joint issuers"), max_length=300, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    # 文号 in the one form every typed variant normalises to (search.docnumbers), for look-ups
    doc_number_normalised = models.CharField(
        max_length=150, blank=True, db_index=True, editable=False
    )
    written_date = models.DateField(_("date written"), null=True, blank=True)
    formed_date = models.DateField(
        _("date formed or changed"),
        default=datetime.date.today,
        help_text=_("Starts the 20-working-day publication clock of Art. 9."),
    )
    publish_date = models.DateField(
        _("publication date"), null=True, blank=True, help_text=_("Set on first publication.")
    )
    tags = ClusterTaggableManager(verbose_name=_("topics"), through=DisclosureTag, blank=True)
    genre = models.CharField(_("genre"), max_length=10, choices=Genre.choices, default=Genre.OTHER)
    validity = models.CharField(
        _("validity"), max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    successor = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disclosure_mode = models.CharField(
        _("disclosure mode"),
        max_length=12,
        choices=DisclosureMode.choices,
        default=DisclosureMode.PROACTIVE,
    )
    summary = models.TextField(_("summary"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    attachments = StreamField(
        [("attachment", AttachmentBlock())], verbose_name=_("attachments"), blank=True
    )
    on_portal = models.BooleanField(
        _("also on the portal"),
        default=False,
        help_text=_("Key or hot item: also shown on the portal home page once published."),
    )
    legacy_id = models.CharField(
        _("legacy id"), max_length=100, unique=True, null=True, blank=True, editable=False
    )

    base_form_class = DisclosureItemForm
    is_creatable = False
    parent_page_types = ["disclosure_pages.CatalogueClassPage"]
    subpage_types = []

    metadata_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("issuer"), FieldPanel("joint_issuers")]),
                FieldRowPanel([FieldPanel("doc_number"), FieldPanel("genre")]),
                FieldRowPanel(
                    [
                        FieldPanel("written_date"),
                        FieldPanel("formed_date"),
                        FieldPanel("publish_date"),
                    ]
                ),
                FieldPanel("key_kind"),
                FieldPanel("tags"),
                FieldRowPanel([FieldPanel("validity"), FieldPanel("successor")]),
                FieldRowPanel([FieldPanel("disclosure_mode"), FieldPanel("on_portal")]),
                FieldPanel("summary"),
            ],
            heading=_("Catalogue metadata"),
        )
    ]
    # The title does not fill in the slug as one types: a new item gets a short ASCII slug
    # (default_slug) unless its editor sets one.
    content_panels = [FieldPanel("title", classname="title"), *metadata_panels]
    body_panels = [FieldPanel("body"), FieldPanel("attachments")]

    # Segmented for the database backends (search.index); the boosts rank the public search:
    # title above 文号 and 发布机构 above 内容概述 above body and attachments.
    search_fields = [
        *Page.search_fields,
        SegmentedSearchField("title", boost=5),
        SegmentedSearchField("doc_number", boost=3),
        SegmentedSearchField("issuer", boost=3),
        SegmentedSearchField("joint_issuers", boost=3),
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("body"),
        SegmentedSearchField("attachments"),
        SegmentedSearchField("search_catalogue_names"),
        index.RelatedFields("tags", [SegmentedSearchField("name", boost=2)]),
        index.AutocompleteField("doc_number"),
        index.FilterField("doc_number_normalised"),
        index.FilterField("index_number"),
        index.FilterField("unit"),
        index.FilterField("catalogue_class"),
        index.FilterField("key_kind"),
        index.FilterField("validity"),
        index.FilterField("publish_date"),
    ]

    def search_catalogue_names(self):
        """The item's catalogue class and key kind names (行政权力, 行政许可…), for search. Read
        from a cached table: indexing 100,000 items must not cost two queries per item."""
        names = cache.get_or_set(
            "search:catalogue_node_names",
            lambda: dict(CatalogueNode.objects.values_list("pk", "name")),
            timeout=300,
        )
        return " ".join(names.get(pk, "") for pk in (self.catalogue_class_id, self.key_kind_id))

    api_fields = [
        APIField("index_number"),
        APIField("issuer"),
        APIField("joint_issuers"),
        APIField("doc_number"),
        APIField("written_date"),
        APIField("publish_date"),
        APIField("genre"),
        APIField("validity"),
        APIField("successor", serializer=LivePageField()),
        APIField("summary"),
        APIField("tag_names"),
        APIField("catalogue_class_name"),
        APIField("key_kind_name"),
        APIField("unit_name"),
        APIField("body"),
        APIField("attachments"),
    ]

    class Meta:
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        indexes = [
            models.Index(fields=["unit", "publish_date"], name="item_unit_date"),
            models.Index(fields=["catalogue_class", "publish_date"], name="item_class_date"),
            # The portal's latest items of every unit, newest first (portal.NEWEST).
            models.Index(fields=["publish_date"], name="item_date"),
            # The portal picks these few out of every unit's items (portal.portal_highlights),
            # newest first: an index of them alone, so that the database never walks every
            # item's date looking for flagged ones (old flagged items: the whole table).
            models.Index(
                fields=["publish_date"], condition=Q(on_portal=True), name="item_on_portal_date"
            ),
        ]

    # --- status in the admin ----------------------------------------------------------

    @property
    def status_string(self):
        """Wagtail's status ("草稿", "已发布" …), unless an app above says better: the review
        app calls a withdrawn item 已撤回 (hook `disclosure_item_status`, page → str or None)."""
        for hook in hooks.get_hooks(ITEM_STATUS_HOOK):
            status = hook(self)
            if status:
                return status
        return super().status_string

    # --- where the page belongs -------------------------------------------------------

    @classmethod
    def can_create_at(cls, parent):
        """Typed pages only go under the catalogue class they belong to."""
        if not super().can_create_at(parent):
            return False
        if cls.catalogue_class_code is None:
            return True
        specific = parent.specific
        return isinstance(specific, CatalogueClassPage) and (
            specific.node.code == cls.catalogue_class_code
        )

    def _place_in_catalogue(self):
        """Derive unit, class and default kind from the tree (kept in columns for listings)."""
        parent = self.get_parent() if self.pk or self.path else None
        if parent is None:
            return
        column = CatalogueClassPage.objects.filter(pk=parent.pk).select_related("node").first()
        if column is not None:
            self.catalogue_class = column.node
        self.unit = unit_for_page(parent)
        if self.key_kind_id is None and self.key_kind_code:
            self.key_kind = CatalogueNode.objects.filter(code=self.key_kind_code).first()
        if not self.issuer and self.unit is not None:
            self.issuer = self.unit.title

    @staticmethod
    def default_slug():
        """A short, stable, ASCII slug for a new item: 8 random hex digits, e.g. 3f9a0c1e
        (a Chinese title would make up to 255 characters, percent-encoded three times as long
        in every address). Made once; the item keeps it."""
        return secrets.token_hex(4)

    def _set_core_field_defaults(self):
        # Wagtail would slugify the title here (Page._set_core_field_defaults).
        if not self.slug and (self.path or getattr(self, "_cached_parent_obj", None)):
            self.slug = self._get_autogenerated_slug(self.default_slug())
        super()._set_core_field_defaults()

    def full_clean(self, *args, **kwargs):
        self._place_in_catalogue()
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        superseded = self.validity in (Validity.REPEALED, Validity.AMENDED)
        if superseded and self.successor_id is not None and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A document cannot supersede itself.")})

    def save(self, *args, **kwargs):
        if self.path:
            self._place_in_catalogue()
        self.doc_number_normalised = normalise_doc_number(self.doc_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "doc_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "doc_number_normalised"}
        return super().save(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        """One transaction: Wagtail saves the page live before the `page_published` receivers
        assign the 索引号; a failure in between must not leave a live item without it."""
        with transaction.atomic():
            return super().publish(revision, *args, **kwargs)

    def with_content_json(self, content):
        """The 索引号 and legacy id belong to the page, never to a revision: restoring or
        publishing an older revision must not change or drop them."""
        page = super().with_content_json(content)
        page.index_number = self.index_number
        page.legacy_id = self.legacy_id
        page.unit_id = self.unit_id
        page.publish_date = page.publish_date or self.publish_date
        return page

    def record_first_publication(self):
        """On first publication: the 发布日期 (unless imported with one) and the 索引号, which
        never changes afterwards. Written with update() so no new revision is made."""
        if self.publish_date is None:
            self.publish_date = timezone.localdate()
            DisclosureItem.objects.filter(pk=self.pk).update(publish_date=self.publish_date)
        if self.index_number or self.unit is None:
            return
        year = self.publish_date.year
        for _attempt in range(3):
            number = next_index_number(self.unit.org_code, year)
            try:
                with transaction.atomic():
                    updated = DisclosureItem.objects.filter(
                        pk=self.pk, index_number__isnull=True
                    ).update(index_number=number)
            except IntegrityError:  # a number imported from a legacy platform: take the next
                continue
            if updated:
                self.index_number = number
            return

    # --- values for templates and the API ---------------------------------------------

    @staticmethod
    def attach_unit(*items):
        """Give the items their unit from memory (unit_sites.structure), not one query each."""
        for item in items:
            if item.unit_id is not None and not DisclosureItem.unit.is_cached(item):
                DisclosureItem.unit.field.set_cached_value(
                    item, structure.page_copy(UnitPage, item.unit_id)
                )
        return items

    @cached_property
    def tag_names(self):
        """Read once per instance: the page's metadata table and its metadata tags both show
        them (cms.templatetags.site_metadata_tags)."""
        return [tag.name for tag in self.tags.all()]

    @property
    def catalogue_class_name(self):
        node = catalogue_nodes().get(self.catalogue_class_id)
        return node.name if node else ""

    @property
    def key_kind_name(self):
        node = catalogue_nodes().get(self.key_kind_id)
        return node.name if node else ""

    @property
    def unit_name(self):
        return self.unit.title if self.unit_id else ""

    @property
    def is_in_force(self):
        return self.validity == Validity.VALID

    def get_site_metadata(self, request):
        """The column and content tags of the national site rules (cms.templatetags.
        site_metadata_tags): the item's catalogue class is its column."""
        tags = column_site_metadata(catalogue_nodes().get(self.catalogue_class_id))
        tags.update(
            ArticleTitle=self.title,
            PubDate=self.published_at(),
            ContentSource=self.issuer or self.unit_name,
            Keywords=",".join(self.tag_names),
            Description=self.summary or self.search_description,
            Url=self.get_full_url(request),
        )
        return tags

    def published_at(self):
        """When the item went public: its first publication's time when that was on its
        publication date, else the publication date itself (imported items)."""
        first = self.first_published_at
        if first is not None and timezone.localdate(first) == self.publish_date:
            return first
        return self.publish_date or first

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        DisclosureItem.attach_unit(self)
        context["unit"] = self.unit
        return context

    def get_template(self, request, *args, **kwargs):
        return [super().get_template(request, *args, **kwargs), "disclosure_pages/item_page.html"]
