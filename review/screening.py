"""Automatic screening of a draft before a human reviewer sees it (Art. 3, 4, 7: 先审查、后公开).

It finds what must not go online by accident: classification markings and personal data. It is
a tripwire, not a judgement: every finding goes to the reviewer, who decides. So it leans to
precision on ordinary government prose (a screen that cries wolf on every "保守国家秘密" gets
ignored) while catching the forms these things actually take in documents.

What counts as a **classification marking** (GB/T 9704-2012 puts 密级和保密期限 at the top left,
e.g. "机密★1年"):

- a line of its own made only of a marking: 绝密 / 机密 / 秘密, optionally with 级 or with ★ and a
  term (机密★1年, 秘密★长期); 内部 / 内部资料 / 内部文件 … optionally with 注意保存 / 不得外传;
  涉密 / 涉密文件 / 涉密材料 / 涉密件; optionally inside brackets, after a six-digit copy number
  (份号) and before an urgency word (特急, 加急);
- anywhere: a level word followed by ★ or ☆ (秘密★, 内部★1年), or a labelled level (密级：秘密);
- in the first five non-empty lines (the header): a line that starts with 绝密 / 机密 / 秘密 followed
  by a space (秘密  鹤岗市人民政府文件).

A level word inside prose is not a marking: 保守国家秘密, 商业秘密, 机密文件不得上网, 涉密人员,
内部控制, 内部审计, 内部管理. Neither is a marking in quotation marks (标注“秘密★1年”), which
documents about secrecy rules mention.

**Personal data**: 18-digit resident ID numbers (GB 11643 check character, a real province code,
a birth date between 1900 and today; contiguous or grouped 6-8-4), mobile numbers (1[3-9] and nine digits, optionally +86 or
grouped 3-4-4), bank card numbers (16–19 digits starting 3, 4, 5, 6 or 9, Luhn-valid, optionally
grouped by four; an ID number is reported as an ID), and lists of people with home addresses
(two or more lines each holding a personal name and a house- or village-level address).
A number is never part of a longer digit run, of a 文号 (鹤政发〔2025〕4号), of a 索引号
(11230400MB1234567X/2026-00042), of a decimal or an amount (13900000000元), and numbers labelled
as codes (统一社会信用代码, 编号, 订单号 …) are not taken for personal numbers.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .extraction import extract_text


class Kind(models.TextChoices):
    CLASSIFICATION = "classification", _("Classification marking")
    ID_NUMBER = "id_number", _("Resident ID number")
    MOBILE = "mobile", _("Mobile phone number")
    BANK_CARD = "bank_card", _("Bank card number")
    PERSON_ADDRESS = "person_address", _("List of people with home addresses")
    NOT_SCREENED = "not_screened", _("Attachment not screened automatically")


@dataclass(frozen=True)
class Finding:
    where: str  # the field or file name the text came from
    kind: str  # a Kind value
    label: str  # Kind label in the active language, for the reviewer
    value_masked: str
    start: int  # offsets into the screened text
    end: int
    line: int = 0  # the line of the screened text the finding starts on (1-based)


def _finding(where, kind, value_masked, start, end) -> Finding:
    return Finding(where, str(kind), str(Kind(kind).label), value_masked, start, end)


# --- masking -----------------------------------------------------------------------------


def mask(value: str) -> str:
    """Stars in the middle: long numbers keep their first 4 and last 4 characters, a mobile
    number 3 and 4 (138****5678), shorter values less. The length is kept."""
    n = len(value)
    if n >= 12:
        head, tail = 4, 4
    elif n == 11:
        head, tail = 3, 4
    elif n >= 8:
        head, tail = 3, 2
    elif n >= 5:
        head, tail = 1, 1
    else:
        head, tail = (1, 0) if n > 1 else (0, 0)
    return value[:head] + "*" * (n - head - tail) + value[n - tail :]


def mask_name(name: str) -> str:
    """Keep the surname: 张三 → 张*, 欧阳娜娜 → 欧阳**."""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return surname + "*" * (len(name) - len(surname))


# --- helpers shared by the number detectors ---------------------------------------------

# Full-width digits and letters are folded one character for one, so offsets stay valid.
_FOLD = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
    | {"－": "-", "／": "/", "＋": "+", "．": ".", "\u3000": " "}
)

HAN = r"\u4e00-\u9fff"
DOC_NUMBER = re.compile(  # 文号: 鹤政发〔2025〕4号
    rf"[{HAN}]{{1,15}}\s*[〔\[［【(（]\s*(?:19|20)\d{{2}}\s*[〕\]］】)）]\s*第?\s*\d+\s*号"
)
INDEX_NUMBER = re.compile(  # 索引号: organisation code / year - sequence
    r"(?<![0-9A-Za-z])[0-9A-Z]{8,18}(?:-[0-9A-Z])?\s*/\s*(?:19|20)\d{2}\s*-\s*\d{3,6}(?!\d)"
)
# Labels that say "this is a code, not a person's number".
CODE_LABELS = (
    "代码",
    "编号",
    "编码",
    "识别号",
    "税号",
    "索引号",
    "文号",
    "单号",
    "流水号",
    "批次号",
    "合同号",
    "发票号",
    "证书号",
    "许可证号",
    "登记号",
    "备案号",
    "批准号",
)
PERSONAL_LABELS = (
    "身份证",
    "证件",
    "卡号",
    "账号",
    "帐号",
    "账户",
    "帐户",
    "银行",
    "开户",
    "手机",
    "电话",
    "联系方式",
)
UNIT_AFTER = re.compile(
    r"(?:元|万|亿|千|百|美元|%|‰|平方|亩|公顷|吨|千克|公斤|克|米|公里|千米|"
    r"km|kg|人次|户|件|台|辆|次|册|股|份|kW|千瓦|度)"
    r"|\s+(?:元|万元|亿元|美元|%)"  # after a space only money: "13812345678 户主" is a phone
)


LABEL_BEFORE = re.compile(rf"([{HAN}]+)[\s:：(（]*$")


def _labelled_as_code(text: str, start: int) -> bool:
    """Whether the words right before a number call it a code (统一社会信用代码：…, 订单编号 …).
    A personal word in the same label wins: 身份证编号 is an ID number."""
    label = LABEL_BEFORE.search(text[max(0, start - 24) : start])
    if label is None:
        return False
    words = label.group(1)
    return any(code in words for code in CODE_LABELS) and not any(
        personal in words for personal in PERSONAL_LABELS
    )


def _part_of_amount(text: str, start: int, end: int) -> bool:
    """A decimal, a sum of money or a quantity, not an identifier."""
    if re.match(r"\.\d", text[end : end + 2]) or re.search(
        r"\d\.$", text[max(0, start - 2) : start]
    ):
        return True
    if re.search(r"[¥￥$]\s*$", text[max(0, start - 3) : start]):
        return True
    return bool(UNIT_AFTER.match(text, end))


def _overlaps(start, end, spans) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


# --- resident ID numbers (GB 11643-1999) -------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Province-level codes (GB/T 2260) and 71/81/82/83 (Taiwan, Hong Kong, Macao, residence permits).
ID_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
ID_CANDIDATE = re.compile(  # contiguous, or grouped 6-8-4 (region, birth date, rest)
    r"(?<![0-9A-Za-z])"
    r"(?:\d{17}[\dXx]|(?<!\d[ -])\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?![ -]\d))"
    r"(?![0-9A-Za-z])"
)


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def is_resident_id(value: str, today: datetime.date | None = None) -> bool:
    value = value.upper()
    if not re.fullmatch(r"\d{17}[\dX]", value) or int(value[:2]) not in ID_PROVINCES:
        return False
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= born <= (today or datetime.date.today()):
        return False
    return id_check_char(value[:17]) == value[17]


# --- bank cards and mobiles ---------------------------------------------------------------

CARD_CANDIDATE = re.compile(  # contiguous, or grouped by four (not starting inside a group run)
    r"(?<!\d)(?<!\d-)"
    r"(?:\d{16,19}(?!\d)|(?<!\d[ -])\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?![ -]?\d))"
)
MOBILE_CANDIDATE = re.compile(
    r"(?<![\d+])(?<!\d-)(?:\+86[ -]?)?(1[3-9]\d(?:[ -]?\d{4}){2})(?!\d)(?!-\d)"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


# --- classification markings ----------------------------------------------------------------

LEVEL = "(?:绝密|机密|秘密)"
STAR = "[★☆]"
# 保密期限 as GB/T 9704-2012 (7.2.2) and the secrecy rules write it: a number of years, months
# or days (1年, 6个月, 五年, 1年6个月), 长期, a date the secret lapses (2030年12月31日, 2030年12月),
# or a condition (启用前 on examination papers, 公布前, 解密前).
NUMERAL = r"(?:\d+|[一二三四五六七八九十〇零两半]+)"
TERM = (
    r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:\s*[前止])?"
    rf"|{NUMERAL}\s*(?:年(?:\s*{NUMERAL}\s*个?月)?|个月|月|天|日)"
    r"|长期|永久|(?:启用|开考|考试结束|公布|发布|印发|解密)前)"
)
SECRET_MARK = rf"{LEVEL}(?:\s*级)?(?:\s*[★☆*＊]\s*{TERM}?)?"
INTERNAL_MARK = (
    rf"内部(?:资料|文件|材料|刊物|使用|发行|参阅|参考)?(?:\s*{STAR}\s*{TERM}?)?"
    r"(?:\s*[，,、]?\s*(?:注意保存|不得外传|请勿外传|严禁外传|妥善保管|注意保密))?"
)
INVOLVES_SECRETS_MARK = "涉密(?:文件|资料|材料|件)?"
MARKING_LINE = re.compile(
    r"^[\s(（\[【〔]*(?:\d{6}\s+)?"
    rf"({SECRET_MARK}|{INTERNAL_MARK}|{INVOLVES_SECRETS_MARK})"
    r"[\s)）\]】〕]*(?:特急|加急|特提|平急)?\s*$"
)
STARRED_MARKING = re.compile(rf"(?:{LEVEL}|内部)\s*{STAR}\s*{TERM}?")
LABELLED_MARKING = re.compile(
    rf"密\s*级\s*[:：]?\s*(?:{LEVEL}|内部)(?:\s*{STAR}\s*{TERM}?)?(?![、，,和与及])"
    rf"(?:[ \t\u3000，,；;]*保密期限\s*[:：]?\s*{TERM})?"
)
HEADER_MARKING = re.compile(rf"^[\s(（【]*(?:\d{{6}}\s+)?{LEVEL}(?:\s*级)?(?=\s)")
HEADER_LINES = 5
OPENING_QUOTES = "“‘\"'「『《"
CLOSING_QUOTES = "”’\"'」』》"


def _quoted(text: str, start: int, end: int) -> bool:
    """A marking in quotation marks is mentioned (标注“秘密★1年”字样), not applied."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return bool(before and before in OPENING_QUOTES) or bool(after and after in CLOSING_QUOTES)


