"""Automatic screening: a labelled set of texts measured for precision and recall, masking, and
text extraction from attachments built here (PDF, DOCX, XLSX, TXT).

The labelled cases were written with the rules in mind, tricky negatives included; the numbers
say the rules do what `review/screening.py` documents, not how they fare on real documents.
ID and card numbers are generated with their check digits computed here, independently of the
code under test.
"""

import io
import zipfile
from collections import Counter

import pytest
from django.utils import translation
from openpyxl import Workbook

from review.extraction import extract_text, sniff_type
from review.screening import (
    Kind,
    mask,
    mask_name,
    screen_attachment,
    screen_document,
    screen_text,
)

# --- generators (independent of the code under test) ---------------------------------------


def gb11643(first17):
    """A resident ID number completed with its GB 11643 check character."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(digit) * weight for digit, weight in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def luhn(prefix):
    """A card number completed with its Luhn check digit."""
    for check in "0123456789":
        digits = [int(d) for d in prefix + check][::-1]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)
        )
        if total % 10 == 0:
            return prefix + check
    raise AssertionError("unreachable")


def wrong_last(number):
    last = number[-1]
    return number[:-1] + ("1" if last in "0X" else "0")


def id_ending(first14, want_x):
    """An ID number for region+birth `first14` whose check character is (or is not) X."""
    for sequence in range(100, 1000):
        number = gb11643(f"{first14}{sequence}")
        if (number[-1] == "X") == want_x:
            return number
    raise AssertionError("unreachable")


ID_HEGANG = id_ending("23040419850312", want_x=False)  # 向阳区, born 12 Mar 1985
ID_LUOBEI = id_ending("23042119920715", want_x=False)
ID_SHENZHEN = id_ending("44030620010101", want_x=False)
ID_WITH_X = id_ending("23040319770505", want_x=True)
ID_HONG_KONG = id_ending("81000019880808", want_x=False)  # residence permit for HK residents
ID_OLD = id_ending("11010519191231", want_x=False)
ID_WRONG_CHECK = wrong_last(ID_HEGANG)
ID_BAD_DATE = gb11643("23040419851332001")  # month 13: valid checksum, impossible date
ID_FUTURE = gb11643("23040420990101001")
ID_BAD_PROVINCE = gb11643("99040419850312001")
ID_SHAPED_CREDIT_CODE = gb11643("12230419800101002")  # all digits, as a credit code can be

CARD_19 = luhn("622202123456789012")
CARD_16 = luhn("622848001234567")
CARD_VISA = luhn("436742123456789")
CARD_ICBC = luhn("955880123456789012")
CARD_JCB = luhn("356889001234567")
CARD_BAD = wrong_last(CARD_19)
CARD_STARTS_2 = luhn("202603151230451")  # a timestamp-like run: cards do not start with 2


def grouped(number, size=4, sep=" "):
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


C, ID, MOB, CARD, PEOPLE = (
    Kind.CLASSIFICATION.value,
    Kind.ID_NUMBER.value,
    Kind.MOBILE.value,
    Kind.BANK_CARD.value,
    Kind.PERSON_ADDRESS.value,
)

PEOPLE_TABLE = (
    "序号\t姓名\t性别\t家庭住址\n"
    "1\t张伟\t男\t鹤岗市向阳区光明街12号\n"
    "2\t李娜\t女\t鹤岗市工农区红旗路3号2单元501室\n"
    "3\t王芳\t女\t萝北县名山镇江边村"
)

CASES = [
    # --- classification markings: positives
    ("机密★1年\n鹤岗市人民政府关于印发2026年重点工作的通知", {C}),
    ("秘密★\n关于做好防汛工作的通知", {C}),
    ("绝密★长期\n会议纪要", {C}),
    ("000123\n机密★5年\n特急\n鹤岗市人民政府文件", {C}),
    ("秘密\n鹤岗市财政局关于下达资金的通知", {C}),
    ("内部\n局务会议纪要（第3期）", {C}),
    ("内部资料 注意保存\n2026年工作要点", {C}),
    ("涉密文件\n关于专项工作的请示", {C}),
    ("密级：秘密    保密期限：1年\n关于……的报告", {C}),
    ("【内部】\n领导讲话稿", {C}),
    ("（秘密）\n工作方案", {C}),
    ("机密级\n关于调整人事安排的请示", {C}),
    ("秘密★6个月\n关于……的通报", {C}),
    ("会议纪要\n（内部★）\n一、会议听取了……", {C}),
    (full_width("机密★1年") + "\n关于……", {C}),
    ("鹤岗市人民政府办公室\n秘密  特急\n关于……", {C}),
    ("秘密 鹤岗市人民政府文件\n鹤政发〔2026〕3号", {C}),
    ("一、总体要求\n……\n附件1\n内部资料，不得外传\n二、重点任务", {C}),
    ("000001 秘密★1年\n鹤岗市应急管理局", {C}),
    ("绝密☆10年\n作战预案", {C}),
    ("报告正文：本报告（秘密★1年）仅供领导参阅。", {C}),
    ("涉密\n工作台账", {C}),
    # --- classification markings: negatives (prose, quotations, other words)
    ("各单位要严格保守国家秘密，依法保护商业秘密和个人隐私。", set()),
    ("涉及商业秘密、个人隐私的政府信息，行政机关不得公开。", set()),
    ("加强内部控制，完善内部审计制度，规范内部管理。", set()),
    ("内部管理制度汇编", set()),
    ("一、内部控制\n二、内部审计\n三、内部管理", set()),
    ("涉密人员应当遵守保密纪律，不得在非涉密计算机上处理涉密信息。", set()),
    ("国家秘密的密级分为“绝密”“机密”“秘密”三级。", set()),
    ("文件首页左上角标注“秘密★1年”等字样。", set()),
    ("严禁在互联网上处理机密文件。", set()),
    ("保密期限届满的，自行解密。", set()),
    ("行政机关的内部事务信息，可以不予公开。", set()),
    ("机密文件要专人保管\n秘密文件要妥善保存", set()),
    ("密级：无\n关于开展植树活动的通知", set()),
    ("确定密级：绝密、机密、秘密，由定密责任人负责。", set()),
    ("保密工作领导小组会议", set()),
    ("内部审计\n内部控制评价报告", set()),
    ("秘密配方受法律保护，侵犯商业秘密的依法处理。", set()),
    ("第十四条 依法确定为国家秘密的政府信息，不予公开。", set()),
    # --- resident ID numbers: positives
    (f"申请人身份证号：{ID_HEGANG}，联系地址见附件。", {ID}),
    (f"公民身份号码 {ID_WITH_X}", {ID}),
    (f"身份证号码：{ID_WITH_X.lower()}", {ID}),
    (f"{ID_LUOBEI}", {ID}),
    (f"法定代表人王某，身份证{ID_SHENZHEN}。", {ID}),
    (f"港澳居民居住证 {ID_HONG_KONG}", {ID}),
    (f"张某（{ID_OLD}）", {ID}),
    (f"身份证号：{full_width(ID_HEGANG)}", {ID}),
    (f"序号\t证件号码\n1\t{ID_LUOBEI}\n2\t{ID_SHENZHEN}", {ID}),
    (f"统一社会信用代码：91230400MA1B2C3D4E，负责人身份证{ID_HEGANG}", {ID}),
    (f"经查，{ID_HEGANG}号码持有人未按期申报。", {ID}),
    (f"身份证编号：{ID_LUOBEI}", {ID}),
    (f"证件号码：{ID_HEGANG[:6]} {ID_HEGANG[6:14]} {ID_HEGANG[14:]}", {ID}),
    (f"证件号码：{ID_WRONG_CHECK[:6]} {ID_WRONG_CHECK[6:14]} {ID_WRONG_CHECK[14:]}", set()),
    (f"社会保障卡号 {ID_SHENZHEN}", {ID}),
    # --- ID-shaped numbers that are not IDs
    (f"身份证号：{ID_WRONG_CHECK}", set()),
    (f"编号 {ID_BAD_DATE}", set()),
    (f"证件号 {ID_BAD_DATE}", set()),
    (f"证件号 {ID_FUTURE}", set()),
    (f"证件号 {ID_BAD_PROVINCE}", set()),
    (f"依据鹤政发〔2025〕{ID_HEGANG}号文件执行。", set()),
    ("依据鹤政发〔2025〕4号文件执行。", set()),
    ("索引号：11230400MB1234567X/2026-00042", set()),
    (f"索引号：{ID_SHAPED_CREDIT_CODE}/2026-00042", set()),
    (f"{ID_SHAPED_CREDIT_CODE}/2026-00107", set()),
    (f"统一社会信用代码：{ID_SHAPED_CREDIT_CODE}", set()),
    (f"订单编号：{ID_HEGANG}", set()),
    (f"流水号9{ID_HEGANG}", set()),
    (f"{ID_HEGANG}7", set()),
    (f"项目代码 {ID_LUOBEI}，总投资5000万元。", set()),
    # --- mobile numbers: positives
    ("联系人：王老师，电话13812345678。", {MOB}),
    ("咨询电话：159 4568 9012（工作日）", {MOB}),
    ("手机：186-0468-1234", {MOB}),
    ("请联系 +86 139 4681 2345", {MOB}),
    ("+8613945678901", {MOB}),
    ("联系电话：0468-3456789，13904681234", {MOB}),
    ("张某，手机号17745678901，住向阳区。", {MOB}),
    ("13812345678 户主张某", {MOB}),
    (f"手机：{full_width('15004681234')}", {MOB}),
    ("值班电话：19904681234/0468-3456789", {MOB}),
    # --- numbers that are not mobile numbers
    ("办公电话：0468-1234567", set()),
    ("传真：0468-12345678", set()),
    ("服务热线：400-123-4567，政务服务便民热线12345。", set()),
    ("（0468）3456789", set()),
    ("编号12345678901", set()),
    ("订单号013812345678", set()),
    ("流水号138123456789", set()),
    ("项目总投资13900000000元。", set()),
    ("共计13912345678.50元", set()),
    ("¥13812345678", set()),
    ("2026年10月1日至2026-10-08，20261008前报送。", set()),
    ("人口138万人，比上年增长1.3%。", set()),
    ("邮政编码：154100", set()),
    # --- bank cards: positives
    (f"开户行：中国工商银行鹤岗分行，卡号：{CARD_19}", {CARD}),
    (f"银行卡号 {grouped(CARD_16)}", {CARD}),
    (f"补贴发放至 {grouped(CARD_19)}", {CARD}),
    (f"账号：{CARD_VISA}", {CARD}),
    (f"{CARD_ICBC}", {CARD}),
    (f"卡号 {grouped(CARD_JCB, sep='-')}", {CARD}),
    # --- digit runs that are not cards
    (f"卡号：{CARD_BAD}", set()),
    (f"{CARD_STARTS_2}", set()),
    (f"流水号{CARD_19}1", set()),
    (f"合同编号：{CARD_16}", set()),
    (f"发票号码 {CARD_VISA}", set()),
    ("6222 0212 3456 7890 1234", set()),
    (f"身份证号 {ID_HEGANG} 与银行卡 {CARD_16}", {ID, CARD}),
    # --- lists of people with home addresses: positives
    (PEOPLE_TABLE, {PEOPLE}),
    ("低保对象公示\n刘洋 东方红乡红旗村\n陈静 东方红乡胜利村3组", {PEOPLE}),
    (
        "姓名：赵磊，住址：鹤岗市南山区富力小区5号楼3单元201室\n姓名：孙丽，住址：鹤岗市兴山区沟北路8号",
        {PEOPLE},
    ),
    (
        "1 周杰 13812345678 鹤岗市向阳区红军路15号\n2 吴敏 13945678901 鹤岗市东山区新华镇新华村",
        {PEOPLE, MOB},
    ),
    (
        f"1\t郑强\t{ID_HEGANG}\t鹤岗市向阳区光明街12号\n2\t冯雪\t{ID_LUOBEI}\t萝北县凤翔镇东胜村2组",
        {PEOPLE, ID},
    ),
    ("欧阳娜娜\t绥滨县绥滨镇建设街9号\n司马光明\t绥滨县忠仁镇忠仁村", {PEOPLE}),
    (
        f"1 郑强 {ID_HEGANG} 13812345678 光明街12号\n2 冯雪 {ID_LUOBEI} 13945678901 凤翔镇东胜村",
        {PEOPLE, ID, MOB},
    ),
    (f"户名 刘洋 卡号 {CARD_16} 13812345678", {CARD, MOB}),
    ("困难群众慰问名单\n何静，兴安区峻德路22号\n林涛，兴安区兴安路7号3栋", {PEOPLE}),
    ("经核实，赵刚，住向阳区光明街12号；钱进，住工农区红旗路3号；均符合条件。", {PEOPLE}),
    # --- lists that are not people's home addresses
    (
        "向阳区民政局\t联系人：张伟\t向阳区红军路12号\t0468-3456789\n"
        "工农区民政局\t联系人：李娜\t工农区红旗路3号\t0468-3456790",
        set(),
    ),
    ("当事人：张伟，住址：鹤岗市向阳区光明街12号。", set()),
    ("张某\t鹤岗市向阳区光明街12号\n李某某\t鹤岗市工农区红旗路3号", set()),
    ("表彰名单：张伟、李娜、王芳、刘洋", set()),
    ("办公地址：鹤岗市向阳区红军路12号\n邮寄地址：鹤岗市工农区红旗路3号", set()),
    ("负责人 张伟 地址 红军路12号\n负责人 李娜 地址 红旗路3号", set()),
    ("鹤岗市档案馆\t鹤岗市向阳区红军路12号\n鹤岗市图书馆\t鹤岗市工农区红旗路3号", set()),
    ("红军路12号至18号路段维修\n光明街3号门前施工", set()),
    ("向阳区民政局，地址：红军路12号；工农区民政局，地址：红旗路3号。", set()),
    (
        "受理地点：\n向阳区政务服务中心\t向阳区红军路12号\n工农区政务服务中心\t工农区红旗路3号",
        set(),
    ),
    # --- ordinary government texts: nothing to find
    ("鹤岗市人民政府关于印发《鹤岗市政府信息公开实施办法》的通知\n鹤政发〔2026〕12号", set()),
    ("2026年全市地区生产总值完成365.2亿元，同比增长5.6%。", set()),
    ("索引号：11230400MB1234567X/2026-00042  发布机构：鹤岗市人民政府办公室", set()),
    ("监督电话：0468-12345，邮箱：gongkai@hegang.gov.cn", set()),
    ("网址：http://www.hegang.gov.cn/art/2026/10/8/art_1234_56789.html", set()),
    ("本通知自2026年1月1日起施行，有效期5年。", set()),
    ("第十九条 对涉及公众利益调整的政府信息，行政机关应当主动公开。", set()),
    ("项目总投资2.35亿元，其中中央预算内投资8000万元。", set()),
    ("共受理申请136件，办结128件，结转下年8件。", set()),
    ("政务服务便民热线：12345，受理时间：周一至周五8:30-17:00。", set()),
]


def test_the_labelled_set_is_large_enough():
    assert len(CASES) >= 100
    kinds = Counter(kind for _text, expected in CASES for kind in expected)
    assert all(kinds[kind] >= 5 for kind in (C, ID, MOB, CARD, PEOPLE))
    assert sum(1 for _text, expected in CASES if not expected) >= 40


def test_precision_and_recall():
    counts = {kind: Counter() for kind in (C, ID, MOB, CARD, PEOPLE)}
    misses = []
    for text, expected in CASES:
        found = {finding.kind for finding in screen_text(text, "body")}
        if found != expected:
            misses.append((text, sorted(expected), sorted(found)))
        for kind, count in counts.items():
            count["tp"] += kind in found and kind in expected
            count["fp"] += kind in found and kind not in expected
            count["fn"] += kind not in found and kind in expected

    def ratio(part, whole):
        return part / whole if whole else 1.0

    total = sum(counts.values(), Counter())
    lines = [f"{'kind':<16}{'precision':>10}{'recall':>8}   tp fp fn"]
    for kind, count in [*counts.items(), ("overall", total)]:
        precision = ratio(count["tp"], count["tp"] + count["fp"])
        recall = ratio(count["tp"], count["tp"] + count["fn"])
        lines.append(
            f"{kind!s:<16}{precision:>10.3f}{recall:>8.3f}"
            f"   {count['tp']:>2} {count['fp']:>2} {count['fn']:>2}"
        )
    print(f"\nscreening on {len(CASES)} labelled cases\n" + "\n".join(lines))
    for miss in misses:
        print("MISMATCH", miss)
    assert ratio(total["tp"], total["tp"] + total["fp"]) >= 0.95
    assert ratio(total["tp"], total["tp"] + total["fn"]) >= 0.95


# --- findings, masking --------------------------------------------------------------------


def test_findings_locate_and_mask_the_value():
    text = f"身份证号：{ID_WITH_X}，手机{full_width('13812345678')}"
    id_finding, mobile = screen_text(text, "正文")
    assert (id_finding.where, id_finding.kind) == ("正文", "id_number")
    assert text[id_finding.start : id_finding.end] == ID_WITH_X
    assert id_finding.value_masked == ID_WITH_X[:4] + "*" * 10 + ID_WITH_X[-4:]
    assert text[mobile.start : mobile.end] == full_width("13812345678")
    assert mobile.value_masked == "138****5678"


def test_labels_are_chinese():
    with translation.override("zh-hans"):
        (finding,) = screen_text("秘密★1年", "标题")
        assert finding.label == "密级标志"
        assert finding.value_masked == "秘密★1年"  # a marking is not personal data


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("11010519491231002X", "1101**********002X"),
        ("6222021234567890123", "6222***********0123"),
        ("6228480012345678", "6228********5678"),
        ("12345678", "123***78"),
        ("12345", "1***5"),
        ("ab", "a*"),
    ],
)
def test_mask(value, masked):
    assert mask(value) == masked
    assert len(mask(value)) == len(value)


def test_mask_name_keeps_the_surname():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"


def test_no_masked_value_reveals_the_middle():
    for text, _expected in CASES:
        for finding in screen_text(text):
            if finding.kind in (ID, MOB, CARD):
                assert "*" * 4 in finding.value_masked


def test_people_list_finding_spans_the_rows():
    (finding,) = screen_text(PEOPLE_TABLE, "附件")
    assert finding.value_masked == "张*、李*、王*"
    assert PEOPLE_TABLE[finding.start : finding.end].startswith("1\t张伟")
    assert PEOPLE_TABLE[finding.start : finding.end].endswith("江边村")


def test_screen_document_keeps_each_field():
    findings = screen_document(
        {"标题": "关于……的通知", "正文": "联系电话13812345678", "备注": "机密★1年"}
    )
    assert [(f.where, f.kind) for f in findings] == [("正文", "mobile"), ("备注", "classification")]
    assert screen_document({"正文": ""}) == []


# --- attachments ----------------------------------------------------------------------------


def make_pdf(latin_lines=(), chinese_lines=()):
    """A one-page PDF written by hand: Helvetica for ASCII, STSong-Light (a standard CJK font,
    not embedded) with UTF-16 codes for Chinese, which pypdf maps back to text."""
    content, y = [], 800
    for line in latin_lines:
        content.append(f"BT /F1 12 Tf 50 {y} Td ({line}) Tj ET")
        y -= 20
    for line in chinese_lines:
        content.append(f"BT /F2 12 Tf 50 {y} Td <{line.encode('utf-16-be').hex()}> Tj ET")
        y -= 20
    stream = "\n".join(content).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
        b"/DescendantFonts [7 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(body_xml, header_xml=None):
    def part(root, inner):
        return f'<?xml version="1.0" encoding="UTF-8"?><w:{root} {WORD}>{inner}</w:{root}>'

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", part("document", f"<w:body>{body_xml}</w:body>"))
        if header_xml:
            package.writestr("word/header1.xml", part("hdr", header_xml))
    return out.getvalue()


def zip_of(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, content in files.items():
            package.writestr(name, content)
    return out.getvalue()


def para(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def row(*cells):
    return "<w:tr>" + "".join(f"<w:tc>{para(cell)}</w:tc>" for cell in cells) + "</w:tr>"


def test_pdf_text():
    data = make_pdf(["Tel 13812345678"], ["机密★1年", f"身份证号 {ID_HEGANG}"])
    assert sniff_type("通知.pdf", data) == "pdf"
    text = extract_text("通知.pdf", data)
    assert "机密★1年" in text and ID_HEGANG in text
    kinds = {finding.kind for finding in screen_attachment("通知.pdf", data)}
    assert kinds == {C, ID, MOB}


def test_docx_text_with_header_and_table():
    data = make_docx(
        para("关于发放补贴的公示")
        + "<w:tbl>"
        + row("1", "张伟", "鹤岗市向阳区光明街12号")
        + row("2", "李娜", "鹤岗市工农区红旗路3号")
        + "</w:tbl>"
        + para("联系电话：0468-3456789"),
        header_xml=para("秘密★1年"),
    )
    assert sniff_type("公示.docx", data) == "docx"
    text = extract_text("公示.docx", data)
    assert text.splitlines()[0] == "秘密★1年"  # the header comes first
    assert "1\t张伟\t鹤岗市向阳区光明街12号" in text.splitlines()
    findings = screen_attachment("公示.docx", data)
    assert {finding.kind for finding in findings} == {C, PEOPLE}
    assert {finding.where for finding in findings} == {"公示.docx"}


def test_xlsx_text():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["姓名", "身份证号", "手机"])
    sheet.append(["王芳", ID_WITH_X, 13812345678])  # a phone typed as a number
    sheet.append(["刘洋", ID_LUOBEI, 15945678901.0])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    assert sniff_type("名单.xlsx", data) == "xlsx"
    text = extract_text("名单.xlsx", data)
    assert f"王芳\t{ID_WITH_X}\t13812345678" in text
    assert "15945678901\n" in text + "\n"
    assert {finding.kind for finding in screen_attachment("名单.xlsx", data)} == {ID, MOB}


def test_text_files_in_utf8_and_gb18030():
    assert extract_text("说明.txt", "秘密★\n正文".encode()) == "秘密★\n正文"
    assert extract_text("说明.txt", "秘密★\n正文".encode("gb18030")) == "秘密★\n正文"
    assert extract_text("说明.TXT", "\ufeff内部".encode()) == "内部"  # BOM dropped


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("扫描件.jpg", b"\xff\xd8\xff\xe0 JFIF"),
        ("旧文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 OLE"),
        ("坏文件.pdf", b"%PDF-1.4 not really a pdf"),
        ("坏文件.docx", b"PK\x03\x04 broken zip"),
        ("压缩包.zip", zip_of({"readme.txt": "秘密★"})),
        ("空白扫描.pdf", make_pdf()),
    ],
)
def test_unreadable_attachments_are_reported_not_screened(filename, data):
    assert extract_text(filename, data) == ""
    (finding,) = screen_attachment(filename, data)
    assert (finding.kind, finding.where) == (Kind.NOT_SCREENED, filename)
    with translation.override("zh-hans"):
        assert screen_attachment(filename, data)[0].label == "附件未能自动筛查"
