"""What each person in the review workflow is told, and who is mailed (issue 16, items 2, 4)."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from disclosure_pages.models import NewsPage, PowerItemPage
from review.views import withdraw_page
from tests.factories import add_item
from tests.test_review_workflow import (
    act,
    current_task_state,
    draft,  # noqa: F401 (a fixture)
    submit_draft,
)

pytestmark = pytest.mark.django_db


def shown(response):
    """The messages of the page a redirect chain ended on, as (level, text)."""
    return [(m.level, str(m)) for m in response.context["messages"]]


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def mailed_to(subject_part=""):
    return sorted(
        address
        for message in mail.outbox
        if subject_part in message.subject + message.body
        for address in message.to
    )


# --- screening rejection -------------------------------------------------------------------


# ruff: noqa: F811 (the tests take the imported `draft` fixture as an argument)


def test_a_screening_rejection_is_an_error_with_the_findings_in_the_edit_view(client_for, draft):
    editor = client_for("fgw-editor")
    mail.outbox.clear()
    response = submit_draft(editor, draft, summary="联系人：王老师\n手机13812345678")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    page = follow(editor, response)
    messages = shown(page)
    assert [level for level, _text in messages] == [constants.ERROR], messages
    text = messages[0][1]
    assert "自动审查已将“发改委召开项目推进会”退回" in text
    assert "内容概述第 2 行：手机号码 138****5678" in text, text
    assert "13812345678" not in text  # masked (the field itself still holds it)
    # Still shown when the editor comes back to the item, until it is fixed.
    again = editor.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert "138****5678" in " ".join(text for _level, text in shown(again))
    # The editor is mailed the findings (Wagtail leaves out whoever triggered a rejection).
    editor_mail = [m for m in mail.outbox if m.to == ["fgw-editor@example.gov.cn"]]
    assert len(editor_mail) == 1 and "138****5678" in editor_mail[0].body
    assert "退回" in editor_mail[0].subject or "拒绝" in editor_mail[0].subject

    # Fixed and resubmitted: Wagtail's "submitted" message, no error.
    page = follow(editor, submit_draft(editor, draft, summary="联系人：王老师"))
    assert [level for level, _text in shown(page)] == [constants.SUCCESS]
    _state, task_state = current_task_state(draft)
    assert task_state.task.specific.__class__.__name__ == "UnitReviewTask"


# --- success messages and modals ----------------------------------------------------------


def submitted(client, page):
    """Submit as the logged-in editor and read Wagtail's message (the session is shared)."""
    follow(client, submit_draft(client, page))


def test_each_approval_says_what_happened_and_where_the_item_went(client_for, draft):
    submitted(client_for("fgw-editor"), draft)
    reviewer = client_for("fgw-reviewer")
    messages = shown(follow(reviewer, act(reviewer, draft, "approve")))
    assert [m for m in messages if m[0] == constants.SUCCESS] == [
        (constants.SUCCESS, "你已批准“发改委召开项目推进会”。已转交“市发改委：保密审查”。")
    ]

    secrecy = client_for("fgw-secrecy")
    response = act(secrecy, draft, "approve", attest="on", comment="不涉密")
    assert shown(follow(secrecy, response)) == [
        (
            constants.SUCCESS,
            "你已确认“发改委召开项目推进会”不含国家秘密、商业秘密和个人隐私。该信息已发布。",
        )
    ]


def test_a_request_for_changes_says_so(client_for, draft):
    submitted(client_for("fgw-editor"), draft)
    reviewer = client_for("fgw-reviewer")
    mail.outbox.clear()
    response = act(reviewer, draft, "reject", comment="请补充会议时间")
    assert shown(follow(reviewer, response)) == [
        (constants.SUCCESS, "已将“发改委召开项目推进会”连同你的意见退回编辑修改。")
    ]
    editor_mail = [m for m in mail.outbox if m.to == ["fgw-editor@example.gov.cn"]]
    assert len(editor_mail) == 1 and "请补充会议时间" in editor_mail[0].body


def modal_html(client, page, action):
    _state, task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    return response.json()["html"]


