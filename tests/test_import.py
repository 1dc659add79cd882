"""Import from legacy platforms (disclosure_pages.importing, `import_disclosures`) and the
demo content built on it (cms.demo_content)."""

import datetime
import json
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, ReferenceIndex, WorkflowState

from cms.demo_content import load_demo_content
from disclosure_pages import importing
from disclosure_pages.importing import (
    LOG_ACTION,
    deferred_indexing,
    import_file,
    import_lines,
    sanitise_html,
)
from disclosure_pages.models import (
    TYPED_PAGE_MODELS,
    CatalogueClassPage,
    DisclosureItem,
    EnforcementResultPage,
    FaqPage,
    FormDownloadPage,
    GeneralItemPage,
    IndexNumberSequence,
    NewsPage,
    PlanPage,
    PolicyDocumentPage,
    ProcurementPage,
    ServiceGuidePage,
)
from tests.factories import add_item
from tests.public_helpers import Browser
from unit_sites.models import UnitPage

pytestmark = pytest.mark.django_db


def record(legacy_id, **fields):
    data = {
        "id": legacy_id,
        "title": f"鹤岗市关于测试事项{legacy_id}的通知",
        "issuer": "鹤岗市人民政府办公室",
        "doc_number": "鹤政办发〔2019〕7号",
        "date": "2019-03-15",
        "category": "法规文件",
        "body": "第一段。\n第二段。",
    }
    data.update(fields)
    return json.dumps(data, ensure_ascii=False)


def write_jsonl(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def unit(slug="fgw"):
    return UnitPage.objects.get(slug=slug)


def imported(legacy_id):
    return DisclosureItem.objects.get(legacy_id=legacy_id).specific


def run(lines, slug="fgw", base_dir="/nonexistent", **kwargs):
    return import_lines(lines, unit(slug), base_dir=base_dir, **kwargs)


# --- categories ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "model", "class_code", "kind_code"),
    [
        ("政策法规", PolicyDocumentPage, "zcfg", "zcwj"),
        ("法规文件", PolicyDocumentPage, "zcfg", "zcwj"),
        ("规划计划", PlanPage, "gzdt", "ghjh"),
        ("办事指南", ServiceGuidePage, "bszn", "bmfw"),
        ("表格下载", FormDownloadPage, "bgxz", None),
        ("工作动态", NewsPage, "gzdt", None),
        ("问题解答", FaqPage, "wtjd", None),
        ("政府职能", GeneralItemPage, "zfzn", "ldzc"),
        ("行政权力", GeneralItemPage, "xzql", "xzqlsx"),
        ("行政执法", GeneralItemPage, "xzzf", "zfjg"),
        ("财政资金", GeneralItemPage, "gzdt", "qtxx"),
        ("人事信息", GeneralItemPage, "gzdt", None),
        ("其他", GeneralItemPage, "gzdt", "qtxx"),
        ("重大工程项目招投标和政府采购", ProcurementPage, "gzdt", "zbcg"),
        ("行政执法责任、执法人员情况和执法结果", EnforcementResultPage, "xzzf", "zfjg"),
        ("收费项目无此名", GeneralItemPage, "gzdt", "qtxx"),
    ],
)
def test_each_category_lands_in_its_typed_page_class_and_kind(
    category, model, class_code, kind_code
):
    report = run([record("c1", category=category)])
    assert (report.created, report.failed) == (1, 0)
    page = imported("c1")
    assert type(page) is model
    assert page.catalogue_class.code == class_code
    assert (page.key_kind.code if page.key_kind else None) == kind_code
    assert page.get_parent().specific.node.code == class_code


def test_an_unknown_category_is_imported_as_other_with_a_warning():
    report = run([record("u1", category="不存在的栏目")])
    assert report.created == 1
    assert [issue.line for issue in report.warnings] == [1]
    assert "不存在的栏目" in report.warnings[0].message
    assert type(imported("u1")) is GeneralItemPage