def _lines(text: str, separators: str = ""):
    """(start, end) of every line (or other separated row), in order."""
    pattern = rf"[^\n\r{separators}]+"
    return [(match.start(), match.end()) for match in re.finditer(pattern, text)]


def _find_markings(text, where):
    found = []
    header = [span for span in _lines(text) if text[span[0] : span[1]].strip()][:HEADER_LINES]
    header_starts = {start for start, _end in header}
    # A table cell (tab-separated, see review.extraction) stands on its own like a line.
    for start, end in _lines(text, separators="\t"):
        line = text[start:end]
        match = MARKING_LINE.match(line)
        if match is None and start in header_starts:
            match = HEADER_MARKING.match(line)
        if match is not None:
            found.append((start + match.start(), start + match.end()))
    for pattern in (STARRED_MARKING, LABELLED_MARKING):
        for match in pattern.finditer(text):
            if not _overlaps(match.start(), match.end(), found):
                found.append((match.start(), match.end()))
    findings = []
    for start, end in found:
        value = text[start:end].strip()
        left = start + (len(text[start:end]) - len(text[start:end].lstrip()))
        if _quoted(text, left, left + len(value)):
            continue
        findings.append(_finding(where, Kind.CLASSIFICATION, value, left, left + len(value)))
    return findings