def test_each_modal_names_the_item_and_what_is_attested(client_for, draft):
    submit_draft(client_for("fgw-editor"), draft)
    reviewer = client_for("fgw-reviewer")
    html = modal_html(reviewer, draft, "reject")
    assert "信息：“发改委召开项目推进会”" in html and "退回编辑修改" in html
    act(reviewer, draft, "approve")
    html = modal_html(client_for("fgw-secrecy"), draft, "approve")
    assert "信息：“发改委召开项目推进会”" in html
    assert "不含国家秘密、商业秘密和个人隐私" in html and "确认并通过" in html


@pytest.fixture
def power(user_named):
    return add_item(
        PowerItemPage,
        "luobei-jyj",
        publish=False,
        user=user_named("luobei-jyj-editor"),
        title="民办学校设立审批",
        power_type="licensing",
        legal_basis="《中华人民共和国民办教育促进法》",
        slug="minban-xuexiao",
    )


def test_filing_says_file_names_the_item_and_gives_the_number(client_for, power):
    mail.outbox.clear()
    submitted(client_for("luobei-jyj-editor"), power)
    assert "luobei-jyj-reviewer@example.gov.cn" in mailed_to()
    act(client_for("luobei-jyj-reviewer"), power, "approve")
    assert "luobei-jyj-secrecy@example.gov.cn" in mailed_to()  # the secrecy reviewers
    secrecy = client_for("luobei-jyj-secrecy")
    follow(secrecy, act(secrecy, power, "approve", attest="on"))
    assert "luobei-office@example.gov.cn" in mailed_to()  # and the filing office
    assert not any(address.startswith("admin") for address in mailed_to())  # no superusers

    office = client_for("luobei-office")
    html = modal_html(office, power, "approve")
    assert "信息：“民办学校设立审批”" in html and "办理备案" in html
    messages = shown(follow(office, act(office, power, "approve", comment="同意备案")))
    power.refresh_from_db()
    assert power.live
    assert len(messages) == 1 and messages[0][0] == constants.SUCCESS
    assert messages[0][1].startswith("“民办学校设立审批”已备案，备案号：萝北县备〔")
    assert messages[0][1].endswith("。该信息已发布。")


def test_filing_actions_are_labelled_file(user_named, power, client_for):
    submit_draft(client_for("luobei-jyj-editor"), power)
    act(client_for("luobei-jyj-reviewer"), power, "approve")
    act(client_for("luobei-jyj-secrecy"), power, "approve", attest="on")
    _state, task_state = current_task_state(power)
    actions = task_state.task.specific.get_actions(power, user_named("luobei-office"))
    assert [(name, str(label)) for name, label, _modal in actions] == [
        ("reject", "请求修改"),
        ("approve", "备案"),
    ]


# --- who is told -----------------------------------------------------------------------------


def test_submitting_warns_when_nobody_else_can_approve(client_for, draft, user_named):
    editor, reviewer = user_named("fgw-editor"), user_named("fgw-reviewer")
    review_group = Group.objects.get(unit_role__unit__slug="fgw", unit_role__role="reviewer")
    review_group.user_set.remove(reviewer)
    review_group.user_set.add(editor)  # the unit's only reviewer edited the item
    client = client_for("fgw-editor")
    messages = shown(follow(client, submit_draft(client, draft)))
    warnings = [text for level, text in messages if level == constants.WARNING]
    assert len(warnings) == 1 and "除你之外没有人能审批" in warnings[0], messages
    assert "市发改委" in warnings[0]


def test_no_warning_when_others_can_approve(client_for, draft):
    client = client_for("fgw-editor")
    messages = shown(follow(client, submit_draft(client, draft)))
    assert [level for level, _text in messages] == [constants.SUCCESS]


def test_a_withdrawn_item_is_withdrawn_in_the_admin_not_a_draft(client_for, user_named):
    item = add_item(NewsPage, "fgw", title="已发布的动态", slug="yifabu")
    withdraw_page(item, user_named("fgw-reviewer"), reason="error", note="发布有误")
    item.refresh_from_db()
    assert not item.live and item.specific.status_string == "已撤回"
    listing = client_for("fgw-editor").get(
        reverse("wagtailadmin_explore", args=[item.get_parent().pk])
    )
    assert "已撤回" in listing.content.decode()
    assert WorkflowState.objects.for_instance(item).count() == 0