def test_typed_fields_are_filled_from_the_record():
    run(
        [
            record(
                "t1", category="问题解答", title="如何申请政府信息公开？", body="向政务公开办提出。"
            ),
            record("t2", category="规划计划", date="2024-03-05"),
            record("t3", category="办事指南"),
        ]
    )
    faq = imported("t1")
    assert faq.question == "如何申请政府信息公开？"
    assert "向政务公开办提出。" in faq.answer
    assert imported("t2").plan_year == 2024
    assert imported("t3").fees == ""  # unknown, not the model's "free of charge"


# --- published like any published item -------------------------------------------------


def test_imported_records_are_published_with_index_number_legacy_id_and_audit_log():
    report = run([record("p1", title="鹤岗市政府信息公开管理办法", doc_number="鹤政发〔2009〕7号")])
    assert report.created == 1
    page = imported("p1")
    fgw = unit("fgw")
    assert page.live and not page.has_unpublished_changes
    assert page.legacy_id == "p1"
    assert page.unit == fgw
    assert page.issuer == "鹤岗市人民政府办公室"
    assert page.doc_number == "鹤政发〔2009〕7号"
    assert page.written_date == page.publish_date == page.formed_date == datetime.date(2019, 3, 15)
    assert re.fullmatch(rf"{fgw.org_code}/2019-\d{{5}}", page.index_number)
    assert page.genre == "办法"
    assert page.first_published_at and page.last_published_at
    assert page.live_revision_id == page.latest_revision_id is not None
    assert page.revisions.count() == 1
    entry = PageLogEntry.objects.get(page=page, action=LOG_ACTION)
    assert entry.revision_id == page.live_revision_id
    assert entry.data["legacy_id"] == "p1"
    assert entry.message  # a registered action: the history names it


def test_fast_path_pages_are_indistinguishable_from_normally_published_ones():
    run([record("f1", title="快速导入的政策文件", body="鹤岗煤炭资源综合利用")])
    fast = imported("f1")
    normal = add_item(PolicyDocumentPage, "fgw", title="常规发布的政策文件", slug="normal-1")
    for page in (fast, normal):
        page.refresh_from_db()
        assert page.live and not page.has_unpublished_changes and not page.expired
        assert page.live_revision_id == page.latest_revision_id
        assert page.latest_revision_created_at is not None
        assert page.draft_title == page.title
        assert page.locale_id == page.get_parent().locale_id
        assert page.url_path == page.get_parent().url_path + page.slug + "/"
        assert page.index_number and page.publish_date
        assert page.get_latest_revision_as_object().title == page.title
        assert Page.objects.live().filter(pk=page.pk).exists()
        assert page.url  # routable on its site
    # unit, class, kind and issuer are what the tree gives (what _place_in_catalogue derives)
    placed = DisclosureItem.objects.get(pk=fast.pk)
    before = (placed.unit_id, placed.catalogue_class_id, placed.key_kind_id, placed.issuer)
    placed._place_in_catalogue()
    assert (placed.unit_id, placed.catalogue_class_id, placed.key_kind_id, placed.issuer) == before
    # the tree stays consistent: numchild, paths, depth
    column = CatalogueClassPage.objects.get(pk=fast.get_parent().pk)
    assert column.numchild == column.get_children().count()
    assert Page.find_problems() == ([], [], [], [], [])
    # searchable after the import (the deferred bulk pass ran)
    found = DisclosureItem.objects.live().search("快速导入的政策文件")
    assert fast.pk in [item.pk for item in found]


def test_imported_items_are_served_on_the_units_site(client):
    run([record("s1", title="站点上的导入信息")], slug="xiangyang")
    browser = Browser(client)
    response = browser.get(imported("s1").full_url)
    assert response.status_code == 200
    assert "站点上的导入信息" in browser.html and "第一段。" in browser.html


def test_a_record_without_date_gets_todays_publication_date():
    run([record("d1", date="")])
    page = imported("d1")
    assert page.written_date is None
    assert page.publish_date is not None and page.index_number


# --- re-running ------------------------------------------------------------------------


