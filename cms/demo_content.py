"""Demo disclosure content for the Hegang demo units (run after `cms.demo.load_demo`).

`load_demo_content()` (a) imports the shared development corpus through the import service,
spread over units by issuer and category, and (b) publishes hand-made items of every typed
page model with realistic content. Calling it again creates nothing new: imported records are
matched by their legacy id, hand-made items by their slug in their column.
"""

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from disclosure_pages.importing import import_lines
from disclosure_pages.models import (
    CatalogueClassPage,
    CatalogueIndexPage,
    EmergencyPage,
    EnforcementResultPage,
    FaqPage,
    FeeItemPage,
    FormDownloadPage,
    GeneralItemPage,
    Genre,
    InterpretationForm,
    InterpretationPage,
    LandCompensationPage,
    NewsPage,
    OrganisationPage,
    PlanPage,
    PolicyDocumentPage,
    PowerItemPage,
    PowerType,
    ProcurementPage,
    RecruitmentPage,
    ReliefFundsPage,
    ServiceGuidePage,
    Validity,
)
from unit_sites.models import UnitPage


def corpus_path():
    return Path(settings.BASE_DIR).parent / "shared" / "corpus" / "dev.jsonl"


# --- (a) the corpus --------------------------------------------------------------------

# Where a corpus document goes when its issuer does not decide it (see demo_unit_for).
CATEGORY_UNITS = {
    "规划计划": "fgw",
    "财政资金": "czj",
    "人事信息": "rsj",
    "行政执法": "sfj",
    "行政权力": "zrzyj",
    "法规文件": "sfj",
    "办事指南": "gaj",
    "表格下载": "zwgkb",
    "政府职能": "zwgkb",
    "问题解答": "zwgkb",
    "工作动态": "zwgkb",
}


def demo_unit_for(record):
    """State Council and city government documents on the portal, the city government
    office's own on its section, national departments' rules with the matching city
    department, the rest by category."""
    issuer = record.get("issuer") or ""
    category = record.get("category") or record.get("category_hint") or ""
    if issuer.startswith("鹤岗市人民政府办公室"):
        return "zwgkb"
    if issuer.startswith(("国务院", "鹤岗市人民政府")):
        return "hegang"
    if "市场监督管理" in issuer:
        return "scjgj"
    if issuer.startswith("公安部"):
        return "gaj"
    return CATEGORY_UNITS.get(category, "zwgkb")


def import_corpus(log=print):
    path = corpus_path()
    if not path.is_file():
        log(f"Demo corpus not found at {path}: skipped.")
        return None
    by_unit = {}
    with open(path, encoding="utf-8") as handle:
        for text in handle:
            if text.strip():
                by_unit.setdefault(demo_unit_for(json.loads(text)), []).append(text)
    totals = {"created": 0, "updated": 0, "unchanged": 0, "held": 0, "failed": 0}
    for slug, lines in by_unit.items():
        unit = UnitPage.objects.get(slug=slug)
        report = import_lines(lines, unit, base_dir=path.parent)
        for issue in report.errors:
            log(f"{slug}: {issue}")
        for key in totals:
            totals[key] += getattr(report, key)
    log(
        "Demo corpus: {created} created, {updated} updated, {unchanged} unchanged, "
        "{held} held for review, {failed} failed.".format(**totals)
    )
    return totals


# --- (b) hand-made items ---------------------------------------------------------------


def _column(unit_slug, class_code):
    unit = UnitPage.objects.get(slug=unit_slug)
    catalogue = CatalogueIndexPage.objects.child_of(unit).get()
    return CatalogueClassPage.objects.child_of(catalogue).get(node__code=class_code)


def _paragraphs(*texts):
    html = "".join(f"<p>{text}</p>" for text in texts)
    return [{"type": "paragraph", "value": html}]


def _stream(block_type, *values):
    return [{"type": block_type, "value": value} for value in values]


