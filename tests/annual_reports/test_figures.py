"""The report's figures computed from records built for the purpose."""

import pytest

from annual_reports.checks import check_request_table, check_review_table
from annual_reports.figures import proactive_figures, request_figures
from annual_reports.formats import APPLICANT_KEYS, get_format
from citizen_services.choices import EventKind, Outcome
from disclosure_pages.models import EnforcementResultPage, PolicyDocumentPage, Validity
from tests.factories import add_item
from unit_sites.models import UnitPage

from .helpers import D, make_request

pytestmark = pytest.mark.django_db

FMT = get_format(2026)


@pytest.fixture
def requests_czj():
    """Applications to 市财政局 around 2026, one per case the table distinguishes."""
    make_request("czj", "natural", D(2025, 3, 2), D(2025, 3, 20), Outcome.DISCLOSED)  # not 2026
    make_request("czj", "natural", D(2025, 12, 22), D(2026, 1, 12), Outcome.DISCLOSED)  # 上年结转
    make_request("czj", "commercial", D(2025, 12, 29))  # carried in and still open: carried out
    make_request("czj", "natural", D(2026, 3, 2), D(2026, 3, 20), Outcome.DISCLOSED)
    make_request("czj", "commercial", D(2026, 4, 7), D(2026, 4, 28), Outcome.WITHHELD_STATE_SECRET)
    make_request("czj", "research", D(2026, 5, 11), D(2026, 6, 1), Outcome.UNAVAILABLE_UNCLEAR)
    make_request("czj", "welfare", D(2026, 6, 15), D(2026, 7, 3), Outcome.NOT_PROCESSED_MASS)
    make_request("czj", "other_org", D(2026, 7, 6), D(2026, 7, 20), Outcome.PARTLY_DISCLOSED)
    make_request(
        "czj",
        "legal_service",
        D(2026, 5, 6),
        D(2026, 7, 1),
        Outcome.OTHER_UNPAID,
        events=[(EventKind.FEE_NOTICE_SENT, D(2026, 5, 12), {"amount": 100})],
    )
    # received in 2026, replied in 2027: carried into next year
    make_request("czj", "natural", D(2026, 11, 2), D(2027, 1, 8), Outcome.DISCLOSED)
    return UnitPage.objects.get(slug="czj")


def test_request_table_counts_each_case(requests_czj):
    figures = request_figures([requests_czj], 2026, FMT)
    assert figures["new.natural"] == 2
    assert figures["new.total"] == 7
    assert {k: figures[f"new.{k}"] for k in APPLICANT_KEYS if k != "natural"} == {
        "commercial": 1,
        "research": 1,
        "welfare": 1,
        "legal_service": 1,
        "other_org": 1,
    }
    assert figures["carried_in.natural"] == 1
    assert figures["carried_in.commercial"] == 1
    assert figures["carried_in.total"] == 2
    assert figures["g-disclosed.natural"] == 2  # the carried-in one and the 2026 one
    assert figures["g-partial.other_org"] == 1
    assert figures["o-withheld_secret.commercial"] == 1
    assert figures["g-withheld.commercial"] == 1
    assert figures["o-unavailable_unclear.research"] == 1
    assert figures["o-np_mass.welfare"] == 1
    assert figures["o-other_unpaid.legal_service"] == 1
    assert figures["g-other.legal_service"] == 1
    assert figures["total.total"] == 7
    assert figures["carried_out.commercial"] == 1
    assert figures["carried_out.natural"] == 1
    assert figures["carried_out.total"] == 2
    # 一 + 二 = 三(七) + 四, in every column
    assert check_request_table(figures, FMT) == []
    for column in (*APPLICANT_KEYS, "total"):
        assert (
            figures[f"new.{column}"] + figures[f"carried_in.{column}"]
            == figures[f"total.{column}"] + figures[f"carried_out.{column}"]
        )


def test_next_year_starts_from_what_was_carried_out(requests_czj):
    figures_2026 = request_figures([requests_czj], 2026, FMT)
    figures_2027 = request_figures([requests_czj], 2027, get_format(2027))
    for column in (*APPLICANT_KEYS, "total"):
        assert figures_2027[f"carried_in.{column}"] == figures_2026[f"carried_out.{column}"]
    assert figures_2027["g-disclosed.natural"] == 1  # the one replied on 8 January 2027


