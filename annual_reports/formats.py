"""The national layouts of the annual report's tables, as data.

Two formats exist:

- ``2021``: 国办公开办函〔2021〕30号, for reports on 2021 and later;
- ``2019``: the trial format of 国办公开办函〔2019〕60号, for reports on 2019 and 2020.

They differ in table 二 (the 2019 format counts 新制作/新公开/对外公开总数 for documents, items
and their yearly change for powers and fees, and has a row for 政府集中采购) and in table 三,
where the 2019 format has (六)其他处理 as one row while the 2021 format splits it into three
(逾期不补正 / 逾期未缴费 / 其他). Table 四 (15 columns) is the same in both.

The row and column labels are the statutory wording of a Chinese national form, kept as data
(like the catalogue taxonomy), not translated: the XLSX export and the public page must show
the national layout whatever the interface language.

Figures are stored flat per table: ``{"<row>.<column>": number}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_services.choices import ApplicantType, Outcome, OutcomeGroup

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FIRST_2021_YEAR = 2021


def format_for_year(year: int) -> str:
    return FORMAT_2021 if year >= FIRST_2021_YEAR else FORMAT_2019


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    level: int = 0  # indentation: 0 top rows, 1 (一)…, 2 the numbered sub-reasons
    heading: bool = False  # a caption row without figures (三、本年度办理结果)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str = ""  # the spanning header above it, if any
    decimal: bool = False  # amounts in 万元 (four decimals = to the yuan)


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    first_header: str = "信息内容"
    # cells the platform fills from its records; the others are entered by hand
    computed: frozenset[str] = field(default_factory=frozenset)

    def cells(self):
        for row in self.rows:
            if row.heading:
                continue
            for column in self.columns:
                yield row, column, f"{row.key}.{column.key}"

    def cell_keys(self):
        return [key for _row, _column, key in self.cells()]

    @property
    def column_groups(self):
        """[(group label or "", span)] for a two-level header."""
        groups = []
        for column in self.columns:
            if groups and groups[-1][0] == column.group and column.group:
                groups[-1][1] += 1
            else:
                groups.append([column.group, 1])
        return [tuple(group) for group in groups]

    @property
    def header_rows(self):
        """The header as rows of (label, colspan, rowspan), in the national layout."""
        if not self.has_column_groups:
            return [[(self.first_header, 1, 1)] + [(c.label, 1, 1) for c in self.columns]]
        top, second, index = [(self.first_header, 1, 2)], [], 0
        for group, span in self.column_groups:
            columns = self.columns[index : index + span]
            if group:
                top.append((group, span, 1))
                second.extend((c.label, 1, 1) for c in columns)
            else:
                top.extend((c.label, 1, 2) for c in columns)
            index += span
        return [top, second]

    @property
    def has_column_groups(self):
        return any(column.group for column in self.columns)


# --- 二、主动公开政府信息情况 --------------------------------------------------------------

_COUNT_2021 = (
    Column("made", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)

PROACTIVE_2021 = (
    Table(
        "art20_1",
        "第二十条第（一）项",
        _COUNT_2021,
        (Row("regulations", "规章"), Row("normative", "行政规范性文件")),
        computed=frozenset(
            f"{row}.{col}"
            for row in ("regulations", "normative")
            for col in ("made", "repealed", "in_force")
        ),
    ),
    Table(
        "art20_5",
        "第二十条第（五）项",
        _DECISIONS_2021,
        (Row("licensing", "行政许可"),),
        computed=frozenset({"licensing.decisions"}),
    ),
    Table(
        "art20_6",
        "第二十条第（六）项",
        _DECISIONS_2021,
        (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        computed=frozenset({"penalty.decisions", "coercion.decisions"}),
    ),
    Table(
        "art20_8",
        "第二十条第（八）项",
        (Column("amount", "本年收费金额（单位：万元）", decimal=True),),
        (Row("fees", "行政事业性收费"),),
    ),
)

_COUNT_2019 = (
    Column("made", "本年新制作数量"),
    Column("published", "本年新公开数量"),
    Column("total", "对外公开总数量"),
)
_ITEMS_2019 = (
    Column("previous", "上一年项目数量"),
    Column("change", "本年增/减"),
    Column("decisions", "处理决定数量"),
)

PROACTIVE_2019 = (
    Table(
        "art20_1",
        "第二十条第（一）项",
        _COUNT_2019,
        (Row("regulations", "规章"), Row("normative", "规范性文件")),
        computed=frozenset(
            f"{row}.{col}"
            for row in ("regulations", "normative")
            for col in ("made", "published", "total")
        ),
    ),
    Table(
        "art20_5",
        "第二十条第（五）项",
        _ITEMS_2019,
        (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
        computed=frozenset(
            {
                "licensing.previous",
                "licensing.change",
                "licensing.decisions",
                "other_services.previous",
                "other_services.change",
            }
        ),
    ),
    Table(
        "art20_6",
        "第二十条第（六）项",
        _ITEMS_2019,
        (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        computed=frozenset(
            f"{row}.{col}" for row in ("penalty", "coercion") for col in ("previous", "change")
        )
        | {"penalty.decisions", "coercion.decisions"},
    ),
    Table(
        "art20_8",
        "第二十条第（八）项",
        (Column("previous", "上一年项目数量"), Column("change", "本年增/减")),
        (Row("fees", "行政事业性收费"),),
        computed=frozenset({"fees.previous", "fees.change"}),
    ),
    Table(
        "art20_9",
        "第二十条第（九）项",
        (Column("projects", "采购项目数量"), Column("amount", "采购总金额（万元）", decimal=True)),
        (Row("procurement", "政府集中采购"),),
        computed=frozenset({"procurement.projects", "procurement.amount"}),
    ),
)


# --- 三、收到和处理政府信息公开申请情况 -------------------------------------------------------

# ApplicantType → the national columns (the choices were made one per column).
APPLICANT_COLUMNS = (
    Column(ApplicantType.NATURAL_PERSON.value, "自然人"),
    Column(ApplicantType.COMMERCIAL.value, "商业企业", group="法人或其他组织"),
    Column(ApplicantType.RESEARCH.value, "科研机构", group="法人或其他组织"),
    Column(ApplicantType.WELFARE.value, "社会公益组织", group="法人或其他组织"),
    Column(ApplicantType.LEGAL_SERVICE.value, "法律服务机构", group="法人或其他组织"),
    Column(ApplicantType.OTHER_ORGANISATION.value, "其他", group="法人或其他组织"),
    Column("total", "总计"),
)
APPLICANT_KEYS = tuple(column.key for column in APPLICANT_COLUMNS if column.key != "total")

NEW, CARRIED_IN, TOTAL, CARRIED_OUT = "new", "carried_in", "total", "carried_out"

# Outcome group → (row label, [(Outcome code, sub-row label)]). Row keys: "g-<group>" for the
# rows (一)–(六), "o-<outcome code>" for the numbered sub-rows. Every Outcome is counted in
# exactly one cell (see citizen_services.choices.outcome_group).
OUTCOME_ROWS_2021 = (
    (OutcomeGroup.DISCLOSED, "（一）予以公开", ()),
    (
        OutcomeGroup.PARTLY_DISCLOSED,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        (),
    ),
    (
        OutcomeGroup.WITHHELD,
        "（三）不予公开",
        (
            (Outcome.WITHHELD_STATE_SECRET, "1.属于国家秘密"),
            (Outcome.WITHHELD_PROHIBITED, "2.其他法律行政法规禁止公开"),
            (Outcome.WITHHELD_SECURITY, "3.危及“三安全一稳定”"),
            (Outcome.WITHHELD_THIRD_PARTY, "4.保护第三方合法权益"),
            (Outcome.WITHHELD_INTERNAL, "5.属于三类内部事务信息"),
            (Outcome.WITHHELD_PROCESS, "6.属于四类过程性信息"),
            (Outcome.WITHHELD_ENFORCEMENT, "7.属于行政执法案卷"),
            (Outcome.WITHHELD_INQUIRY, "8.属于行政查询事项"),
        ),
    ),
    (
        OutcomeGroup.UNAVAILABLE,
        "（四）无法提供",
        (
            (Outcome.UNAVAILABLE_NOT_HELD, "1.本机关不掌握相关政府信息"),
            (Outcome.UNAVAILABLE_NEEDS_CREATION, "2.没有现成信息需要另行制作"),
            (Outcome.UNAVAILABLE_UNCLEAR, "3.补正后申请内容仍不明确"),
        ),
    ),
    (
        OutcomeGroup.NOT_PROCESSED,
        "（五）不予处理",
        (
            (Outcome.NOT_PROCESSED_PETITION, "1.信访举报投诉类申请"),
            (Outcome.NOT_PROCESSED_REPEAT, "2.重复申请"),
            (Outcome.NOT_PROCESSED_PUBLICATION, "3.要求提供公开出版物"),
            (Outcome.NOT_PROCESSED_MASS, "4.无正当理由大量反复申请"),
            (Outcome.NOT_PROCESSED_CONFIRMATION, "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    (
        OutcomeGroup.OTHER,
        "（六）其他处理",
        (
            (
                Outcome.OTHER_NO_CLARIFICATION,
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ),
            (
                Outcome.OTHER_UNPAID,
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ),
            (Outcome.OTHER, "3.其他"),
        ),
    ),
)
# The 2019 trial format: (六)其他处理 is one row without sub-rows.
OUTCOME_ROWS_2019 = (*OUTCOME_ROWS_2021[:5], (OutcomeGroup.OTHER, "（六）其他处理", ()))


def group_row(group) -> str:
    return f"g-{group}"


def outcome_row(code) -> str:
    return f"o-{code}"


def _request_table(outcome_rows):
    rows = [
        Row(NEW, "一、本年新收政府信息公开申请数量"),
        Row(CARRIED_IN, "二、上年结转政府信息公开申请数量"),
        Row("results", "三、本年度办理结果", heading=True),
    ]
    for group, label, subrows in outcome_rows:
        rows.append(Row(group_row(group), label, level=1))
        rows.extend(Row(outcome_row(code), sublabel, level=2) for code, sublabel in subrows)
    rows.append(Row(TOTAL, "（七）总计", level=1))
    rows.append(Row(CARRIED_OUT, "四、结转下年度继续办理"))
    table = Table(
        "requests",
        "三、收到和处理政府信息公开申请情况",
        APPLICANT_COLUMNS,
        tuple(rows),
        first_header="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    )
    return Table(
        table.key,
        table.caption,
        table.columns,
        table.rows,
        table.first_header,
        computed=frozenset(table.cell_keys()),
    )


REQUESTS_2021 = _request_table(OUTCOME_ROWS_2021)
REQUESTS_2019 = _request_table(OUTCOME_ROWS_2019)


# --- 四、政府信息公开行政复议、行政诉讼情况 ----------------------------------------------------

_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
REVIEW_GROUPS = (
    ("review", "行政复议"),
    ("direct", "行政诉讼：未经复议直接起诉"),
    ("after_review", "行政诉讼：复议后起诉"),
)
REVIEW = Table(
    "review",
    "四、政府信息公开行政复议、行政诉讼情况",
    tuple(
        Column(f"{group}_{key}", label, group=group_label)
        for group, group_label in REVIEW_GROUPS
        for key, label in _RESULTS
    ),
    (Row("cases", "案件数量"),),
    first_header="",
)


@dataclass(frozen=True)
class ReportFormat:
    code: str
    name: str
    proactive: tuple[Table, ...]
    requests: Table
    outcome_rows: tuple
    review: Table = REVIEW

    def proactive_cell_keys(self):
        """Row keys are unique across the proactive tables, so one flat dict holds them all."""
        return [key for table in self.proactive for key in table.cell_keys()]

    def proactive_computed(self):
        return frozenset().union(*(table.computed for table in self.proactive))


FORMATS = {
    FORMAT_2021: ReportFormat(
        FORMAT_2021, "国办公开办函〔2021〕30号", PROACTIVE_2021, REQUESTS_2021, OUTCOME_ROWS_2021
    ),
    FORMAT_2019: ReportFormat(
        FORMAT_2019,
        "国办公开办函〔2019〕60号（试行）",
        PROACTIVE_2019,
        REQUESTS_2019,
        OUTCOME_ROWS_2019,
    ),
}


def get_format(code_or_year) -> ReportFormat:
    if isinstance(code_or_year, int):
        code_or_year = format_for_year(code_or_year)
    return FORMATS[code_or_year]