def _docx(title, lines):
    """A small but valid Word document (WordprocessingML in a zip), made here."""
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r></w:p>'
        for line in [title, *lines]
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paragraphs}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _document(unit_slug, title, filename, content):
    """A document in the unit's collection, made once."""
    Document = get_document_model()
    collection = UnitPage.objects.get(slug=unit_slug).collection
    document = Document.objects.filter(collection=collection, title=title).first()
    if document is None:
        document = Document(title=title, collection=collection)
        document.file.save(filename, ContentFile(content), save=False)
        document._set_document_file_metadata()
        document.save()
    return document


def _publish(model, unit_slug, slug, **fields):
    """Publish an item in its class column of the unit, unless it is already there."""
    column = _column(unit_slug, fields.pop("class_code", None) or model.catalogue_class_code)
    existing = Page.objects.child_of(column).filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    fields = {name: value() if callable(value) else value for name, value in fields.items()}
    page = model(slug=slug, **fields)
    column.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page, True


def _date(month, day):
    return datetime.date(2026, month, day)


def _items():
    """(model, unit slug, slug, fields) of the hand-made items, in publication order."""
    application_form = lambda: _document(  # noqa: E731 - made only when needed
        "zwgkb",
        "政府信息公开申请表（空白）",
        "zfxxgk-sqb.docx",
        _docx(
            "鹤岗市政府信息公开申请表",
            [
                "申请人信息：公民（姓名、证件名称、证件号码、联系电话、通信地址、电子邮箱）",
                "法人或者其他组织（名称、统一社会信用代码、法定代表人、联系人、联系电话）",
                "所需信息情况：所需信息的名称、文号或者便于行政机关查询的其他特征性描述",
                "获取信息的方式：纸质 / 电子邮件 / 光盘；信息的载体形式",
                "申请人签名或者盖章：            申请时间：    年  月  日",
            ],
        ),
    )
    land_notice = lambda: _document(  # noqa: E731
        "luobei",
        "萝北县2026年第一批次城镇建设用地征收补偿安置方案",
        "zdbc-2026-1.docx",
        _docx(
            "萝北县2026年第一批次城镇建设用地征收补偿安置方案",
            [
                "一、征收范围：凤翔镇东升村、新华村集体土地，共计12.6公顷。",
                "二、补偿标准：执行黑龙江省征地区片综合地价，耕地每亩4.2万元。",
                "三、安置方式：货币安置与社会保障相结合。",
                "四、异议途径：对补偿方案有异议的，可在公告之日起30日内向萝北县自然资源局提出。",
            ],
        ),
    )
    return [
        (
            OrganisationPage,
            "fgw",
            "jgzn",
            {
                "title": "鹤岗市发展和改革委员会机构职能",
                "genre": Genre.OTHER,
                "publish_date": _date(1, 6),
                "written_date": _date(1, 6),
                "formed_date": _date(1, 6),
                "summary": "市发改委的法定职责、领导分工、内设机构和联系方式。",
                "duties": (
                    "<p>（一）拟订并组织实施全市国民经济和社会发展战略、中长期规划和年度计划。</p>"
                    "<p>（二）提出加强和改善宏观调控的政策建议，监测预测预警宏观经济运行。</p>"
                    "<p>（三）负责全市投资综合管理，审批、核准、审核重大项目。</p>"
                    "<p>（四）推进全市重大区域战略实施和城镇化建设，统筹全市粮食和物资储备。</p>"
                ),
                "leaders": _stream(
                    "leader",
                    {
                        "name": "张志远",
                        "position": "党组书记、主任",
                        "responsibilities": "主持委党组和委机关全面工作。",
                        "photo": None,
                    },
                    {
                        "name": "李秀梅",
                        "position": "党组成员、副主任",
                        "responsibilities": "负责发展规划、国民经济综合、政策研究工作。",
                        "photo": None,
                    },
                    {
                        "name": "王建国",
                        "position": "党组成员、副主任",
                        "responsibilities": "负责固定资产投资、重大项目、招标投标管理工作。",
                        "photo": None,
                    },
                ),
                "internal_bodies": _stream(
                    "body",
                    {
                        "name": "办公室",
                        "duties": "负责机关日常运转、政务公开、安全保密等工作。",
                        "phone": "0468-3456701",
                    },
                    {
                        "name": "发展规划科",
                        "duties": "拟订全市国民经济和社会发展中长期规划。",
                        "phone": "0468-3456702",
                    },
                    {
                        "name": "固定资产投资科",
                        "duties": "负责全市固定资产投资综合管理和重大项目审批。",
                        "phone": "0468-3456703",
                    },
                ),
            },
        ),
        (
            PowerItemPage,
            "zrzyj",
            "jsydghxkz",
            {
                "title": "建设用地规划许可证核发",
                "genre": Genre.OTHER,
                "publish_date": _date(2, 10),
                "written_date": _date(2, 10),
                "formed_date": _date(2, 10),
                "power_type": PowerType.LICENSING,
                "item_code": "000152001000",
                "legal_basis": (
                    "《中华人民共和国城乡规划法》第三十七条、第三十八条；"
                    "《黑龙江省城乡规划条例》第三十五条。"
                ),
                "conditions": (
                    "1. 建设项目已取得批准、核准或者备案文件；\n"
                    "2. 以出让方式取得国有土地使用权的，已签订国有土地使用权出让合同；\n"
                    "3. 符合国土空间规划和规划条件。"
                ),
                "quantity_limit": "无数量限制",
                "procedure": "申请 → 受理 → 审查（含现场踏勘）→ 决定 → 送达",
                "time_limit": "法定20个工作日，承诺5个工作日",
                "materials": _stream(
                    "material",
                    {
                        "name": "建设用地规划许可证申请表",
                        "copies": "原件1份",
                        "note": "加盖建设单位公章",
                        "sample": None,
                    },
                    {
                        "name": "建设项目批准、核准或者备案文件",
                        "copies": "复印件1份",
                        "note": "",
                        "sample": None,
                    },
                    {
                        "name": "国有土地使用权出让合同",
                        "copies": "复印件1份",
                        "note": "出让方式取得土地的提供",
                        "sample": None,
                    },
                    {
                        "name": "1:500或1:1000地形图及用地红线图",
                        "copies": "电子版1份",
                        "note": "CGCS2000坐标系",
                        "sample": None,
                    },
                ),
                "decisions": "2026年已核发建设用地规划许可证17件。",
            },
        ),
        (
            FeeItemPage,
            "zrzyj",
            "bdcdjf",
            {
                "title": "不动产登记费",
                "genre": Genre.OTHER,
                "publish_date": _date(2, 12),
                "written_date": _date(2, 12),
                "formed_date": _date(2, 12),
                "basis": (
                    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》"
                    "（发改价格规〔2016〕2559号）"
                ),
                "standard": (
                    "住宅类不动产登记：每件80元；非住宅类不动产登记：每件550元。"
                    "证书工本费每本10元（第一本免收）。"
                ),
                "procedure": "登记机构在受理登记申请时一次性收取，开具财政票据。",
                "payer": "不动产登记申请人",
            },
        ),
        (
            ServiceGuidePage,
            "rsj",
            "shbzkbl",
            {
                "title": "社会保障卡申领办事指南",
                "genre": Genre.GUIDE,
                "publish_date": _date(3, 2),
                "written_date": _date(3, 2),
                "formed_date": _date(3, 2),
                "applicants": "在本市参加社会保险的人员",
                "conditions": "已在本市参加社会保险且未持有有效的第三代社会保障卡。",
                "materials": _stream(
                    "material",
                    {
                        "name": "居民身份证",
                        "copies": "原件",
                        "note": "未满16周岁可持户口簿",
                        "sample": None,
                    },
                    {
                        "name": "近期白底免冠证件照",
                        "copies": "电子照片1张",
                        "note": "可现场采集",
                        "sample": None,
                    },
                ),
                "procedure": "到合作银行网点或通过“黑龙江人社”APP提交申请 → 制卡 → 领卡并激活",
                "time_limit": "即时办结（现场制卡）",
                "fees": "不收费",
                "location": "鹤岗市政务服务中心一楼人社窗口",
                "hours": "工作日 8:30-11:30，13:30-17:00",
                "enquiry_phone": "0468-12333",
            },
        ),
        (
            EnforcementResultPage,
            "scjgj",
            "xzcf-2026-012",
            {
                "title": "鹤岗市某超市有限公司销售过期食品案行政处罚决定书",
                "genre": Genre.DECISION,
                "doc_number": "鹤市监处罚〔2026〕12号",
                "publish_date": _date(4, 8),
                "written_date": _date(4, 1),
                "formed_date": _date(4, 1),
                "case_number": "鹤市监处罚〔2026〕12号",
                "party": "鹤岗市某超市有限公司",
                "decision_type": "警告、没收违法所得、罚款",
                "decision_date": _date(4, 1),
                "basis": "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款",
                "result": (
                    "当事人销售超过保质期的预包装食品，货值金额1,260元。"
                    "决定：给予警告，没收违法所得386元，并处罚款50,000元。"
                ),
            },
        ),
        (
            PolicyDocumentPage,
            "hegang",
            "dbssbf-2026",
            {
                "title": "鹤岗市城乡居民最低生活保障实施办法",
                "genre": Genre.MEASURES,
                "doc_number": "鹤政规〔2026〕2号",
                "publish_date": _date(3, 20),
                "written_date": _date(3, 16),
                "formed_date": _date(3, 16),
                "is_normative": True,
                "effective_date": _date(5, 1),
                "expiry_date": datetime.date(2031, 4, 30),
                "summary": "明确城乡低保的申请条件、审核确认程序、保障标准和动态管理要求。",
                "body": _paragraphs(
                    "第一条 为规范城乡居民最低生活保障工作，根据《社会救助暂行办法》"
                    "《黑龙江省最低生活保障办法》等规定，结合本市实际，制定本办法。",
                    "第二条 持有本市户籍的城乡居民，共同生活的家庭成员人均收入低于当地"
                    "最低生活保障标准，且符合财产状况规定的，可以申请最低生活保障。",
                    "第三条 城市低保标准每人每月720元，农村低保标准每人每年6,240元，"
                    "由市民政局会同市财政局根据经济社会发展水平适时调整。",
                    "第四条 本办法自2026年5月1日起施行，有效期5年。",
                ),
            },
        ),
        (
            PlanPage,
            "fgw",
            "jh-2026",
            {
                "title": "鹤岗市2026年国民经济和社会发展计划",
                "genre": Genre.PLAN,
                "publish_date": _date(2, 5),
                "written_date": _date(1, 28),
                "formed_date": _date(1, 28),
                "plan_year": 2026,
                "summary": "2026年全市经济社会发展的主要预期目标和重点任务。",
                "goals": _stream(
                    "goal",
                    {
                        "goal": "地区生产总值增长5.5%左右",
                        "progress": 80,
                        "status": "前三季度增长5.6%",
                    },
                    {
                        "goal": "城镇新增就业1.2万人",
                        "progress": 92,
                        "status": "已完成1.1万人",
                    },
                    {
                        "goal": "完成老旧小区改造60个",
                        "progress": 65,
                        "status": "已开工52个，完工39个",
                    },
                    {"goal": "单位GDP能耗下降2.5%", "progress": 50, "status": "按进度推进"},
                ),
            },
        ),
        (
            ProcurementPage,
            "jyj",
            "zbgg-2026-031",
            {
                "title": "鹤岗市第一中学智慧教室设备采购项目中标公告",
                "genre": Genre.ANNOUNCEMENT,
                "doc_number": "HGZC-2026-031",
                "publish_date": _date(6, 18),
                "written_date": _date(6, 18),
                "formed_date": _date(6, 18),
                "project_name": "鹤岗市第一中学智慧教室设备采购项目",
                "method": "公开招标",
                "budget": Decimal("1860000.00"),
                "supplier": "黑龙江某某科技有限公司",
                "amount": Decimal("1718500.00"),
            },
        ),
        (
            RecruitmentPage,
            "rsj",
            "gwyly-2026",
            {
                "title": "鹤岗市2026年考试录用公务员公告",
                "genre": Genre.ANNOUNCEMENT,
                "publish_date": _date(3, 10),
                "written_date": _date(3, 9),
                "formed_date": _date(3, 9),
                "application_deadline": _date(3, 24),
                "summary": "全市各级机关计划考试录用公务员86名，报名采取网络报名方式。",
                "positions": _stream(
                    "position",
                    {
                        "title": "市财政局预算科一级科员",
                        "number": 2,
                        "requirements": "本科及以上学历，财政学、会计学专业",
                    },
                    {
                        "title": "萝北县乡镇机关综合管理岗",
                        "number": 6,
                        "requirements": "大专及以上学历，专业不限，服务期5年",
                    },
                    {
                        "title": "市市场监督管理局执法岗",
                        "number": 3,
                        "requirements": "本科及以上学历，法学、食品科学与工程专业",
                    },
                ),
            },
        ),
        (
            LandCompensationPage,
            "luobei",
            "zdbc-2026-1",
            {
                "title": "萝北县2026年第一批次城镇建设用地征收补偿安置公告",
                "genre": Genre.ANNOUNCEMENT,
                "doc_number": "萝政征告〔2026〕1号",
                "publish_date": _date(5, 12),
                "written_date": _date(5, 10),
                "formed_date": _date(5, 10),
                "location": "凤翔镇东升村、新华村",
                "area": "12.6公顷",
                "compensation_standard": (
                    "执行黑龙江省征地区片综合地价：耕地每亩4.2万元，其他农用地每亩2.1万元；"
                    "地上附着物和青苗按县政府规定标准另行补偿。"
                ),
                "amount_paid": Decimal("7938000.00"),
                "attachments": lambda: _stream(
                    "attachment", {"document": land_notice().pk, "title": ""}
                ),
            },
        ),
        (
            EmergencyPage,
            "hegang",
            "fx-iv-2026",
            {
                "title": "鹤岗市防汛抗旱指挥部关于启动防汛Ⅳ级应急响应的通告",
                "genre": Genre.BULLETIN,
                "publish_date": _date(7, 22),
                "written_date": _date(7, 22),
                "formed_date": _date(7, 22),
                "on_portal": True,
                "event_type": "汛情",
                "level": "Ⅳ级",
                "occurred_at": timezone.make_aware(datetime.datetime(2026, 7, 22, 16, 0)),
                "response": (
                    "受强降雨影响，松花江鹤岗段水位持续上涨。市防汛抗旱指挥部决定自"
                    "7月22日16时起启动防汛Ⅳ级应急响应。各区县、各成员单位立即进入应急状态，"
                    "加强巡堤查险，及时转移危险区域群众。"
                ),
            },
        ),
        (
            ReliefFundsPage,
            "suibin-mzj",
            "db-2026-q1",
            {
                "title": "绥滨县2026年第一季度城乡低保资金发放情况公示",
                "genre": Genre.ANNOUNCEMENT,
                "publish_date": _date(4, 10),
                "written_date": _date(4, 8),
                "formed_date": _date(4, 8),
                "source": "中央和省级困难群众救助补助资金、县级配套资金",
                "amount": Decimal("3265400.00"),
                "distribution": (
                    "城市低保1,032户1,588人，发放资金1,142,640元；"
                    "农村低保2,417户3,706人，发放资金2,122,760元。资金已通过“一卡通”发放到户。"
                ),
            },
        ),
        (
            NewsPage,
            "xiangyang",
            "zwgkr-2026",
            {
                "title": "向阳区开展“政务公开日”活动",
                "genre": Genre.NEWS,
                "publish_date": _date(5, 15),
                "written_date": _date(5, 15),
                "formed_date": _date(5, 15),
                "body": _paragraphs(
                    "5月15日，向阳区在政务服务中心开展“政务公开日”活动，"
                    "邀请20余名群众代表走进政府部门，面对面了解医保、低保、不动产登记等政策。",
                    "活动现场设置政策咨询台，发放政策解读材料600余份，收集意见建议31条，"
                    "已全部转交相关部门办理并将在30日内答复。",
                ),
            },
        ),
        (
            FaqPage,
            "rsj",
            "lhjy-ylbx",
            {
                "title": "灵活就业人员如何参加职工基本养老保险？",
                "genre": Genre.OTHER,
                "publish_date": _date(3, 30),
                "written_date": _date(3, 30),
                "formed_date": _date(3, 30),
                "question": "灵活就业人员如何参加职工基本养老保险？",
                "answer": (
                    "<p>本市户籍及在本市就业的外地户籍灵活就业人员，可持居民身份证到"
                    "市社会保险事业中心窗口或通过“黑龙江人社”APP办理参保登记。</p>"
                    "<p>缴费基数可在全省上年度全口径城镇单位就业人员平均工资的60%至300%之间"
                    "自行选择，缴费比例为20%。</p>"
                ),
            },
        ),
        (
            FormDownloadPage,
            "zwgkb",
            "zfxxgk-sqb",
            {
                "title": "政府信息公开申请表",
                "genre": Genre.OTHER,
                "publish_date": _date(1, 10),
                "written_date": _date(1, 10),
                "formed_date": _date(1, 10),
                "instructions": (
                    "请用黑色钢笔或签字笔填写，内容应真实准确。"
                    "所需信息的描述应尽量详细，以便行政机关查找。"
                    "填写完毕后可当面提交、邮寄或发送电子邮件至各单位政务公开办。"
                ),
                "attachments": lambda: _stream(
                    "attachment", {"document": application_form().pk, "title": ""}
                ),
            },
        ),
        (
            GeneralItemPage,
            "zwgkb",
            "zwgk-yd-2026",
            {
                "title": "鹤岗市2026年政务公开工作要点",
                "genre": Genre.NOTICE,
                "class_code": "gzdt",
                "publish_date": _date(3, 5),
                "written_date": _date(3, 3),
                "formed_date": _date(3, 3),
                "body": _paragraphs(
                    "一、围绕优化营商环境加大政策公开力度，涉企政策集中公开、精准推送。",
                    "二、深化基层政务公开标准化规范化建设，县区和乡镇全面完成目录编制。",
                    "三、做好依申请公开工作，严格在法定期限内答复，规范答复文书。",
                    "四、加强政府网站和政务新媒体管理，确保信息发布及时准确。",
                ),
            },
        ),
    ]


