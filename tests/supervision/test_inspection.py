"""Self-inspection: each indicator on data built for it, runs kept, the command."""

import datetime

import pytest
from django.core.management import call_command
from wagtail.models import Page

from citizen_services import services
from citizen_services.choices import EventKind
from disclosure_pages.models import (
    CatalogueClassPage,
    CatalogueNode,
    GeneralItemPage,
    NewsPage,
    PolicyDocumentPage,
)
from review.models import Withdrawal
from supervision.inspection import inspect_unit, run_inspection
from supervision.models import Finding, Indicator, InspectionRun, Severity, UpdatePeriod
from tests.factories import add_item, column
from workdays.calendar import add_working_days

from .helpers import (
    days_ago,
    document_without_file,
    item_linking_to_draft,
    news,
    overdue_application,
    overdue_complaint,
    today,
    unit,
)

pytestmark = pytest.mark.django_db


def codes(findings, indicator=None):
    found = [f.indicator for f in findings]
    return found if indicator is None else [c for c in found if c == indicator]


def test_a_unit_without_items_is_stale_and_its_classes_are_empty():
    findings = inspect_unit(unit("fgw"), today())
    assert codes(findings, Indicator.HOME_STALE) == [Indicator.HOME_STALE]
    home = next(f for f in findings if f.indicator == Indicator.HOME_STALE)
    assert home.severity == Severity.VETO
    assert len(codes(findings, Indicator.EMPTY_CLASS)) == 8
    assert codes(findings, Indicator.TOO_MANY_EMPTY) == [Indicator.TOO_MANY_EMPTY]


def test_a_recent_item_updates_the_unit_and_fills_its_class():
    news("fgw", 3)
    findings = inspect_unit(unit("fgw"), today())
    assert Indicator.HOME_STALE not in codes(findings)
    empty = [f.page.specific.node.code for f in findings if f.indicator == Indicator.EMPTY_CLASS]
    assert "gzdt" not in empty and len(empty) == 7
    # Fifteen days later nothing new was published: stale again.
    later = inspect_unit(unit("fgw"), today() + datetime.timedelta(days=12))
    assert Indicator.HOME_STALE in codes(later)


def test_a_class_hidden_with_a_reason_is_not_empty_but_one_without_is():
    hidden = column("fgw", "bgxz")
    hidden.not_applicable, hidden.not_applicable_reason = True, "本单位无对外办事表格。"
    hidden.save_revision().publish()
    silent = column("fgw", "wtjd")
    CatalogueClassPage.objects.filter(pk=silent.pk).update(not_applicable=True)  # no reason
    findings = inspect_unit(unit("fgw"), today())
    empty = {f.page_id for f in findings if f.indicator == Indicator.EMPTY_CLASS}
    assert hidden.pk not in empty
    assert silent.pk in empty


def test_news_and_policy_columns_stale_beyond_their_periods():
    news("fgw", 20)
    add_item(PolicyDocumentPage, "fgw", publish_date=days_ago(100), formed_date=days_ago(100))
    findings = inspect_unit(unit("fgw"), today())
    assert codes(findings, Indicator.STALE_NEWS) == [Indicator.STALE_NEWS]
    assert codes(findings, Indicator.STALE_POLICY) == [Indicator.STALE_POLICY]
    stale_news = next(f for f in findings if f.indicator == Indicator.STALE_NEWS)
    assert stale_news.page_id == column("fgw", "gzdt").pk


def test_update_periods_are_configurable_per_class():
    news("fgw", 20)
    add_item(PolicyDocumentPage, "fgw", publish_date=days_ago(30), formed_date=days_ago(30))
    UpdatePeriod.objects.update_or_create(
        catalogue_class=CatalogueNode.objects.get(code="gzdt"), defaults={"days": 30}
    )
    UpdatePeriod.objects.update_or_create(
        catalogue_class=CatalogueNode.objects.get(code="zcfg"), defaults={"days": 7}
    )
    findings = inspect_unit(unit("fgw"), today())
    assert Indicator.STALE_NEWS not in codes(findings)
    assert Indicator.STALE_POLICY in codes(findings)


def test_broken_internal_link_until_the_target_is_published():
    linking, draft = item_linking_to_draft("fgw")
    findings = inspect_unit(unit("fgw"), today())
    broken = [f for f in findings if f.indicator == Indicator.BROKEN_LINK]
    assert [f.page_id for f in broken] == [linking.pk]
    assert draft.title in broken[0].message
    draft.save_revision().publish()
    assert Indicator.BROKEN_LINK not in codes(inspect_unit(unit("fgw"), today()))


