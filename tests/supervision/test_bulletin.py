"""The 通报 of a scheme's results (issue 21, item 1): written by the city's disclosure office
as a draft in its own 工作动态 with the right figures and its 文号, invisible until it passes
the office's review workflow, then public; printable with the ranking chart."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from disclosure_pages.models import NewsPage
from supervision.models import ScoringIndicator, ScoringScheme
from supervision.scoring import score_units
from tests.test_review_workflow import act, current_task_state

from .helpers import days_ago, news, overdue_application, today, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    scheme = ScoringScheme.objects.create(
        name="第四季度政务公开考核",
        period_start=days_ago(90),
        period_end=today() + datetime.timedelta(days=1),
    )
    for code in ("timeliness", "requests"):
        ScoringIndicator.objects.create(scheme=scheme, code=code, weight=Decimal(50))
    news("fgw", 2)
    news("czj", 3)
    overdue_application("czj")
    score_units(scheme, [unit("fgw"), unit("czj"), unit("wjw")])
    return scheme


def test_the_office_writes_a_bulletin_that_goes_through_its_workflow(
    client_for, user_named, scored
):
    scheme = scored
    office = client_for("gongkaiban")
    response = office.post(reverse("supervision_bulletin_create", args=[scheme.pk]))
    assert response.status_code == 302
    page = NewsPage.objects.get(title="关于第四季度政务公开考核结果的通报")
    assert response["Location"] == reverse("supervision_bulletin_print", args=[scheme.pk, page.pk])
    assert not page.live and page.unit.slug == "hegang"
    assert page.url_path.endswith("/hegang/gkml/gzdt/" + page.slug + "/")
    assert page.doc_number == f"鹤岗市政务公开办通〔{today().year}〕1号"
    assert page.summary == "共考核3个单位，合格2个，不合格1个，平均得分83.33分。"
    blocks = {block.block_type: block for block in reversed(list(page.body))}
    rows = blocks["table"].value["data"]
    assert rows[0] == ["名次", "单位", "得分", "考核结果"]
    assert [row[1:] for row in rows[1:]] == [
        [unit("fgw").title, "100.00", "合格"],
        [unit("czj").title, "50.00", "合格"],
        [unit("wjw").title, "100.00", "不合格"],
    ]
    text = " ".join(str(block.value) for block in page.body)
    assert "本期未发布任何信息" in text and "四、工作要求" in text

    # Printable, with the ranking chart.
    printed = office.get(response["Location"])
    html = printed.content.decode()
    assert printed.status_code == 200
    assert page.doc_number in html and "<svg" in html and "@media print" in html
    # The office's sequence goes on.
    office.post(reverse("supervision_bulletin_create", args=[scheme.pk]))
    assert NewsPage.objects.filter(doc_number=f"鹤岗市政务公开办通〔{today().year}〕2号").exists()
    # A unit's editor cannot write one.
    assert client_for("fgw-editor").post(
        reverse("supervision_bulletin_create", args=[scheme.pk])
    ).status_code in (302, 403)
    assert NewsPage.objects.filter(title__startswith="关于第四季度").count() == 2

    public = Client()
    public_path = page.url_path.replace("/hegang", "", 1)
    assert public.get(public_path, HTTP_HOST="localhost").status_code == 404  # a draft

    # The office submits it; the city's reviewer and secrecy reviewer approve; it is public.
    page.get_workflow().start(page, user_named("gongkaiban"))
    _state, task_state = current_task_state(page)
    assert task_state.task.specific.__class__.__name__ == "UnitReviewTask"
    assert act(client_for("hegang-reviewer"), page, "approve").status_code == 302
    assert (
        act(
            client_for("hegang-secrecy"), page, "approve", attest="on", comment="经审查不涉密"
        ).status_code
        == 302
    )
    page.refresh_from_db()
    assert page.live
    assert WorkflowState.objects.for_instance(page).get().status == WorkflowState.STATUS_APPROVED
    published = public.get(public_path, HTTP_HOST="localhost")
    assert published.status_code == 200
    body = published.content.decode()
    assert page.doc_number in body and unit("wjw").title in body and "不合格" in body


def test_no_bulletin_before_the_scores_are_computed(client_for):
    scheme = ScoringScheme.objects.create(
        name="空方案", period_start=days_ago(10), period_end=today()
    )
    response = client_for("gongkaiban").post(
        reverse("supervision_bulletin_create", args=[scheme.pk]), follow=True
    )
    assert "尚无单位按本考核方案评分" in response.content.decode()
    assert not NewsPage.objects.filter(title__contains="空方案").exists()
