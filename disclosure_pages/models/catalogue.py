"""The disclosure catalogue (政务公开目录): the statutory taxonomy and each unit's catalogue pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from unit_sites import structure
from unit_sites.models import CanonicalUrlMixin, unit_for_page
from unit_sites.structure import ViewRestrictionsMixin


class CatalogueNode(MP_Node):
    """One node of the statutory catalogue taxonomy: a class (Art. 7) or a key kind (Art. 8)."""

    class Level(models.TextChoices):
        CLASS = "class", _("Catalogue class")
        KEY_KIND = "key_kind", _("Key kind")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    article8_item = models.PositiveSmallIntegerField(
        _("Art. 8 item"), null=True, blank=True, unique=True
    )
    description = models.TextField(_("description"), blank=True)

    node_order_by = []  # keep the statutory order (insertion order)

    class Meta:
        verbose_name = _("catalogue node")
        verbose_name_plural = _("catalogue nodes")

    def __str__(self):
        return self.name


def catalogue_nodes():
    """Every catalogue node by id, kept in memory (unit_sites.structure): every catalogue and
    item page names its classes and kinds, and the taxonomy hardly ever changes (saving a node
    bumps the structure version: disclosure_pages.signals). Shared: read, never change them."""
    return structure.remember(
        "catalogue-nodes", lambda: {node.pk: node for node in CatalogueNode.objects.all()}
    )


# The national site rules' column type (栏目类型, 政府网站发展指引) of each catalogue class: a
# controlled vocabulary in Chinese, data rather than a translated label. Other classes are
# columns of the 信息公开目录.
CATALOGUE_COLUMN_TYPE = "信息公开目录"
CLASS_COLUMN_TYPES = {
    "zfzn": "机构职能",
    "zcfg": "政策文件",
    "bszn": "办事服务",
    "bgxz": "办事服务",
    "gzdt": "工作动态",
    "wtjd": "回应关切",
}


def column_site_metadata(node, name=None):
    """The column tags of the national site rules for a catalogue class (see
    cms.templatetags.site_metadata_tags)."""
    if node is None:
        return {"ColumnName": name or "", "ColumnType": CATALOGUE_COLUMN_TYPE}
    return {
        "ColumnName": name or node.name,
        "ColumnDescription": node.description,
        "ColumnKeywords": node.name,
        "ColumnType": CLASS_COLUMN_TYPES.get(node.code, CATALOGUE_COLUMN_TYPE),
    }


class CataloguePageMixin(RoutablePageMixin):
    """The public side shared by a unit's catalogue and its class columns: the filtered
    listing (see `disclosure_pages.catalogue`) and an Atom feed at `feed/`."""

    catalogue_column = None  # the class column the page narrows the listing to, if any

    def get_unit(self):
        return unit_for_page(self)

    def feed_items(self):
        from ..catalogue import unit_items

        items = unit_items(self.get_unit())
        if self.catalogue_column is not None:
            items = items.filter(catalogue_class_id=self.catalogue_column.node_id)
        return items

    def get_context(self, request, *args, **kwargs):
        from ..catalogue import catalogue_listing

        context = super().get_context(request, *args, **kwargs)
        unit = self.get_unit()
        column = self.catalogue_column
        catalogue = self if column is None else self.get_parent()
        context["unit"] = unit
        context["catalogue"] = catalogue
        context.update(catalogue_listing(request, unit=unit, catalogue=catalogue, column=column))
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from ..feeds import CatalogueFeed

        return CatalogueFeed()(request, page=self)


class CatalogueIndexPage(CataloguePageMixin, ViewRestrictionsMixin, CanonicalUrlMixin, Page):
    """A unit's disclosure catalogue: one per unit, its staff's workspace."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["unit_sites.UnitPage"]
    subpage_types = ["disclosure_pages.CatalogueClassPage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("disclosure catalogue")
        verbose_name_plural = _("disclosure catalogues")

    def get_site_metadata(self, request):
        return {
            "ColumnName": self.title,
            "ColumnDescription": self.intro or self.search_description,
            "ColumnKeywords": self.title,
            "ColumnType": CATALOGUE_COLUMN_TYPE,
        }


class CatalogueClassPage(CataloguePageMixin, ViewRestrictionsMixin, CanonicalUrlMixin, Page):
    """One catalogue class column of a unit's catalogue (e.g. 政府职能)."""

    node = models.ForeignKey(
        CatalogueNode,
        verbose_name=_("catalogue class"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": CatalogueNode.Level.CLASS},
        related_name="+",
    )

    parent_page_types = ["disclosure_pages.CatalogueIndexPage"]
    subpage_types = [
        f"disclosure_pages.{name}"
        for name in (
            "OrganisationPage",
            "PowerItemPage",
            "ServiceGuidePage",
            "FeeItemPage",
            "EnforcementResultPage",
            "PolicyDocumentPage",
            "InterpretationPage",
            "PlanPage",
            "ProcurementPage",
            "RecruitmentPage",
            "LandCompensationPage",
            "EmergencyPage",
            "ReliefFundsPage",
            "NewsPage",
            "FaqPage",
            "FormDownloadPage",
            "GeneralItemPage",
        )
    ]

    not_applicable = models.BooleanField(
        _("does not apply to this unit"),
        default=False,
        help_text=_("Hide the class only with a reason; the reason is shown publicly."),
    )
    not_applicable_reason = models.TextField(_("reason"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("node"),
        FieldPanel("not_applicable"),
        FieldPanel("not_applicable_reason"),
    ]

    class Meta:
        verbose_name = _("catalogue class")
        verbose_name_plural = _("catalogue classes")

    @property
    def catalogue_column(self):
        return self

    def get_site_metadata(self, request):
        return column_site_metadata(catalogue_nodes().get(self.node_id), name=self.title)

    def clean(self):
        super().clean()
        if self.not_applicable and not self.not_applicable_reason.strip():
            raise ValidationError(
                {"not_applicable_reason": _("Give the reason why this class does not apply.")}
            )