def test_rerunning_updates_instead_of_duplicating():
    lines = [record("r1"), record("r2", category="工作动态")]
    first = run(lines)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    number = imported("r1").index_number
    again = run(lines)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert imported("r1").revisions.count() == 1

    changed = run([record("r1", title="修改后的标题", body="新的正文"), lines[1]])
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    page = imported("r1")
    assert DisclosureItem.objects.filter(legacy_id="r1").count() == 1
    assert page.title == "修改后的标题" and page.live and not page.has_unpublished_changes
    assert "新的正文" in page.body.raw_data[0]["value"]
    assert page.revisions.count() == 2
    assert page.index_number == number  # assigned once, never changed
    assert PageLogEntry.objects.filter(page=page, action=LOG_ACTION).count() == 2


def test_the_same_id_twice_in_one_file_updates_the_first():
    report = run([record("twice", title="第一版"), record("twice", title="第二版")])
    assert (report.created, report.updated) == (1, 1)
    assert imported("twice").title == "第二版"


def test_a_category_change_moves_the_item_to_its_new_column():
    run([record("m1", category="财政资金")])
    report = run([record("m1", category="政府职能")])
    assert report.updated == 1
    page = imported("m1")
    assert page.catalogue_class.code == "zfzn"
    assert page.key_kind.code == "ldzc"


def test_an_item_with_a_draft_or_of_another_unit_or_type_is_not_overwritten():
    run([record("o1"), record("o2")])
    draft = imported("o1")
    draft.title = "编辑在新平台上的草稿"
    draft.save_revision()
    report = run(
        [
            record("o1", title="旧平台的新标题"),
            record("o2", category="工作动态"),  # was a policy document
        ]
    )
    assert report.failed == 2
    assert imported("o1").title != "旧平台的新标题"
    other_unit = run([record("o2")], slug="czj")
    assert other_unit.failed == 1 and "鹤岗市发展和改革委员会" in other_unit.errors[0].message


# --- bad input -------------------------------------------------------------------------


def test_bad_lines_are_reported_by_number_and_the_good_ones_still_go_in(tmp_path):
    lines = [
        record("g1"),
        "{not json",
        record("", title="没有编号"),
        json.dumps({"id": "no-title", "title": "  "}),
        record("bad-date", date="2019-02-30"),
        record("no-file", attachments=["missing.pdf"]),
        "",  # blank lines are skipped, not errors
        "[1, 2]",
        record("g2"),
    ]
    path = write_jsonl(tmp_path / "legacy.jsonl", lines)
    report = import_file(path, unit())
    assert (report.created, report.failed) == (2, 6)
    assert [issue.line for issue in report.errors] == [2, 3, 4, 5, 6, 8]
    reasons = {issue.line: issue.message for issue in report.errors}
    assert all(reasons.values())
    assert "id" in reasons[3]
    assert "title" in reasons[4]
    assert "2019-02-30" in reasons[5]
    assert "missing.pdf" in reasons[6]
    assert DisclosureItem.objects.filter(legacy_id__in=["g1", "g2"]).count() == 2
    assert not DisclosureItem.objects.filter(legacy_id__in=["bad-date", "no-file"]).exists()
    assert re.search(r"2\D+0\D+0\D+0\D+6", report.summary())


def test_a_failing_record_leaves_nothing_behind(tmp_path):
    (tmp_path / "ok.pdf").write_bytes(b"%PDF-1.4 fake")
    run([record("first")])
    taken = imported("first").index_number
    Document = get_document_model()
    documents = Document.objects.count()
    pages = Page.objects.count()
    # fails on insert (a legacy 索引号 already used), after its attachment was stored
    report = run([record("second", index_number=taken, attachments=["ok.pdf"])], base_dir=tmp_path)
    assert report.failed == 1 and report.errors[0].line == 1
    assert Page.objects.count() == pages
    assert Document.objects.count() == documents
    assert not DisclosureItem.objects.filter(legacy_id="second").exists()


