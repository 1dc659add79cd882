"""The national cross-checks (勾稽关系) of the report's tables.

A report whose tables fail them cannot be submitted for review or published; the messages say
which cell is wrong and by how much."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .formats import (
    APPLICANT_COLUMNS,
    APPLICANT_KEYS,
    CARRIED_IN,
    CARRIED_OUT,
    NEW,
    REVIEW,
    REVIEW_GROUPS,
    TOTAL,
    ReportFormat,
    get_format,
    group_row,
    outcome_row,
)


def _value(figures, key):
    value = (figures or {}).get(key)
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _row_label(fmt, key):
    return next((row.label for row in fmt.requests.rows if row.key == key), key)


def check_request_table(figures, fmt: ReportFormat | str | int = "2021") -> list[str]:
    """Errors of table 三 (empty list when it holds):

    - in every column, 一 本年新收 + 二 上年结转 = 三(七) 总计 + 四 结转下年度;
    - every row (一)–(六) equals the sum of its numbered sub-rows;
    - (七) 总计 equals the sum of (一)–(六);
    - the 总计 column equals the sum of the applicant columns;
    - no figure is negative."""
    if not isinstance(fmt, ReportFormat):
        fmt = get_format(fmt)
    errors = []
    for key in fmt.requests.cell_keys():
        if _value(figures, key) < 0:
            row, column = key.split(".")
            errors.append(
                _("%(row)s / %(column)s: a figure cannot be negative.")
                % {"row": _row_label(fmt, row), "column": _column_label(column)}
            )
    for column in APPLICANT_COLUMNS:
        new, carried_in, total, carried_out = (
            _value(figures, f"{row}.{column.key}") for row in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)
        )
        if new + carried_in != total + carried_out:
            errors.append(
                _(
                    "Column “%(column)s”: new applications (%(new)s) + carried over from last "
                    "year (%(carried_in)s) = %(left)s, but results in total (%(total)s) + carried "
                    "into next year (%(carried_out)s) = %(right)s."
                )
                % {
                    "column": column.label,
                    "new": new,
                    "carried_in": carried_in,
                    "left": new + carried_in,
                    "total": total,
                    "carried_out": carried_out,
                    "right": total + carried_out,
                }
            )
    for column in APPLICANT_COLUMNS:
        groups_sum = 0
        for group, label, subrows in fmt.outcome_rows:
            group_value = _value(figures, f"{group_row(group)}.{column.key}")
            groups_sum += group_value
            if subrows:
                parts = sum(_value(figures, f"{outcome_row(c)}.{column.key}") for c, _l in subrows)
                if parts != group_value:
                    errors.append(
                        _(
                            "Column “%(column)s”: row “%(row)s” is %(value)s but its items add "
                            "up to %(sum)s."
                        )
                        % {"column": column.label, "row": label, "value": group_value, "sum": parts}
                    )
        total = _value(figures, f"{TOTAL}.{column.key}")
        if groups_sum != total:
            errors.append(
                _(
                    "Column “%(column)s”: the total of the results is %(value)s but rows (一) to "
                    "(六) add up to %(sum)s."
                )
                % {"column": column.label, "value": total, "sum": groups_sum}
            )
    for row in fmt.requests.rows:
        if row.heading:
            continue
        parts = sum(_value(figures, f"{row.key}.{key}") for key in APPLICANT_KEYS)
        total = _value(figures, f"{row.key}.total")
        if parts != total:
            errors.append(
                _(
                    "Row “%(row)s”: the total column is %(value)s but the applicants add up to %(sum)s."
                )
                % {"row": row.label, "value": total, "sum": parts}
            )
    return errors


def _column_label(key):
    return next((column.label for column in APPLICANT_COLUMNS if column.key == key), key)


def check_review_table(figures) -> list[str]:
    """Table 四: in each of the three groups, 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    errors = []
    for key in REVIEW.cell_keys():
        if _value(figures, key) < 0:
            errors.append(_("Table 4: a figure cannot be negative."))
            break
    for group, label in REVIEW_GROUPS:
        parts = sum(
            _value(figures, f"cases.{group}_{k}")
            for k in ("upheld", "corrected", "other", "pending")
        )
        total = _value(figures, f"cases.{group}_total")
        if parts != total:
            errors.append(
                _("Table 4, “%(group)s”: the total is %(value)s but its columns add up to %(sum)s.")
                % {"group": label, "value": total, "sum": parts}
            )
    return errors


def check_report(report) -> list[str]:
    """Every cross-check error of a report (its current, possibly unsaved, content)."""
    fmt = get_format(report.report_format)
    errors = check_request_table(report.request_figures, fmt)
    errors += check_review_table(report.review_figures)
    rollup = report.rollup or {}
    if report.include_rollup and rollup.get("combined"):
        errors += [
            _("Rollup: %(error)s") % {"error": error}
            for error in check_request_table(rollup["combined"], fmt)
        ]
    return errors


def assert_publishable(report):
    """Raise a ValidationError listing every failed cross-check."""
    errors = check_report(report)
    if errors:
        raise ValidationError(
            [_("The annual report cannot be published: its tables do not add up."), *errors]
        )