def test_check_reports_each_broken_rule(requests_czj):
    figures = request_figures([requests_czj], 2026, FMT)
    broken = {**figures, "new.natural": figures["new.natural"] + 1}
    errors = check_request_table(broken, FMT)
    assert any("自然人" in error for error in errors)
    assert len(errors) == 2  # the column's balance and the row's total column
    sub_row = {**figures, "o-withheld_secret.commercial": 0}
    errors = check_request_table(sub_row, FMT)
    assert any("（三）不予公开" in error for error in errors)  # no longer equals its items
    assert any("1.属于国家秘密" in error for error in errors)  # nor the row its applicants
    assert check_review_table({"cases.review_upheld": 2, "cases.review_total": 1})
    assert check_review_table({"cases.review_upheld": 2, "cases.review_total": 2}) == []


def test_trial_format_counts_other_handling_in_one_row():
    make_request("czj", "natural", D(2020, 6, 1), D(2020, 6, 10), Outcome.OTHER_NO_CLARIFICATION)
    make_request("czj", "commercial", D(2020, 6, 2), D(2020, 6, 12), Outcome.OTHER)
    unit = UnitPage.objects.get(slug="czj")
    figures = request_figures([unit], 2020, get_format(2020))
    assert get_format(2020).code == "2019"
    assert figures["g-other.total"] == 2
    assert not any(key.startswith("o-other") for key in figures)
    assert check_request_table(figures, "2019") == []
    figures_2021 = request_figures([unit], 2021, get_format(2021))
    assert any(key.startswith("o-other") for key in figures_2021)


def test_normative_documents_made_repealed_in_force():
    successor = add_item(
        PolicyDocumentPage,
        "czj",
        is_normative=True,
        written_date=D(2026, 5, 10),
        effective_date=D(2026, 6, 1),
    )
    add_item(
        PolicyDocumentPage,
        "czj",
        is_normative=True,
        written_date=D(2024, 5, 1),
        validity=Validity.REPEALED,
        successor=successor,
    )
    add_item(PolicyDocumentPage, "czj", is_normative=True, written_date=D(2025, 2, 1))
    add_item(PolicyDocumentPage, "czj", is_normative=False, written_date=D(2026, 2, 1))
    add_item(
        PolicyDocumentPage, "czj", is_normative=True, written_date=D(2026, 2, 1), publish=False
    )
    unit = UnitPage.objects.get(slug="czj")

    this_year = proactive_figures([unit], 2026, FMT)
    last_year = proactive_figures([unit], 2025, get_format(2025))
    assert (this_year["normative.made"], this_year["normative.repealed"]) == (1, 1)
    assert this_year["normative.in_force"] == 2
    assert (last_year["normative.made"], last_year["normative.in_force"]) == (1, 2)
    # the national cross-year check: 现行有效 = last year's + 制发 − 废止
    assert this_year["normative.in_force"] == (
        last_year["normative.in_force"]
        + this_year["normative.made"]
        - this_year["normative.repealed"]
    )


def test_regulations_and_enforcement_decisions():
    add_item(
        PolicyDocumentPage, "hegang", doc_number="鹤岗市人民政府令第1号", written_date=D(2026, 3, 1)
    )
    for decision, day in (
        ("警告、罚款", D(2026, 4, 1)),
        ("查封、扣押（行政强制措施）", D(2026, 5, 1)),
        ("准予行政许可决定", D(2026, 6, 1)),
        ("罚款", D(2025, 4, 1)),
    ):
        add_item(EnforcementResultPage, "hegang", decision_type=decision, decision_date=day)
    unit = UnitPage.objects.get(slug="hegang")
    figures = proactive_figures([unit], 2026, FMT)
    assert figures["regulations.made"] == 1
    assert figures["regulations.in_force"] == 1
    assert figures["normative.made"] == 0
    assert figures["penalty.decisions"] == 1
    assert figures["coercion.decisions"] == 1
    assert figures["licensing.decisions"] == 1
