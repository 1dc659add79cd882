"""The report as an XLSX workbook in the national table layout (openpyxl).

One sheet per table group: 二 主动公开, 三 依申请, 四 复议诉讼, and for a government with the
rollup option, 汇总 (its departments' figures). Merged header cells follow the national form."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .formats import APPLICANT_KEYS, CARRIED_IN, CARRIED_OUT, NEW, REVIEW, TOTAL

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)


def _number(value):
    if isinstance(value, str):
        try:
            return Decimal(value) if value else 0
        except ArithmeticError:
            return value
    return value if value not in (None, "") else 0


def _cell(sheet, row, column, value, bold=False, indent=0):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.border = BORDER
    cell.alignment = (
        Alignment(horizontal="left", vertical="center", wrap_text=True, indent=indent)
        if indent or (column == 1 and isinstance(value, str))
        else CENTER
    )
    if bold:
        cell.font = BOLD
    return cell


def _write_table(sheet, start_row, table, figures, title=None):
    """Write one national table from `start_row`; return the next free row."""
    row = start_row
    width = len(table.columns) + 1
    if title:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        _cell(sheet, row, 1, title, bold=True).alignment = CENTER
        row += 1
    if table.has_column_groups:
        # two header rows: groups spanning their columns, ungrouped columns spanning both rows
        sheet.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
        _cell(sheet, row, 1, table.first_header, bold=True)
        column = 2
        for group, span in table.column_groups:
            if group:
                sheet.merge_cells(
                    start_row=row, start_column=column, end_row=row, end_column=column + span - 1
                )
                _cell(sheet, row, column, group, bold=True)
                for offset in range(span):
                    _cell(sheet, row + 1, column + offset, table.columns[column - 2 + offset].label)
            else:
                sheet.merge_cells(
                    start_row=row, start_column=column, end_row=row + 1, end_column=column
                )
                _cell(sheet, row, column, table.columns[column - 2].label, bold=True)
            column += span
        row += 2
    else:
        _cell(sheet, row, 1, table.first_header, bold=True)
        for index, column in enumerate(table.columns, start=2):
            _cell(sheet, row, index, column.label, bold=True)
        row += 1
    figures = figures or {}
    for table_row in table.rows:
        _cell(sheet, row, 1, table_row.label, bold=table_row.heading, indent=table_row.level)
        for index, column in enumerate(table.columns, start=2):
            value = (
                None if table_row.heading else _number(figures.get(f"{table_row.key}.{column.key}"))
            )
            cell = _cell(sheet, row, index, value)
            if column.decimal:
                cell.number_format = "0.0000"
        row += 1
    return row + 1


def _rollup_sheet(workbook, report):
    sheet = workbook.create_sheet("汇总")
    rollup = report.rollup or {}
    headers = ["单位", "数据来源", "本年新收", "上年结转", "办理结果总计", "结转下年度"]
    for index, label in enumerate(headers, start=1):
        _cell(sheet, 1, index, label, bold=True)
    rows = [(report.unit.title if report.unit else "", "本级", rollup.get("own", {}))]
    rows += [
        (unit["name"], "年度报告" if unit["source"] == "report" else "平台记录", unit)
        for unit in rollup.get("units", [])
    ]
    row = 2
    for name, source, data in rows:
        requests = data.get("requests", {})
        values = [name, source] + [
            requests.get(f"{key}.total", 0) for key in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)
        ]
        for index, value in enumerate(values, start=1):
            _cell(sheet, row, index, value)
        row += 1
    combined = rollup.get("combined", {})
    values = ["合计", ""] + [
        combined.get(f"{key}.total", 0) for key in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)
    ]
    for index, value in enumerate(values, start=1):
        _cell(sheet, row, index, value, bold=True)
    next_row = row + 2
    _write_table(
        sheet,
        next_row,
        report.table_format.requests,
        combined,
        title="汇总：收到和处理政府信息公开申请情况",
    )
    sheet.column_dimensions["A"].width = 40


def to_xlsx(report) -> bytes:
    """The workbook's bytes."""
    fmt = report.table_format
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "二 主动公开"
    _cell(sheet, 1, 1, report.title, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    row = 3
    for table in fmt.proactive:
        row = _write_table(sheet, row, table, report.proactive_figures, title=table.caption)
    sheet.column_dimensions["A"].width = 24
    for index in range(2, 5):
        sheet.column_dimensions[get_column_letter(index)].width = 18

    sheet = workbook.create_sheet("三 依申请公开")
    _write_table(sheet, 1, fmt.requests, report.request_figures, title=fmt.requests.caption)
    sheet.column_dimensions["A"].width = 60
    for index in range(2, len(APPLICANT_KEYS) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 12

    sheet = workbook.create_sheet("四 复议诉讼")
    _write_table(sheet, 1, REVIEW, report.review_figures, title=REVIEW.caption)

    if report.include_rollup and report.rollup:
        _rollup_sheet(workbook, report)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