def create_hand_made_items(log=print):
    created = 0
    for model, unit_slug, slug, fields in _items():
        _page, made = _publish(model, unit_slug, slug, **fields)
        created += made
    # A repealed predecessor of the low-income support measures, linked to its successor.
    successor = _column("hegang", "zcfg").get_children().get(slug="dbssbf-2026").specific
    _page, made = _publish(
        PolicyDocumentPage,
        "hegang",
        "dbssbf-2019",
        title="鹤岗市城乡居民最低生活保障实施办法（2019年）",
        genre=Genre.MEASURES,
        doc_number="鹤政规〔2019〕5号",
        publish_date=datetime.date(2019, 6, 12),
        written_date=datetime.date(2019, 6, 6),
        formed_date=datetime.date(2019, 6, 6),
        is_normative=True,
        effective_date=datetime.date(2019, 7, 1),
        validity=Validity.REPEALED,
        successor=successor,
        summary="已被《鹤岗市城乡居民最低生活保障实施办法》（鹤政规〔2026〕2号）废止。",
        body=_paragraphs(
            "第一条 为保障城乡困难群众基本生活，制定本办法。",
            "第二条 城市低保标准每人每月610元，农村低保标准每人每年4,800元。",
        ),
    )
    created += made
    # Its 政策解读, published with it (a 规范性文件 without one is flagged by the inspection).
    _page, made = _publish(
        InterpretationPage,
        "hegang",
        "dbssbf-2026-jd",
        title="图解：《鹤岗市城乡居民最低生活保障实施办法》",
        form=InterpretationForm.GRAPHIC,
        documents=[successor],
        publish_date=_date(3, 20),
        written_date=_date(3, 18),
        formed_date=_date(3, 18),
        summary="一图读懂城乡低保的申请条件、办理流程和保障标准。",
        body=_paragraphs(
            "一、谁可以申请：持有本市户籍、家庭人均收入低于当地低保标准且符合财产状况规定的城乡居民。",
            "二、保障标准：城市每人每月720元，农村每人每年6,240元。",
            "三、怎么申请：向户籍所在地乡镇人民政府（街道办事处）提出书面申请。",
        ),
    )
    created += made
    log(f"Demo items: {created} created.")
    return created


def load_demo_content(log=print):
    """Import the corpus and publish the hand-made items (idempotent)."""
    with transaction.atomic():
        create_hand_made_items(log=log)
    import_corpus(log=log)
