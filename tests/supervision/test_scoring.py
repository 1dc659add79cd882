"""Scoring: each indicator's deductions, the ranking, the drill-down, adjustments."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from citizen_services import services
from citizen_services.choices import EventKind
from citizen_services.models import InformationRequest, Rating
from disclosure_pages.models import CatalogueClassPage, NewsPage, PolicyDocumentPage
from supervision.inspection import run_inspection
from supervision.models import (
    Deduction,
    ScoreAdjustment,
    ScoreCard,
    ScoringIndicator,
    ScoringScheme,
)
from supervision.scoring import add_adjustment, ranking, score_units
from tests.factories import add_item, column
from workdays.calendar import add_working_days

from .helpers import news, overdue_application, overdue_complaint, today, unit

pytestmark = pytest.mark.django_db


def scheme_with(**weights):
    """A scheme of this year with only the given indicators: code=weight or (weight, per)."""
    scheme = ScoringScheme.objects.create(
        name="测试方案",
        period_start=datetime.date(today().year, 1, 1),
        period_end=datetime.date(today().year, 12, 31),
    )
    for code, value in weights.items():
        weight, per_item = value if isinstance(value, tuple) else (value, None)
        ScoringIndicator.objects.create(
            scheme=scheme, code=code, weight=Decimal(weight), per_item=per_item
        )
    return scheme


def late_item(unit_slug, **fields):
    published = today() - datetime.timedelta(days=1)
    return add_item(
        NewsPage,
        unit_slug,
        publish_date=published,
        formed_date=add_working_days(published, -30),
        **fields,
    )


def test_seeded_default_scheme_weighs_100_points():
    scheme = ScoringScheme.objects.order_by("pk").first()
    assert scheme is not None
    assert scheme.max_points == Decimal(100)
    assert scheme.indicators.count() == 7


def test_ranking_orders_units_by_score_and_ties_share_a_rank():
    scheme = scheme_with(timeliness=50, requests=50)
    news("fgw", 2)  # on time: fgw keeps everything
    news("wjw", 2)  # so does wjw (a unit with nothing published would fail: test_vetoes)
    late_item("czj")
    news("czj", 2)  # one of two items late: -25
    overdue_application("czj")  # one of one application unanswered: -50
    late_item("rsj")  # its only item late: -50
    cards = score_units(scheme, [unit("czj"), unit("fgw"), unit("rsj"), unit("wjw")])
    scores = {card.unit.slug: card.score for card in cards}
    assert scores == {
        "fgw": Decimal(100),
        "wjw": Decimal(100),
        "rsj": Decimal(50),
        "czj": Decimal(25),
    }
    assert [card.unit.slug for card in cards] == ["fgw", "wjw", "rsj", "czj"]
    assert [card.rank for card in cards] == [1, 1, 3, 4]
    # The kept ranking reads the same, and ranks a subset among itself.
    assert [c.unit.slug for c in ranking(scheme, [unit("czj"), unit("rsj")])] == ["rsj", "czj"]
    assert [c.rank for c in ranking(scheme, [unit("czj"), unit("rsj")])] == [1, 2]


def test_drilldown_lists_the_items_behind_each_deduction():
    scheme = scheme_with(timeliness=50, requests=50)
    late = late_item("czj", title="逾期发布的信息")
    news("czj", 2)
    request = overdue_application("czj")
    (card,) = score_units(scheme, [unit("czj")])
    deductions = {d.indicator: d for d in card.deductions.all()}
    assert set(deductions) == {"timeliness", "requests"}
    assert deductions["timeliness"].page_id == late.pk
    assert deductions["timeliness"].points == Decimal(25)
    assert deductions["timeliness"].label == "逾期发布的信息"
    assert deductions["requests"].content_type == ContentType.objects.get_for_model(
        InformationRequest
    )
    assert deductions["requests"].object_id == request.pk
    assert deductions["requests"].points == Decimal(50)
    assert request.tracking_code in deductions["requests"].message
    assert card.lost == sum(d.points for d in card.deductions.all())
    # Answered now, but late: the deduction stays; the late item's too.
    services.record_event(
        request, EventKind.REPLIED, today(), data={"outcome": "disclosed"}, reply_text="已答复。"
    )
    (card,) = score_units(scheme, [unit("czj")])
    assert card.deductions.get(indicator="requests").object_id == request.pk
    assert card.deductions.count() == 2
    assert Deduction.objects.filter(card__unit__slug="czj").count() == 2  # replaced, not added
    # Once the item is withdrawn and the period has only on-time items, timeliness is whole.
    late.unpublish()
    (card,) = score_units(scheme, [unit("czj")])
    assert list(card.deductions.values_list("indicator", flat=True)) == ["requests"]


def test_undocumented_reply_costs_half_a_share():
    scheme = scheme_with(requests=20)
    request = overdue_application("fgw", days=2)
    services.record_event(request, EventKind.REPLIED, today(), data={"outcome": "disclosed"})
    other = overdue_application("fgw", days=2)
    services.record_event(
        other, EventKind.REPLIED, today(), data={"outcome": "disclosed"}, reply_text="见附件。"
    )
    (card,) = score_units(scheme, [unit("fgw")])
    assert card.lost == Decimal(5)  # 20 / 2 applications / 2
    assert card.deductions.get().object_id == request.pk


def test_coverage_of_key_kinds_counts_only_classes_that_apply():
    scheme = scheme_with(coverage=20)
    (card,) = score_units(scheme, [unit("fgw")])
    assert card.lost == Decimal(20)
    assert card.deductions.count() == 20  # every key kind of Art. 8, one point each
    add_item(PolicyDocumentPage, "fgw")  # 政策文件 (7)
    news_column = column("fgw", "gzdt")
    news_column.not_applicable, news_column.not_applicable_reason = True, "本单位不发布工作动态。"
    news_column.save_revision().publish()
    (card,) = score_units(scheme, [unit("fgw")])
    # 12 key kinds sit under 工作动态: 8 remain, 7 of them without an item.
    assert card.deductions.count() == 7
    assert card.lost == Decimal("17.50")
    assert all(
        d.page_id in CatalogueClassPage.objects.values_list("pk", flat=True)
        for d in card.deductions.all()
    )


def test_update_frequency_and_inspection_findings_come_from_the_latest_run():
    scheme = scheme_with(update_frequency=(15, 5), inspection=(10, 2))
    (card,) = score_units(scheme, [unit("fgw")])
    assert card.lost == 0  # no inspection in the period yet
    run = run_inspection([unit("fgw")], today=today())
    (card,) = score_units(scheme, [unit("fgw")])
    assert card.inspection_run == run
    frequency = card.deductions.filter(indicator="update_frequency")
    assert [d.finding.indicator for d in frequency] == ["home_stale"]
    assert frequency.get().points == Decimal(10)  # a finding that fails the site counts double
    inspection = card.deductions.filter(indicator="inspection")
    # 8 empty classes (2 each) and "5 or more empty" (4): 20 points, scaled to the weight 10.
    assert inspection.count() == 9
    assert sum(d.points for d in inspection) == Decimal(10)
    assert all(d.finding.run_id == run.pk for d in inspection)


def test_complaints_and_ratings():
    scheme = scheme_with(complaints=10, ratings=10)
    overdue_complaint("fgw")
    answered = overdue_complaint("fgw", days=1)
    services.reply_to_complaint(answered, user=None, reply_text="已处理。")
    page = news("fgw", 1)
    for useful in (True, False, False, False):
        Rating.objects.create(page=page, unit=unit("fgw"), useful=useful)
    (card,) = score_units(scheme, [unit("fgw")])
    assert card.deductions.filter(indicator="complaints").get().points == Decimal(5)
    ratings = card.deductions.filter(indicator="ratings")
    assert ratings.count() == 3 and all(d.page_id == page.pk for d in ratings)
    assert card.lost == Decimal("12.50")


def test_adjustment_is_applied_recorded_and_survives_recomputation(user_named):
    scheme = scheme_with(timeliness=50, requests=50)
    late_item("czj")
    (card,) = score_units(scheme, [unit("czj")])
    assert card.score == Decimal(50)
    office = user_named("gongkaiban")
    adjustment = add_adjustment(
        scheme, unit("czj"), points=Decimal("7.5"), reason="主动整改到位", user=office
    )
    assert adjustment.created_by == office and adjustment.created_at is not None
    card = ScoreCard.objects.get(scheme=scheme, unit__slug="czj")
    assert card.adjustment == Decimal("7.5") and card.score == Decimal("57.5")
    (card,) = score_units(scheme, [unit("czj")])
    assert card.score == Decimal("57.5")


@pytest.mark.parametrize("points,reason", [(Decimal(3), "  "), (Decimal(0), "理由")])
def test_adjustment_needs_a_reason_and_points(user_named, points, reason):
    scheme = scheme_with(timeliness=50)
    score_units(scheme, [unit("czj")])
    with pytest.raises(ValidationError):
        add_adjustment(scheme, unit("czj"), points=points, reason=reason, user=user_named("admin"))
    assert not ScoreAdjustment.objects.exists()
    assert ScoreCard.objects.get(scheme=scheme, unit__slug="czj").adjustment == 0


def test_scaled_findings_add_up_to_the_weight_exactly():
    scheme = scheme_with(inspection=(10, 2))
    hidden = column("fgw", "bgxz")
    hidden.not_applicable, hidden.not_applicable_reason = True, "不适用。"
    hidden.save_revision().publish()
    run_inspection([unit("fgw")], today=today())
    (card,) = score_units(scheme, [unit("fgw")])
    # 7 empty classes (2 each) and "5 or more empty" (4): 18 points scaled to 10.
    points = list(card.deductions.values_list("points", flat=True))
    assert len(points) == 8
    assert sum(points) == Decimal(10) == card.lost
    assert max(points) - min(points) > Decimal(1)  # the veto finding weighs double