def test_index_numbers_continue_the_units_sequence_skip_taken_ones_and_leave_no_gap(
    monkeypatch,
):
    """Numbered per batch (one sequence read per year), exactly as publication numbers."""
    org = unit().org_code
    sequence = IndexNumberSequence.objects.filter(org_code=org, year=2019).first()
    last = sequence.last if sequence else 0

    def number(n):
        return f"{org}/2019-{last + n:05d}"

    original_log = importing.log

    def failing_log(instance, **kwargs):  # fails after its number was handed out
        if instance.legacy_id == "boom":
            raise RuntimeError("boom")
        return original_log(instance, **kwargs)

    monkeypatch.setattr(importing, "log", failing_log)
    report = run(
        [
            record("n1"),
            record("n2", index_number=number(2)),  # a legacy 索引号 ahead of the sequence
            record("n3"),
            record("boom"),
            record("n4"),
        ]
    )
    assert report.created == 4 and report.failed == 1
    assert [imported(i).index_number for i in ("n1", "n2", "n3", "n4")] == [
        number(1),
        number(2),
        number(3),  # 2 was taken: skipped, as publication skips it
        number(4),  # the failed record's number is not lost
    ]
    assert IndexNumberSequence.objects.get(org_code=org, year=2019).last == last + 4
    # an ordinary publication continues the same sequence
    page = add_item(PolicyDocumentPage, "fgw", slug="after-import")
    page.refresh_from_db()
    year = page.publish_date.year
    assert page.index_number.startswith(f"{org}/{year}-")
    if year == 2019:
        assert page.index_number == number(5)