def test_link_to_a_withdrawn_item_is_broken(user_named):
    target = news("fgw", 2, title="被撤回的信息", slug="target")
    news(
        "fgw",
        1,
        slug="linker",
        body=[
            {"type": "paragraph", "value": f'<p><a linktype="page" id="{target.pk}">链接</a></p>'}
        ],
    )
    assert Indicator.BROKEN_LINK not in codes(inspect_unit(unit("fgw"), today()))
    Withdrawal.objects.create(
        page=target,
        path="/x/",
        title=target.title,
        reason="error",
        withdrawn_by=user_named("admin"),
    )
    target.unpublish()
    assert Indicator.BROKEN_LINK in codes(inspect_unit(unit("fgw"), today()))


def test_missing_attachment_file():
    document = document_without_file("fgw")
    item = news("fgw", 1, attachments=[{"type": "attachment", "value": {"document": document.pk}}])
    findings = [
        f for f in inspect_unit(unit("fgw"), today()) if f.indicator == Indicator.MISSING_ATTACHMENT
    ]
    assert [f.page_id for f in findings] == [item.pk]
    assert document.title in findings[0].message


def test_an_attachment_whose_file_is_present_is_fine():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title="完整的附件", collection=unit("fgw").collection)
    document.file.save("ok.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    news("fgw", 1, attachments=[{"type": "attachment", "value": {"document": document.pk}}])
    assert Indicator.MISSING_ATTACHMENT not in codes(inspect_unit(unit("fgw"), today()))


def test_unanswered_application_and_complaint_past_their_deadline():
    request = overdue_application("luobei-jyj")
    complaint = overdue_complaint("luobei-jyj")
    fresh = overdue_application("luobei-jyj", days=1)
    findings = inspect_unit(unit("luobei-jyj"), today())
    overdue = [f for f in findings if f.indicator == Indicator.OVERDUE_REQUEST]
    assert [f.object_id for f in overdue] == [request.pk]
    assert fresh.pk not in [f.object_id for f in overdue]
    assert overdue[0].admin_url().endswith(f"/{request.pk}/")
    assert [f.object_id for f in findings if f.indicator == Indicator.OVERDUE_COMPLAINT] == [
        complaint.pk
    ]
    services.record_event(
        request, EventKind.REPLIED, today(), data={"outcome": "disclosed"}, reply_text="已公开。"
    )
    services.reply_to_complaint(complaint, user=None, reply_text="已公开。")
    findings = inspect_unit(unit("luobei-jyj"), today())
    assert Indicator.OVERDUE_REQUEST not in codes(findings)
    assert Indicator.OVERDUE_COMPLAINT not in codes(findings)


def test_items_published_late_and_unpublished_past_their_deadline():
    published = today() - datetime.timedelta(days=2)
    late = add_item(
        NewsPage, "fgw", publish_date=published, formed_date=add_working_days(published, -25)
    )
    add_item(NewsPage, "fgw", publish_date=published, formed_date=add_working_days(published, -19))
    overdue = add_item(
        GeneralItemPage, "fgw", publish=False, formed_date=add_working_days(today(), -21)
    )
    add_item(GeneralItemPage, "fgw", publish=False, formed_date=add_working_days(today(), -5))
    findings = inspect_unit(unit("fgw"), today())
    assert [f.page_id for f in findings if f.indicator == Indicator.LATE_PUBLICATION] == [late.pk]
    assert [f.page_id for f in findings if f.indicator == Indicator.OVERDUE_ITEM] == [overdue.pk]


def test_a_run_keeps_its_findings_per_unit():
    news("fgw", 1)
    run = run_inspection([unit("fgw"), unit("czj")], today=today())
    assert set(run.units.values_list("slug", flat=True)) == {"fgw", "czj"}
    assert run.finished_at is not None
    by_unit = {slug: run.findings.filter(unit__slug=slug).count() for slug in ("fgw", "czj")}
    assert by_unit["czj"] > by_unit["fgw"] > 0
    assert not Finding.objects.exclude(run=run).filter(unit__slug="fgw").exists()


def test_run_inspection_command_for_one_unit():
    call_command("run_inspection", "--unit", "fgw", stdout=open("/dev/null", "w"))
    run = InspectionRun.objects.get()
    assert list(run.units.values_list("slug", flat=True)) == ["fgw"]
    assert run.trigger == InspectionRun.Trigger.COMMAND
    assert set(run.findings.values_list("unit__slug", flat=True)) == {"fgw"}


def test_run_inspection_command_refuses_an_unknown_unit():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_inspection", "--unit", "nowhere")
    assert not InspectionRun.objects.exists()


def test_inspection_changes_no_page():
    news("fgw", 1)
    before = list(Page.objects.order_by("pk").values_list("pk", "live", "latest_revision_id"))
    run_inspection([unit("fgw")], today=today())
    after = list(Page.objects.order_by("pk").values_list("pk", "live", "latest_revision_id"))
    assert before == after
