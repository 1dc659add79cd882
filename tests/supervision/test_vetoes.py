"""Single-item vetoes (单项否决) and units that publish nothing (issue 21, item 1): a failing
unit ranks below every passing unit whatever its points, and shows 不合格 with the reason, in
the ranking, on its card and in the XLSX."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from disclosure_pages.models import DisclosureItem
from supervision.inspection import run_inspection
from supervision.models import ScoringIndicator, ScoringScheme
from supervision.scoring import ranking, score_units

from .helpers import days_ago, news, overdue_application, today, unit

pytestmark = pytest.mark.django_db


def scheme_of_last_90_days(**weights):
    """code=weight, or (weight, per_item, veto)."""
    scheme = ScoringScheme.objects.create(
        name="季度考核", period_start=days_ago(90), period_end=today() + datetime.timedelta(1)
    )
    for code, value in weights.items():
        weight, per_item, veto = value if isinstance(value, tuple) else (value, None, False)
        ScoringIndicator.objects.create(
            scheme=scheme, code=code, weight=Decimal(weight), per_item=per_item, veto=veto
        )
    return scheme


def published_in_period(slug, scheme):
    return (
        DisclosureItem.objects.live()
        .filter(unit=unit(slug), publish_date__gte=scheme.period_start)
        .exists()
    )


def test_a_unit_with_no_published_item_fails_below_every_passing_unit(client_for):
    scheme = scheme_of_last_90_days(timeliness=50, requests=50)
    news("fgw", 2)
    news("czj", 3)
    overdue_application("czj")  # czj loses the whole requests share: 50 points
    assert not published_in_period("wjw", scheme)
    cards = score_units(scheme, [unit("wjw"), unit("czj"), unit("fgw")])
    by_slug = {card.unit.slug: card for card in cards}
    assert by_slug["wjw"].score == Decimal(100)  # nothing to lose points on…
    assert by_slug["wjw"].failed  # …and fails all the same
    assert "本期未发布任何信息" in by_slug["wjw"].failure_reasons
    assert not by_slug["czj"].failed and by_slug["czj"].score == Decimal(50)
    assert [(c.unit.slug, c.rank) for c in cards] == [("fgw", 1), ("czj", 2), ("wjw", 3)]
    assert [c.unit.slug for c in ranking(scheme, [unit("wjw"), unit("czj")])] == ["czj", "wjw"]

    page = client_for("gongkaiban").get(reverse("supervision_ranking_scheme", args=[scheme.pk]))
    html = page.content.decode()
    assert "不合格" in html and "本期未发布任何信息" in html
    assert html.index(unit("czj").title) < html.index(unit("wjw").title)


def test_a_veto_finding_fails_a_unit_that_has_more_points(client_for):
    # fgw's last item is 20 days old: the inspection finds its site not updated for two weeks,
    # a finding that fails the site. czj publishes on time but answers an application late.
    scheme = scheme_of_last_90_days(update_frequency=(15, 5, True), timeliness=40, requests=45)
    news("fgw", 20)
    news("czj", 1)
    overdue_application("czj")
    run_inspection([unit("fgw"), unit("czj")], today=today())
    cards = score_units(scheme, [unit("fgw"), unit("czj")])
    fgw, czj = (next(c for c in cards if c.unit.slug == slug) for slug in ("fgw", "czj"))
    assert fgw.score > czj.score  # more points…
    assert fgw.failed and not czj.failed  # …but a veto
    assert [c.unit.slug for c in cards] == ["czj", "fgw"]
    assert fgw.rank == 2 and czj.rank == 1
    assert any(reason.startswith("单项否决：") for reason in fgw.failure_reason_list)

    # Without the veto mark the same finding only costs points, and fgw ranks first again.
    scheme.indicators.filter(code="update_frequency").update(veto=False)
    cards = score_units(scheme, [unit("fgw"), unit("czj")])
    assert [c.unit.slug for c in cards] == ["fgw", "czj"] and not any(c.failed for c in cards)
    scheme.indicators.filter(code="update_frequency").update(veto=True)
    score_units(scheme, [unit("fgw"), unit("czj")])

    client = client_for("gongkaiban")
    card_page = client.get(reverse("supervision_unit", args=[scheme.pk, unit("fgw").pk]))
    assert "不合格" in card_page.content.decode() and "单项否决" in card_page.content.decode()
    response = client.get(reverse("supervision_ranking_xlsx", args=[scheme.pk]))
    rows = list(
        load_workbook(io.BytesIO(response.content))
        .worksheets[0]
        .iter_rows(min_row=3, values_only=True)
    )
    assert [(row[1], row[2]) for row in rows] == [
        (unit("czj").title, "合格"),
        (unit("fgw").title, "不合格"),
    ]
    assert "单项否决" in rows[1][3]
