"""The report page: generation as a draft, rollup, formats, XLSX, publication only through the
review workflow and only when the tables add up, the dashboard deadlines, the command."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import WorkflowState

from annual_reports.checks import check_report
from annual_reports.export import to_xlsx
from annual_reports.figures import departments_of, request_figures
from annual_reports.formats import get_format
from annual_reports.generation import ReportError, due_date, generate_report, sum_figures
from annual_reports.models import AnnualReportPage
from citizen_services.choices import Outcome
from disclosure_pages.models import CatalogueClassPage
from tests.test_review_workflow import act, submit_draft
from unit_sites.models import UnitPage

from .helpers import D, beijing, make_request

pytestmark = pytest.mark.django_db


def unit(slug):
    return UnitPage.objects.get(slug=slug)


@pytest.fixture
def czj_requests():
    make_request("czj", "natural", D(2025, 12, 22), D(2026, 1, 12), Outcome.DISCLOSED)
    make_request("czj", "commercial", D(2026, 4, 7), D(2026, 4, 28), Outcome.PARTLY_DISCLOSED)
    make_request("czj", "research", D(2026, 10, 7))


def test_generation_makes_a_draft_in_the_news_column(czj_requests):
    report = generate_report("czj", 2026)
    assert not report.live
    assert report.get_parent().specific.node.code == "gzdt"
    assert report.unit == unit("czj")
    assert report.key_kind.code == "qtxx"
    draft = report.get_latest_revision_as_object()
    assert draft.request_figures["new.total"] == 2
    assert draft.request_figures["carried_in.natural"] == 1
    assert draft.request_figures["carried_out.research"] == 1
    assert check_report(draft) == []
    assert "本年新收政府信息公开申请2件" in draft.overview
    # The column accepts the report type (registered from annual_reports.apps).
    assert AnnualReportPage in CatalogueClassPage.clean_subpage_models()
    assert AnnualReportPage.can_create_at(report.get_parent()) is False  # generated, not added


def test_generating_again_keeps_what_was_entered_by_hand(czj_requests):
    report = generate_report("czj", 2026)
    draft = report.get_latest_revision_as_object()
    draft.review_figures = {
        **draft.review_figures,
        "cases.review_upheld": 1,
        "cases.review_total": 1,
    }
    draft.proactive_figures = {**draft.proactive_figures, "fees.amount": "1.2500"}
    draft.problems = "<p>人员力量不足。</p>"
    draft.save_revision()
    make_request("czj", "welfare", D(2026, 5, 4), D(2026, 5, 20), Outcome.DISCLOSED)

    again = generate_report("czj", 2026).get_latest_revision_as_object()
    assert again.pk == report.pk
    assert AnnualReportPage.objects.filter(unit=unit("czj"), report_year=2026).count() == 1
    assert again.request_figures["new.total"] == 3  # recomputed
    assert again.review_figures["cases.review_upheld"] == 1  # kept
    assert again.proactive_figures["fees.amount"] == "1.2500"  # kept
    assert again.problems == "<p>人员力量不足。</p>"
    assert "本年新收政府信息公开申请3件" in again.overview  # not edited: regenerated


def test_generation_refuses_future_years_and_reports_in_review(client_for, czj_requests):
    with pytest.raises(ReportError):
        generate_report("czj", 2099)
    with pytest.raises(ReportError):
        generate_report("czj", 2018)
    report = generate_report("czj", 2026)
    assert submit_draft(client_for("czj-editor"), report).status_code == 302
    with pytest.raises(ReportError):
        generate_report("czj", 2026)


def test_a_mismatch_is_refused_on_publish_and_on_submit(client_for, czj_requests):
    report = generate_report("czj", 2026)
    draft = report.get_latest_revision_as_object()
    draft.request_figures = {**draft.request_figures, "new.natural": 5, "new.total": 7}
    revision = draft.save_revision()
    with pytest.raises(ValidationError) as refused:
        revision.publish()
    assert any("自然人" in message for message in refused.value.messages)
    report.refresh_from_db()
    assert not report.live

    # Through the editor: "Submit for review" is refused with the errors, no workflow starts.
    editor = client_for("czj-editor")
    response = submit_draft(editor, report)
    assert response.status_code == 200
    assert "自然人" in response.content.decode()
    assert not WorkflowState.objects.filter(object_id=str(report.pk)).exists()
    # Saving the draft is still possible.
    edit_url = reverse("wagtailadmin_pages:edit", args=[report.pk])
    assert editor.get(edit_url).status_code == 200


def test_the_report_is_published_only_through_the_workflow(client, client_for, czj_requests):
    report = generate_report("czj", 2026)
    assert submit_draft(client_for("czj-editor"), report).status_code == 302
    report.refresh_from_db()
    assert not report.live
    assert report.workflow_in_progress
    assert act(client_for("czj-reviewer"), report, "approve").status_code == 302
    report.refresh_from_db()
    assert not report.live
    secrecy = client_for("czj-secrecy")
    assert act(secrecy, report, "approve", attest="on", comment="不涉密").status_code == 302
    report.refresh_from_db()
    assert report.live
    assert report.index_number

    # Public page: the national tables as HTML, and the workbook of the live version.
    client.logout()
    url = report.url_path.replace("/hegang", "", 1)
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" in html and "一、本年新收政府信息公开申请数量" in html
    assert "结果维持" in html
    workbook = client.get(url + "xlsx/", HTTP_HOST="localhost")
    assert workbook.status_code == 200
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")


def _sheet_values(data, title):
    sheet = openpyxl.load_workbook(io.BytesIO(data))[title]
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_xlsx_has_the_national_layout_and_the_figures(czj_requests):
    report = generate_report("czj", 2026).get_latest_revision_as_object()
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    assert workbook.sheetnames[:3] == ["二 主动公开", "三 依申请公开", "四 复议诉讼"]
    rows = _sheet_values(to_xlsx(report), "三 依申请公开")
    new = rows["一、本年新收政府信息公开申请数量"]
    figures = report.request_figures
    keys = ["natural", "commercial", "research", "welfare", "legal_service", "other_org", "total"]
    assert list(new) == [figures[f"new.{key}"] for key in keys]
    assert rows["四、结转下年度继续办理"][-1] == figures["carried_out.total"]
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in rows
    proactive = _sheet_values(to_xlsx(report), "二 主动公开")
    assert "行政规范性文件" in proactive and "信息内容" in proactive


def test_2019_and_2020_use_the_trial_format():
    make_request("czj", "natural", D(2020, 6, 1), D(2020, 6, 10), Outcome.OTHER_NO_CLARIFICATION)
    with freeze_time(beijing(D(2026, 11, 27))):
        old = generate_report("czj", 2020).get_latest_revision_as_object()
        new = generate_report("czj", 2021).get_latest_revision_as_object()
    assert old.report_format == "2019" and new.report_format == "2021"
    assert "procurement.projects" in old.proactive_figures
    assert "normative.published" in old.proactive_figures
    assert "normative.repealed" not in old.proactive_figures
    assert "normative.repealed" in new.proactive_figures
    assert old.request_figures["g-other.natural"] == 1
    assert not any(key.startswith("o-other") for key in old.request_figures)
    proactive = _sheet_values(to_xlsx(old), "二 主动公开")
    assert "政府集中采购" in proactive
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(old)))["二 主动公开"]
    values = {value for row in sheet.iter_rows(values_only=True) for value in row}
    assert {"本年新制作数量", "上一年项目数量", "本年增/减", "采购总金额（万元）"} <= values
    assert "本年制发件数" not in values
    assert check_report(old) == []


def test_rollup_sums_the_departments():
    make_request("luobei", "natural", D(2026, 3, 2), D(2026, 3, 10), Outcome.DISCLOSED)
    make_request("luobei-jyj", "commercial", D(2026, 3, 3), D(2026, 3, 20), Outcome.DISCLOSED)
    make_request("luobei-nyj", "research", D(2026, 3, 4))
    luobei = unit("luobei")
    assert {u.slug for u in departments_of(luobei)} == {"luobei-jyj", "luobei-nyj"}
    city_units = {u.slug for u in departments_of(unit("hegang"))}
    assert "fgw" in city_units and "luobei-jyj" not in city_units and "luobei" not in city_units

    # A department's published report is used instead of its records.
    jyj_report = generate_report("luobei-jyj", 2026)
    jyj_report.get_latest_revision().publish()
    make_request("luobei-jyj", "natural", D(2026, 4, 1), D(2026, 4, 9), Outcome.DISCLOSED)

    report = generate_report("luobei", 2026).get_latest_revision_as_object()
    fmt = get_format(2026)
    rollup = report.rollup
    assert report.include_rollup
    sources = {u["slug"]: u["source"] for u in rollup["units"]}
    assert sources == {"luobei-jyj": "report", "luobei-nyj": "records"}
    own = request_figures([luobei], 2026, fmt)
    assert report.request_figures == own  # the main tables: the government's own figures
    jyj = {u["slug"]: u for u in rollup["units"]}["luobei-jyj"]["requests"]
    nyj = request_figures([unit("luobei-nyj")], 2026, fmt)
    assert rollup["combined"] == sum_figures([own, jyj, nyj])
    assert rollup["combined"]["new.total"] == 3  # not 4: jyj's report predates its 2nd request
    assert rollup["combined"]["carried_out.research"] == 1
    assert check_report(report) == []
    lines = report.rollup_lines()
    assert lines[-1]["values"][0] == sum(line["values"][0] for line in lines[:-1])


def test_dashboard_warns_from_january_until_published(client_for, czj_requests):
    with freeze_time(beijing(D(2026, 12, 31))):
        page = client_for("czj-editor").get(reverse("wagtailadmin_home")).content.decode()
    assert "2027-01-31" not in page
    with freeze_time(beijing(D(2027, 1, 2))):
        page = client_for("czj-editor").get(reverse("wagtailadmin_home")).content.decode()
        assert "annual-report-deadlines-panel" in page and "2027-01-31" in page
        report = generate_report("czj", 2026)
        report.get_latest_revision().publish()
        page = client_for("czj-editor").get(reverse("wagtailadmin_home")).content.decode()
    assert "2027-01-31" not in page
    assert due_date(unit("czj"), 2026) == D(2027, 1, 31)
    assert due_date(unit("luobei"), 2026) == D(2027, 3, 31)
    assert due_date(unit("hegang"), 2026) == D(2027, 3, 31)


def test_command_and_admin_button(client_for, czj_requests):
    call_command("generate_annual_report", unit="czj", year=2026)
    report = AnnualReportPage.objects.get(unit=unit("czj"), report_year=2026)
    assert not report.live
    with pytest.raises(CommandError):
        call_command("generate_annual_report", unit="nosuchunit", year=2026)

    editor = client_for("czj-editor")
    url = reverse("annual_reports_generate", args=[unit("czj").pk])
    response = editor.post(url, {"year": 2026})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[report.pk])
    assert editor.get(reverse("annual_reports_xlsx", args=[report.pk])).status_code == 200
    # another unit's editor may neither generate nor download it
    other = client_for("fgw-editor")
    assert other.post(url, {"year": 2026}).status_code in (302, 403)
    assert AnnualReportPage.objects.filter(unit=unit("czj")).count() == 1
    assert other.get(reverse("annual_reports_xlsx", args=[report.pk])).status_code in (302, 403)
