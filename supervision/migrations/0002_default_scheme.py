"""Seed a default scoring scheme (the current calendar year, weights adding up to 100) and
the default column update periods (工作动态 14 days, 政策法规 90 days). Both are data the
city's disclosure office edits afterwards."""

import datetime
from decimal import Decimal

from django.db import migrations

# Keep in step with supervision.scoring.DEFAULT_INDICATORS.
DEFAULT_INDICATORS = [
    ("timeliness", Decimal(20), None),
    ("coverage", Decimal(20), None),
    ("update_frequency", Decimal(15), Decimal(5)),
    ("requests", Decimal(15), None),
    ("complaints", Decimal(10), None),
    ("ratings", Decimal(10), None),
    ("inspection", Decimal(10), Decimal(2)),
]
DEFAULT_PERIODS = {"gzdt": 14, "zcfg": 90}


def seed(apps, schema_editor):
    ScoringScheme = apps.get_model("supervision", "ScoringScheme")
    ScoringIndicator = apps.get_model("supervision", "ScoringIndicator")
    UpdatePeriod = apps.get_model("supervision", "UpdatePeriod")
    CatalogueNode = apps.get_model("disclosure_pages", "CatalogueNode")
    if not ScoringScheme.objects.exists():
        year = datetime.date.today().year
        scheme = ScoringScheme.objects.create(
            name=f"{year}年度政务公开工作考核",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            notes="默认方案：各项权重合计100分，由市政务公开办调整。",
        )
        for code, weight, per_item in DEFAULT_INDICATORS:
            ScoringIndicator.objects.create(
                scheme=scheme, code=code, weight=weight, per_item=per_item
            )
    for code, days in DEFAULT_PERIODS.items():
        node = CatalogueNode.objects.filter(code=code).first()
        if node is not None:
            UpdatePeriod.objects.get_or_create(catalogue_class=node, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("disclosure_pages", "0002_seed_catalogue_taxonomy"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