def test_the_bulk_reference_index_matches_wagtails_own(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 a")
    run([record("ref1", attachments=["a.pdf"])], base_dir=tmp_path)
    page = imported("ref1")

    mine = {"object_id": str(page.pk), "base_content_type": page.get_base_content_type()}

    def rows():
        return set(
            ReferenceIndex.objects.filter(**mine).values_list(
                "content_type",
                "base_content_type",
                "to_content_type",
                "to_object_id",
                "model_path",
                "content_path",
                "content_path_hash",
            )
        )

    bulk = rows()
    assert any(row[4].startswith("attachments.") for row in bulk)
    ReferenceIndex.objects.filter(**mine).delete()
    ReferenceIndex.create_or_update_for_object(page)
    assert rows() == bulk


def test_attachments_outside_the_folder_or_of_disallowed_types_are_refused(tmp_path):
    (tmp_path / "script.exe").write_bytes(b"MZ")
    report = run(
        [
            record("a1", attachments=["../etc/passwd"]),
            record("a2", attachments=["script.exe"]),
            record("a3", attachments=["/etc/hostname"]),
        ],
        base_dir=tmp_path,
    )
    assert report.failed == 3 and report.created == 0


def test_html_bodies_are_sanitised():
    body = (
        '<h1>标题</h1><p onclick="steal()">正文<script>alert("x")</script></p>'
        '<a href="javascript:alert(1)">链接</a><a href="https://www.hegang.gov.cn/">官网</a>'
        "<style>p{}</style><iframe src='https://evil.example'></iframe>"
        "<table><tr><td>项目</td><td>金额</td></tr></table><img src=x onerror=alert(1)>"
    )
    run([record("h1", body=body)])
    html = imported("h1").body.raw_data[0]["value"]
    for bad in ("<script", "alert", "onclick", "onerror", "javascript:", "<iframe", "<style"):
        assert bad not in html
    assert "正文" in html and "<h2>标题</h2>" in html
    assert '<a href="https://www.hegang.gov.cn/">官网</a>' in html
    assert "项目" in html and "金额" in html


def test_plain_text_bodies_are_escaped_paragraphs():
    run([record("e1", body="第一行 a<b & c\n\n第二行 2 > 1")])
    html = imported("e1").body.raw_data[0]["value"]
    assert html == "<p>第一行 a&lt;b &amp; c</p><p>第二行 2 &gt; 1</p>"


def test_sanitise_html_keeps_only_rich_text_features():
    assert sanitise_html('<p style="color:red">x</p>') == "<p>x</p>"
    assert "<script" not in sanitise_html("<div><script>1</script>y</div>")


# --- attachments -----------------------------------------------------------------------


def test_attachments_are_stored_in_the_units_collection_and_reused(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "附件1.pdf").write_bytes(b"%PDF-1.4 demo")
    with zipfile.ZipFile(files / "申请表.docx", "w") as package:  # a real (tiny) Word file
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document>申请表</w:document>")
    line = record(
        "att1", attachments=["files/附件1.pdf", {"path": "files/申请表.docx", "title": "申请表"}]
    )
    path = write_jsonl(tmp_path / "legacy.jsonl", [line])
    import_file(path, unit())
    page = imported("att1")
    documents = [block.value["document"] for block in page.attachments]
    assert [doc.title for doc in documents] == ["附件1", "申请表"]
    assert {doc.collection_id for doc in documents} == {unit().collection_id}
    assert all(doc.file_hash and doc.file_size for doc in documents)
    # the usage of each document is known (reference index filled by the bulk pass)
    assert all(ReferenceIndex.get_references_to(doc).exists() for doc in documents)

    Document = get_document_model()
    count = Document.objects.count()
    again = import_file(path, unit())
    assert again.unchanged == 1 and Document.objects.count() == count


# --- the command -----------------------------------------------------------------------


def test_the_command_imports_and_prints_a_summary(tmp_path, capsys):
    path = write_jsonl(tmp_path / "legacy.jsonl", [record("cmd1"), "{oops"])
    call_command("import_disclosures", str(path), unit="czj")
    captured = capsys.readouterr()
    # created, updated, unchanged, held for review, failed
    assert re.search(r"1\D+0\D+0\D+0\D+1\D", captured.out)
    assert "2" in captured.err  # the bad line's number
    assert imported("cmd1").unit.slug == "czj"


def test_the_command_refuses_an_unknown_unit_or_file(tmp_path):
    path = write_jsonl(tmp_path / "legacy.jsonl", [record("x")])
    with pytest.raises(CommandError):
        call_command("import_disclosures", str(path), unit="no-such-unit")
    with pytest.raises(CommandError):
        call_command("import_disclosures", str(tmp_path / "absent.jsonl"), unit="fgw")
    assert not DisclosureItem.objects.filter(legacy_id="x").exists()


# --- deferred indexing -----------------------------------------------------------------


def test_saves_outside_an_import_are_still_indexed_at_once():
    with deferred_indexing():
        pass  # installs the gate
    page = add_item(NewsPage, "fgw", title="导入之后的常规发布")
    found = DisclosureItem.objects.live().search("导入之后的常规发布")
    assert page.pk in [item.pk for item in found]


# --- demo content ----------------------------------------------------------------------


def test_demo_content_has_a_live_item_of_every_typed_page_model_and_is_idempotent(client):
    load_demo_content(log=lambda *args: None)
    counts = {model: model.objects.live().count() for model in TYPED_PAGE_MODELS}
    assert all(counts.values()), [model.__name__ for model, n in counts.items() if not n]
    browser = Browser(client)
    for model in TYPED_PAGE_MODELS:  # each is served on its unit's site
        item = model.objects.live().order_by("pk").first()
        assert browser.get(item.full_url).status_code == 200, item.full_url
        assert item.title in browser.html
    pages = Page.objects.count()
    documents = get_document_model().objects.count()
    load_demo_content(log=lambda *args: None)
    assert Page.objects.count() == pages
    assert get_document_model().objects.count() == documents

    repealed = PolicyDocumentPage.objects.get(slug="dbssbf-2019")
    assert repealed.validity == "repealed" and repealed.successor.live
    assert NewsPage.objects.live().filter(unit__slug="xiangyang").exists()
    assert DisclosureItem.objects.live().filter(on_portal=True).exists()
    form = FormDownloadPage.objects.live().get(slug="zfxxgk-sqb")
    document = form.attachments[0].value["document"]
    assert document.file_extension == "docx" and document.collection == form.unit.collection


# --- hostile and broken input (issue 18, finding 9) -------------------------------------


def test_a_line_that_is_not_utf8_is_reported_by_number_and_the_others_go_in(tmp_path):
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(
        "\ufeff".encode()
        + record("u1").encode()
        + b"\n"
        + b'{"id": "gbk", "title": "'
        + "鹤岗市通知".encode("gbk")
        + b'"}\n'
        + record("u2").encode()
        + b"\n"
    )
    report = import_file(path, unit())
    assert (report.created, report.failed) == (2, 1)
    assert report.errors[0].line == 2 and "UTF-8" in report.errors[0].message
    assert DisclosureItem.objects.filter(legacy_id__in=["u1", "u2"]).count() == 2


def test_a_deeply_nested_line_is_an_error_not_a_crash():
    report = run([record("n1"), "[" * 100_000 + "]" * 100_000, record("n2")])
    assert (report.created, report.failed) == (2, 1)
    assert report.errors[0].line == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "鹤岗市通知\u0000"},
        {"issuer": "鹤岗市\u0008人民政府"},
        {"body": "第一段\u000b第二段"},
        {"summary": "摘要\u001f"},
        {"title": "鹤岗市通知\ud800"},
    ],
)
def test_control_characters_are_refused_with_the_field_named(fields):
    report = run([record("ctl", **fields)])
    assert report.failed == 1 and report.created == 0
    assert next(iter(fields)) in report.errors[0].message
    assert not DisclosureItem.objects.filter(legacy_id="ctl").exists()


