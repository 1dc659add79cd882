"""The fixed columns of a unit's 政府信息公开 section, one of each per unit (provisioning.py).

Each reads what it shows from the platform's own data wherever the platform has it (the unit's
contact, the application form, the statutory periods, the catalogue, the annual reports), so
that the column cannot drift from what the platform does."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from unit_sites.models import CanonicalUrlMixin, UnitPage
from unit_sites.structure import ViewRestrictionsMixin


class StatutoryColumnPage(ViewRestrictionsMixin, CanonicalUrlMixin, Page):
    """What the four columns share: one per unit, directly below it, no children."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link", "ol", "ul"])

    parent_page_types = ["unit_sites.UnitPage"]
    subpage_types = []
    max_count_per_parent = 1

    # The column type of the national site rules (政府网站发展指引): a Chinese vocabulary,
    # data rather than a translated label.
    site_column_type = ""

    class Meta:
        abstract = True

    def get_unit(self):
        return UnitPage.objects.filter(pk=self.get_parent().pk).first()

    def get_site_metadata(self, request):
        """The column tags of the national site rules (cms.templatetags.site_metadata_tags)."""
        return {
            "ColumnName": self.title,
            "ColumnDescription": self.search_description,
            "ColumnKeywords": self.title,
            "ColumnType": self.site_column_type,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["unit"] = self.get_unit()
        return context


class GuidePage(StatutoryColumnPage):
    """政府信息公开指南 (Art. 12): how to obtain the unit's information, filled in from the
    platform's data; only what the platform cannot know is entered here."""

    office_name = models.CharField(
        _("office receiving applications"),
        max_length=200,
        blank=True,
        help_text=_("The unit's name when empty."),
    )
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    other_channels = models.TextField(
        _("other ways of publication"),
        blank=True,
        help_text=_("Besides this website, e.g. the government gazette, reading rooms."),
    )

    site_column_type = "信息公开指南"

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("office_name"),
                FieldRowPanel([FieldPanel("fax"), FieldPanel("postcode")]),
                FieldPanel("other_channels"),
            ],
            heading=_("What the platform does not know"),
            help_text=_(
                "The address, phone, email, office hours, the application form and the "
                "statutory periods are filled in from the unit and the platform."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("disclosure guide")
        verbose_name_plural = _("disclosure guides")

    def get_context(self, request, *args, **kwargs):
        from .guide import guide_facts

        context = super().get_context(request, *args, **kwargs)
        context["guide"] = guide_facts(self, context["unit"], request)
        return context


class RuleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    topic = blocks.ChoiceBlock(
        label=pgettext_lazy("disclosure rule", "Subject"),
        choices=[
            ("review", _("Review before publication")),
            ("publication", _("Publication")),
            ("update", _("Updating")),
            ("secrecy", _("Secrecy review")),
            ("assessment", _("Assessment")),
            ("other", _("Other")),
        ],
    )
    summary = blocks.TextBlock(label=_("summary"), required=False)
    document = DocumentChooserBlock(label=_("document"), required=False)

    class Meta:
        icon = "doc-full"
        template = "statutory_columns/blocks/rule.html"


class RulesPage(StatutoryColumnPage):
    """政府信息公开制度: the unit's rules for its disclosure work (审查, 发布, 更新, 保密审查,
    考核), as a list of documents."""

    rules = StreamField([("rule", RuleBlock())], verbose_name=_("rules"), blank=True)

    site_column_type = "信息公开制度"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("rules")]

    class Meta:
        verbose_name = _("disclosure rules")
        verbose_name_plural = _("disclosure rules pages")


class StatutoryContentPage(StatutoryColumnPage):
    """法定主动公开内容: the Art. 20 list, each row linking to the catalogue columns and key
    kinds that hold it (article20.py)."""

    site_column_type = "信息公开目录"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("statutory proactive content")
        verbose_name_plural = _("statutory proactive content pages")

    def get_context(self, request, *args, **kwargs):
        from .listing import article20_rows

        context = super().get_context(request, *args, **kwargs)
        context["rows"] = article20_rows(context["unit"], request)
        return context


class AnnualReportIndexPage(StatutoryColumnPage):
    """政府信息公开年报: the unit's published annual reports by year; on the portal, every
    unit's reports of a year."""

    site_column_type = "信息公开年报"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("annual reports column")
        verbose_name_plural = _("annual reports columns")

    def get_context(self, request, *args, **kwargs):
        from .listing import annual_report_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(annual_report_listing(context["unit"], request))
        return context
