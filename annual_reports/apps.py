from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REPORT_PAGE_TYPE = "annual_reports.AnnualReportPage"


class AnnualReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annual_reports"
    verbose_name = _("Annual reports")

    def ready(self):
        # Catalogue columns list the page types they accept (CatalogueClassPage.subpage_types);
        # the report joins that list from here rather than disclosure_pages knowing about it.
        # AnnualReportPage.can_create_at then limits it to the 工作动态 column.
        from disclosure_pages.models import CatalogueClassPage

        if REPORT_PAGE_TYPE not in CatalogueClassPage.subpage_types:
            CatalogueClassPage.subpage_types = [*CatalogueClassPage.subpage_types, REPORT_PAGE_TYPE]
            CatalogueClassPage._clean_subpage_models = None  # recomputed on next use