# --- lists of people with home addresses ----------------------------------------------------

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲"
    "房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟"
    "应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 呼延".split()
)
# Characters that end names of organisations and places, not of people.
NON_PERSON_ENDINGS = frozenset(
    "局委办处科室院所站队司厂店社会部厅署馆校园庭团行省市县区镇乡村街路巷道号组栋楼屯场矿"
)
# Function characters that do not occur in given names: 高于, 关于, 和平 …
NON_NAME_CHARS = frozenset(
    "的了是在和与及或等对于为把被从到向给将这那其之也都而但并且个们年月日时号元人不"
)
NOT_NAMES = frozenset(
    "周一 周二 周三 周四 周五 周六 周日 周末 全年 全部 全体 金额 余额 常住 时间 明细 文化 "
    "方式 安全 司法 华南 石油 车辆 齐全 包括 宁静 万元 和平 高速 龙江 江南 项目 管理 应急 "
    "计划 经济 党员 党委 党支部 关系 邮编 商业 单位 合计 总计 苗圃 林业 农业 水利 文明 平安 "
    "明确 成员 程序 严格 任务 许可 曹操 于是 "
    "宋体 黄色 白色 蓝色 龙头 史料 乔迁 祁连".split()
)
ANONYMISED = re.compile("[某*＊×xX○]")
# Whoever is named after these is acting for an organisation; the address is the office's.
ROLE_LABELS = (
    "联系人",
    "负责人",
    "经办人",
    "法定代表人",
    "法人",
    "受理人",
    "承办人",
    "主任",
    "局长",
)
ORG_TOKEN = re.compile(
    rf"[{HAN}]{{2,}}(?:局|委|办|处|院|所|站|中心|公司|政府|集团|协会|学校|医院|银行|支行|分行|"
    rf"大队|中队|派出所|委员会|办公室|管委会|服务中心|店|馆|厂|场|社|部|商行|中学|小学|幼儿园|"
    rf"超市|药房|诊所)$"
)
RESIDENTIAL_ADDRESS = re.compile(
    r"(?:路|街|道|巷|胡同|弄|里|大街|大道)\s*\d+\s*号"
    r"|\d+\s*(?:号楼|栋|幢|单元|室|号院)"
    rf"|[{HAN}]{{1,8}}(?:乡|镇|街道)[{HAN}]{{1,8}}村"
    rf"|[{HAN}]{{1,8}}村\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:组|社|屯)"
    r"|(?:小区|花园|公寓|家园|新村|嘉园)\s*\d+"
)
MIN_PEOPLE = 2


