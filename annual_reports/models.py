"""The annual report on government information disclosure (政府信息公开工作年度报告, Art. 49–50
of the 2019 Regulations) as a disclosure item.

It lives in the unit's catalogue under 工作动态 (key kind 20, information that laws and
regulations require to be published), goes through the unit's review workflow like every
item, and is published only when its tables pass the national cross-checks."""

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from disclosure_pages.models import DisclosureItem
from search.index import SegmentedSearchField

from .formats import (
    CARRIED_IN,
    CARRIED_OUT,
    FORMAT_2019,
    FORMAT_2021,
    NEW,
    REVIEW,
    TOTAL,
    get_format,
)
from .forms import AnnualReportForm


class ReportFormat(models.TextChoices):
    NATIONAL_2021 = FORMAT_2021, _("National format of 2021 (reports on 2021 and later)")
    TRIAL_2019 = FORMAT_2019, _("Trial format of 2019 (reports on 2019 and 2020)")


class AnnualReportPage(RoutablePageMixin, DisclosureItem):
    catalogue_class_code = "gzdt"
    key_kind_code = "qtxx"

    report_year = models.PositiveSmallIntegerField(_("year reported on"), editable=False)
    report_format = models.CharField(
        _("table format"), max_length=4, choices=ReportFormat.choices, editable=False
    )
    overview = RichTextField(
        _("1. Overview"),
        blank=True,
        help_text=_(
            "Proactive disclosure, disclosure on request, information management, platforms, "
            "supervision and safeguards."
        ),
    )
    proactive_figures = models.JSONField(
        _("2. Proactive disclosure"),
        default=dict,
        blank=True,
        help_text=_("Marked cells are filled from the platform's records when generating."),
    )
    request_figures = models.JSONField(
        _("3. Applications received and handled"),
        default=dict,
        blank=True,
        help_text=_("Filled from the application register when generating."),
    )
    review_figures = models.JSONField(
        _("4. Administrative reconsideration and litigation"),
        default=dict,
        blank=True,
        help_text=_("Entered by hand."),
    )
    problems = RichTextField(_("5. Main problems and improvements"), blank=True)
    other_matters = RichTextField(_("6. Other matters to report"), blank=True)
    processing_fee_requests = models.PositiveIntegerField(
        _("applications charged a processing fee"), default=0
    )
    processing_fee_yuan = models.DecimalField(
        _("processing fees collected (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    include_rollup = models.BooleanField(
        _("show the departments' figures"),
        default=False,
        help_text=_("A government's report: add a separate rollup table of its departments."),
    )
    rollup = models.JSONField(default=dict, blank=True, editable=False)
    # The texts as last generated: regeneration replaces a text only if nobody edited it.
    generated_texts = models.JSONField(default=dict, blank=True, editable=False)
    generated_at = models.DateTimeField(_("generated at"), null=True, editable=False)

    base_form_class = AnnualReportForm
    is_creatable = False  # made by generate_report (for a unit and year), then edited

    content_panels = [
        *DisclosureItem.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("overview"),
                FieldPanel("proactive_figures"),
                FieldPanel("request_figures"),
                FieldPanel("review_figures"),
                FieldPanel("problems"),
                FieldPanel("other_matters"),
                FieldRowPanel(
                    [FieldPanel("processing_fee_requests"), FieldPanel("processing_fee_yuan")]
                ),
                FieldPanel("include_rollup"),
            ],
            heading=_("Annual report"),
        ),
        FieldPanel("attachments"),
    ]

    search_fields = [
        *DisclosureItem.search_fields,
        SegmentedSearchField("overview"),
        SegmentedSearchField("problems"),
        SegmentedSearchField("other_matters"),
    ]
    api_fields = [
        *DisclosureItem.api_fields,
        APIField("report_year"),
        APIField("report_format"),
        APIField("overview"),
        APIField("proactive_figures"),
        APIField("request_figures"),
        APIField("review_figures"),
        APIField("problems"),
        APIField("other_matters"),
        APIField("processing_fee_requests"),
        APIField("processing_fee_yuan"),
    ]

    class Meta:
        verbose_name = _("annual disclosure report")
        verbose_name_plural = _("annual disclosure reports")

    @property
    def table_format(self):
        return get_format(self.report_format or self.report_year)

    def clean(self):
        super().clean()
        # Whenever a version goes live (publication saves the page with live=True and a full
        # clean), its tables must add up. The editor form marks plain draft saves.
        if self.live and not getattr(self, "_draft_only", False):
            from .checks import assert_publishable

            assert_publishable(self)

    # --- public side ------------------------------------------------------------------

    def table_views(self):
        """The tables with their figures, for the templates."""
        fmt = self.table_format
        return {
            "proactive": [_table_view(t, self.proactive_figures) for t in fmt.proactive],
            "requests": _table_view(fmt.requests, self.request_figures),
            "review": _table_view(REVIEW, self.review_figures),
            "rollup_requests": _table_view(fmt.requests, (self.rollup or {}).get("combined")),
            "rollup_proactive": [
                _table_view(t, (self.rollup or {}).get("combined_proactive")) for t in fmt.proactive
            ],
        }

    def rollup_lines(self):
        """One line per unit of the rollup (own figures, departments, total), with 本年新收,
        上年结转, 办理结果总计 and 结转下年度."""
        rollup = self.rollup or {}
        keys = [f"{row}.total" for row in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)]
        sources = {"report": _("published report"), "records": _("platform records")}
        lines = [
            {
                "name": self.unit.title if self.unit_id else "",
                "source": _("own figures"),
                "figures": rollup.get("own", {}).get("requests", {}),
            }
        ]
        lines += [
            {
                "name": unit["name"],
                "source": sources.get(unit["source"], ""),
                "figures": unit["requests"],
            }
            for unit in rollup.get("units", [])
        ]
        lines.append({"name": _("Total"), "source": "", "figures": rollup.get("combined", {})})
        for line in lines:
            line["values"] = [line["figures"].get(key, 0) for key in keys]
        return lines

    def get_site_metadata(self, request):
        """An annual report is an item of the 信息公开年报 column of the national site rules
        (the column type is a Chinese vocabulary: data, not a label)."""
        tags = super().get_site_metadata(request)
        tags.update(
            ColumnName="政府信息公开年报",
            ColumnDescription="",
            ColumnKeywords="政府信息公开年报",
            ColumnType="信息公开年报",
        )
        return tags

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tables"] = self.table_views()
        context["format"] = self.table_format
        if self.include_rollup and self.rollup:
            context["rollup_lines"] = self.rollup_lines()
            context["rollup_caption"] = _("Applications received and handled, with the departments")
        return context

    @path("xlsx/", name="xlsx")
    def xlsx(self, request):
        """The published report as a workbook in the national layout."""
        from .export import to_xlsx

        response = HttpResponse(
            to_xlsx(self),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="annual-report-{self.report_year}-{self.pk}.xlsx"'
        )
        return response

    def get_template(self, request, *args, **kwargs):
        return "annual_reports/annual_report_page.html"


def _table_view(table, figures):
    figures = figures or {}
    return {
        "table": table,
        "rows": [
            {
                "row": row,
                "values": [figures.get(f"{row.key}.{column.key}", "") for column in table.columns],
            }
            for row in table.rows
        ],
    }