def test_a_stray_control_character_does_not_break_the_units_feed(client):
    item = add_item(NewsPage, "fgw", title="带控制字符\u000b的标题", summary="摘要\u0001")
    catalogue = item.get_parent().get_parent()
    response = client.get(catalogue.url + "feed/")
    assert response.status_code == 200
    assert "带控制字符的标题" in response.content.decode()


@pytest.mark.parametrize("date", ["0001-01-01", "1899-12-31", "9999-12-31", "2999-01-01"])
def test_dates_out_of_range_are_refused(date):
    report = run([record("d1", date=date)])
    assert report.failed == 1
    assert date in report.errors[0].message and "1900" in report.errors[0].message


def test_an_attachment_whose_content_is_not_what_its_name_says_is_refused(tmp_path):
    (tmp_path / "通知.pdf").write_bytes(b"<html><script>alert(1)</script></html>")
    (tmp_path / "ok.pdf").write_bytes(b"%PDF-1.4 fake")
    documents = get_document_model().objects.count()
    report = run(
        [record("h1", attachments=["通知.pdf"]), record("h2", attachments=["ok.pdf"])],
        base_dir=tmp_path,
    )
    assert (report.created, report.failed) == (1, 1)
    assert "通知.pdf" in report.errors[0].message
    assert get_document_model().objects.count() == documents + 1


# --- screening of imported records ------------------------------------------------------


PERSONAL = "联系人：张三，手机13812345678，身份证号码110101199003077578。"


def test_a_record_with_personal_data_lands_as_a_draft_submitted_for_review(client):
    from review.models import ScreeningReport

    report = run([record("pii1", body=f"第一段。\n{PERSONAL}"), record("clean1")])
    assert (report.created, report.held, report.failed) == (1, 1, 0)
    warning = next(issue for issue in report.warnings if issue.legacy_id == "pii1")
    assert "138****5678" in warning.message and "13812345678" not in warning.message
    page = imported("pii1")
    assert not page.live and page.has_unpublished_changes
    assert page.live_revision is None and page.index_number is None
    assert WorkflowState.objects.for_instance(page).exists()  # submitted to the workflow
    findings = ScreeningReport.objects.filter(page=page).first()
    assert findings is not None and findings.findings  # shown to editor and reviewers
    assert client.get(page.url).status_code == 404
    assert imported("clean1").live


def test_an_update_with_personal_data_stays_a_draft_and_the_live_version_stays(client):
    run([record("pii2", title="鹤岗市关于测试事项的通知")])
    live_title = imported("pii2").title
    report = run([record("pii2", title="鹤岗市关于测试事项的通知（修订）", body=PERSONAL)])
    assert report.held == 1 and report.updated == 0
    page = imported("pii2")
    assert page.live and page.title == live_title
    assert page.has_unpublished_changes
    assert "13812345678" in json.dumps(page.get_latest_revision().content, ensure_ascii=False)
    assert "13812345678" not in client.get(page.url).content.decode()