def _is_person_name(token: str) -> bool:
    if token in NOT_NAMES or ANONYMISED.search(token) or token[-1] in NON_PERSON_ENDINGS:
        return False
    if token[:2] in COMPOUND_SURNAMES:
        given = token[2:]
    elif token[0] in SURNAMES:
        given = token[1:]
    else:
        return False
    return 1 <= len(given) <= 2 and not any(char in NON_NAME_CHARS for char in given)


def _person_in_line(line: str) -> str | None:
    """The name leading a line that lists a person, or None. The first name-or-organisation
    token decides: rows of units ("向阳区民政局  联系人：张三  红军路12号") are not people."""
    previous = ""
    for token in re.findall(rf"[{HAN}]+", line):
        if ORG_TOKEN.search(token):
            return None
        if _is_person_name(token):
            return None if previous.endswith(ROLE_LABELS) else token
        previous = token
    return None


def _find_people_with_addresses(text, where):
    rows = []
    for start, end in _lines(text, separators="；;"):  # a list in prose is split by semicolons
        line = text[start:end]
        if RESIDENTIAL_ADDRESS.search(line):
            name = _person_in_line(line)
            if name:
                rows.append((start, end, name))
    if len(rows) < MIN_PEOPLE:
        return []
    names = "、".join(mask_name(name) for _s, _e, name in rows[:3])
    if len(rows) > 3:
        names += f"… ({len(rows)})"
    return [_finding(where, Kind.PERSON_ADDRESS, names, rows[0][0], rows[-1][1])]


# --- entry points ------------------------------------------------------------------------------


def screen_text(text: str, where: str = "") -> list[Finding]:
    """Every finding in `text`, in order; `where` names the field or file it came from."""
    if not text:
        return []
    text = text.translate(_FOLD)
    protected = [m.span() for pattern in (DOC_NUMBER, INDEX_NUMBER) for m in pattern.finditer(text)]
    taken: list[tuple[int, int]] = []
    findings = []

    def candidates(pattern):
        for match in pattern.finditer(text):
            start, end = match.span()
            if _overlaps(start, end, protected) or _overlaps(start, end, taken):
                continue
            if _labelled_as_code(text, start) or _part_of_amount(text, start, end):
                continue
            yield match

    for match in candidates(ID_CANDIDATE):
        number = re.sub(r"[ -]", "", match.group()).upper()
        if is_resident_id(number):
            taken.append(match.span())
            findings.append(_finding(where, Kind.ID_NUMBER, mask(number), *match.span()))
    for match in candidates(CARD_CANDIDATE):
        digits = _digits(match.group())
        if 16 <= len(digits) <= 19 and digits[0] in "34569" and luhn_valid(digits):
            taken.append(match.span())
            findings.append(_finding(where, Kind.BANK_CARD, mask(digits), *match.span()))
    for match in candidates(MOBILE_CANDIDATE):
        taken.append(match.span())
        findings.append(_finding(where, Kind.MOBILE, mask(_digits(match.group(1))), *match.span()))
    findings += _find_markings(text, where)
    findings += _find_people_with_addresses(text, where)
    findings = [
        dataclasses.replace(finding, line=text.count("\n", 0, finding.start) + 1)
        for finding in findings
    ]
    return sorted(findings, key=lambda finding: (finding.start, finding.end))


def screen_document(fields: dict[str, str]) -> list[Finding]:
    """Screen every text field of a draft: {"title": …, "body": …} → findings, field by field."""
    findings = []
    for where, text in fields.items():
        findings += screen_text(text or "", where)
    return findings


def screen_attachment(filename: str, data: bytes) -> list[Finding]:
    """Screen an attached file. A file whose text cannot be read (an unknown type, a scan
    without a text layer, a damaged file) yields one NOT_SCREENED finding: a human must look."""
    text = extract_text(filename, data)
    if not text.strip():
        return [_finding(filename, Kind.NOT_SCREENED, filename, 0, 0)]
    return screen_text(text, filename)
