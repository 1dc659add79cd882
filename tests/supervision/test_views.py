"""The admin views through HTTP: who sees which unit, the ranking, XLSX, adjustments, the
schemes; the scheduled task; the demo."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from citizen_services.models import InformationRequest
from supervision.demo import load_supervision_demo
from supervision.inspection import run_inspection
from supervision.models import (
    Finding,
    Indicator,
    InspectionRun,
    ScoreAdjustment,
    ScoreCard,
    ScoringScheme,
)
from supervision.scoring import score_units
from tests.citizen_helpers import assert_denied
from unit_sites.models import UnitPage

from .helpers import item_linking_to_draft, overdue_application, today, unit

pytestmark = pytest.mark.django_db

COUNTY_UNIT = "luobei-jyj"  # a department of 萝北县, overseen by luobei-office
CITY_UNIT = "fgw"  # a city department, overseen by the city office only


@pytest.fixture
def scored():
    """An inspection and scores of four units under the seeded default scheme."""
    overdue_application(COUNTY_UNIT)
    item_linking_to_draft(CITY_UNIT)
    units = [unit(s) for s in ("luobei", COUNTY_UNIT, "luobei-nyj", CITY_UNIT)]
    run = run_inspection(units, today=today())
    scheme = ScoringScheme.current()
    score_units(scheme, units)
    return scheme, run


def card_url(scheme, slug):
    return reverse("supervision_unit", args=[scheme.pk, unit(slug).pk])


def adjust_url(scheme, slug):
    return reverse("supervision_adjust", args=[scheme.pk, unit(slug).pk])


def test_county_office_sees_its_departments_only(client_for, scored):
    scheme, run = scored
    client = client_for("luobei-office")
    response = client.get(card_url(scheme, COUNTY_UNIT))
    assert response.status_code == 200
    application = InformationRequest.objects.get(unit__slug=COUNTY_UNIT)
    assert application.tracking_code in response.content.decode()
    assert client.get(card_url(scheme, CITY_UNIT)).status_code == 404
    assert client.get(adjust_url(scheme, CITY_UNIT)).status_code == 404
    ranking = client.get(reverse("supervision_ranking_scheme", args=[scheme.pk]))
    assert ranking.status_code == 200
    titles = [card.unit.slug for card in ranking.context["cards"]]
    assert set(titles) == {"luobei", COUNTY_UNIT, "luobei-nyj"}
    findings = client.get(reverse("supervision_inspection", args=[run.pk]))
    assert findings.status_code == 200
    shown = {f.unit.slug for f in findings.context["findings"]}
    assert COUNTY_UNIT in shown and CITY_UNIT not in shown
    # A run that only covered another government's units is not there for them.
    other = run_inspection([unit(CITY_UNIT)], today=today())
    assert client.get(reverse("supervision_inspection", args=[other.pk])).status_code == 404


def test_city_office_sees_every_unit(client_for, scored):
    scheme, run = scored
    client = client_for("gongkaiban")
    for slug in (COUNTY_UNIT, CITY_UNIT):
        assert client.get(card_url(scheme, slug)).status_code == 200
    ranking = client.get(reverse("supervision_ranking_scheme", args=[scheme.pk]))
    assert {c.unit.slug for c in ranking.context["cards"]} == {
        "luobei",
        COUNTY_UNIT,
        "luobei-nyj",
        CITY_UNIT,
    }
    assert "<svg" in ranking.content.decode()
    findings = client.get(
        reverse("supervision_inspection", args=[run.pk]), {"indicator": Indicator.BROKEN_LINK}
    )
    assert [f.unit.slug for f in findings.context["findings"]] == [CITY_UNIT]
    body = findings.content.decode()
    linking = Finding.objects.get(run=run, indicator=Indicator.BROKEN_LINK).page_id
    assert reverse("wagtailadmin_pages:edit", args=[linking]) in body


def test_editor_sees_only_their_own_unit_and_no_ranking(client_for, scored):
    scheme, run = scored
    client = client_for(f"{CITY_UNIT}-editor")
    assert client.get(card_url(scheme, CITY_UNIT)).status_code == 200
    assert client.get(card_url(scheme, COUNTY_UNIT)).status_code == 404
    # Wagtail's admin answers PermissionDenied with a redirect to the dashboard.
    assert_denied(client.get(reverse("supervision_ranking_scheme", args=[scheme.pk])))
    assert_denied(client.get(reverse("supervision_ranking_xlsx", args=[scheme.pk])))
    assert_denied(client.post(reverse("supervision_run_now")))
    # Their own unit, but no office: no adjustment.
    assert_denied(client.get(adjust_url(scheme, CITY_UNIT)))
    assert_denied(client.post(adjust_url(scheme, CITY_UNIT), {"points": "5", "reason": "x"}))
    assert not InspectionRun.objects.exclude(pk=run.pk).exists()
    findings = client.get(reverse("supervision_inspection", args=[run.pk]))
    assert {f.unit.slug for f in findings.context["findings"]} == {CITY_UNIT}
    assert not ScoreAdjustment.objects.exists()


def test_drilldown_page_links_to_the_items_behind_the_deductions(client_for, scored):
    scheme, _run = scored
    response = client_for("luobei-office").get(card_url(scheme, COUNTY_UNIT))
    body = response.content.decode()
    card = response.context["card"]
    request_deduction = card.deductions.get(indicator="requests")
    assert request_deduction.admin_url() in body
    assert request_deduction.message in body
    groups = {g["indicator"].code: g for g in response.context["groups"]}
    assert groups["requests"]["deductions"] == [request_deduction]
    assert sum(g["lost"] for g in groups.values()) == card.lost


def test_office_adjusts_a_score_through_the_form(client_for, scored, user_named):
    scheme, _run = scored
    client = client_for("luobei-office")
    before = ScoreCard.objects.get(scheme=scheme, unit__slug=COUNTY_UNIT).score
    response = client.post(adjust_url(scheme, COUNTY_UNIT), {"points": "-3", "reason": "  "})
    assert response.status_code == 200  # the form again, nothing written
    assert not ScoreAdjustment.objects.exists()
    response = client.post(
        adjust_url(scheme, COUNTY_UNIT), {"points": "-3", "reason": "年报逾期报送"}
    )
    assert response.status_code == 302
    adjustment = ScoreAdjustment.objects.get()
    assert adjustment.created_by == user_named("luobei-office")
    card = ScoreCard.objects.get(scheme=scheme, unit__slug=COUNTY_UNIT)
    assert card.score == before - 3
    page = client.get(card_url(scheme, COUNTY_UNIT)).content.decode()
    assert "年报逾期报送" in page and "luobei-office" in page


def test_xlsx_export_holds_the_ranking(client_for, scored):
    scheme, _run = scored
    response = client_for("gongkaiban").get(reverse("supervision_ranking_xlsx", args=[scheme.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    expected = list(
        ScoreCard.objects.filter(scheme=scheme)
        .order_by("failed", "-score", "unit__path")  # failing units last, whatever their points
        .values_list("unit__title", "score")
    )
    assert [(row[1], row[-1]) for row in rows] == [(t, float(s)) for t, s in expected]
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    deductions = list(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
    application = InformationRequest.objects.get(unit__slug=COUNTY_UNIT)
    assert any(application.tracking_code in row[3] for row in deductions)
    assert len(deductions) == sum(c.deductions.count() for c in ScoreCard.objects.all())


def test_county_export_holds_its_units_only(client_for, scored):
    scheme, _run = scored
    response = client_for("luobei-office").get(
        reverse("supervision_ranking_xlsx", args=[scheme.pk])
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert names == set(
        UnitPage.objects.filter(slug__in=["luobei", COUNTY_UNIT, "luobei-nyj"]).values_list(
            "title", flat=True
        )
    )


def test_recompute_and_inspect_now_from_the_admin(client_for):
    client = client_for("luobei-office")
    response = client.post(reverse("supervision_run_now"))
    assert response.status_code == 302
    run = InspectionRun.objects.get()
    assert run.trigger == InspectionRun.Trigger.ADMIN
    assert set(run.units.values_list("slug", flat=True)) == {"luobei", *COUNTY_SLUGS}
    scheme = ScoringScheme.current()
    response = client.post(reverse("supervision_ranking_scheme", args=[scheme.pk]))
    assert response.status_code == 302
    assert set(ScoreCard.objects.values_list("unit__slug", flat=True)) == {
        "luobei",
        *COUNTY_SLUGS,
    }


COUNTY_SLUGS = {"luobei-jyj", "luobei-nyj"}


def test_schemes_are_edited_by_the_city_office_only(client_for):
    url = reverse("supervision_schemes:index")
    assert client_for("gongkaiban").get(url).status_code == 200
    scheme = ScoringScheme.objects.order_by("pk").first()
    edit = client_for("gongkaiban").get(reverse("supervision_schemes:edit", args=[scheme.pk]))
    assert edit.status_code == 200
    for username in ("luobei-office", "fgw-editor"):
        assert_denied(client_for(username).get(url))
    assert_denied(
        client_for("luobei-office").get(reverse("supervision_schemes:edit", args=[scheme.pk]))
    )


def test_menu_shows_supervision_to_offices_and_staff_only(client_for):
    for username, shown in (("gongkaiban", True), ("fgw-editor", True), ("webteam", False)):
        body = client_for(username).get(reverse("wagtailadmin_home")).content.decode()
        assert (reverse("supervision_inspections") in body) is shown, username


def test_scheduled_task_runs_from_the_scheduler():
    call_command("run_scheduler", "--once")
    run = InspectionRun.objects.get()
    assert run.trigger == InspectionRun.Trigger.SCHEDULED
    assert run.units.count() == UnitPage.objects.live().count()
    scheme = ScoringScheme.current()
    assert ScoreCard.objects.filter(scheme=scheme).count() == UnitPage.objects.live().count()


def test_demo_gives_a_scored_ranking_with_lapses():
    cards = load_supervision_demo(log=lambda *args: None)
    assert len(cards) == UnitPage.objects.live().count()
    czj = next(card for card in cards if card.unit.slug == "czj")
    zwgkb = next(card for card in cards if card.unit.slug == "zwgkb")
    assert czj.score < zwgkb.score
    indicators = set(czj.deductions.values_list("finding__indicator", flat=True))
    assert {Indicator.OVERDUE_REQUEST, Indicator.LATE_PUBLICATION} <= {
        f.indicator for f in Finding.objects.filter(unit__slug="czj")
    }
    assert Indicator.BROKEN_LINK in indicators
    assert czj.deductions.filter(indicator="requests", object_id__isnull=False).exists()
    assert czj.deductions.filter(indicator="timeliness").count() == 2  # late and overdue items
    # Loading again adds no new lapses.
    load_supervision_demo(log=lambda *args: None)
    assert (
        Finding.objects.filter(
            run=InspectionRun.objects.first(), unit__slug="czj", indicator=Indicator.OVERDUE_REQUEST
        ).count()
        == 1
    )


def scheme_form(name, start, end, indicators):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    return nested_form_data(
        {
            "name": name,
            "period_start": start,
            "period_end": end,
            "notes": "",
            "indicators": inline_formset(
                [{"code": code, "weight": weight, "per_item": ""} for code, weight in indicators]
            ),
        }
    )


def test_city_office_defines_a_scheme_through_the_admin(client_for):
    client = client_for("gongkaiban")
    url = reverse("supervision_schemes:add")
    response = client.post(
        url,
        scheme_form(
            "上半年考核", "2026-01-01", "2026-06-30", [("timeliness", "60"), ("coverage", "40")]
        ),
    )
    assert response.status_code == 302
    scheme = ScoringScheme.objects.get(name="上半年考核")
    assert scheme.max_points == 100
    assert set(scheme.indicators.values_list("code", flat=True)) == {"timeliness", "coverage"}
    # A period ending before it starts is refused, and nothing is saved.
    response = client.post(
        url, scheme_form("倒置", "2026-06-30", "2026-01-01", [("timeliness", "60")])
    )
    assert response.status_code == 200
    assert not ScoringScheme.objects.filter(name="倒置").exists()
