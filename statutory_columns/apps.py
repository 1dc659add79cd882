from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatutoryColumnsConfig(AppConfig):
    """The four fixed columns of every unit's 政府信息公开 section (2019 Regulations, 国办公开办函
    〔2019〕61号): 指南 (gkzn), 制度 (gkzd), 法定主动公开内容 (fdzdgknr) and 年报 (gknb).

    An app of its own above the domain apps, because the columns summarise them: the 指南 reads
    the statutory periods of citizen_services and review, the 年报 column lists annual_reports'
    pages, the Art. 20 list links into disclosure_pages' catalogue. None of them knows this app."""

    name = "statutory_columns"
    verbose_name = _("Statutory columns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from unit_sites.provisioning import register_provisioner

        from .provisioning import create_statutory_columns

        register_provisioner(create_statutory_columns)
