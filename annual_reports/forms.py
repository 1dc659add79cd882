"""Editing the report in the Wagtail editor: the national tables as grids of number inputs,
and the cross-checks applied when the report is submitted for review or published."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from disclosure_pages.forms import DisclosureItemForm

from .checks import check_report
from .formats import REVIEW, get_format

# Actions of the page editor that send the content towards publication.
PUBLISHING_ACTIONS = (
    "action-publish",
    "action-submit",
    "action-workflow-action",
    "action-restart-workflow",
)


class FigureTablesWidget(forms.Widget):
    """The national layout of one or more tables, one input per cell (`<name>-<row>.<col>`)."""

    template_name = "annual_reports/widgets/figure_tables.html"

    def __init__(self, tables=(), attrs=None):
        super().__init__(attrs)
        self.tables = tuple(tables)

    def value_from_datadict(self, data, files, name):
        return {
            key: data.get(f"{name}-{key}", "") for table in self.tables for key in table.cell_keys()
        }

    def value_omitted_from_data(self, data, files, name):
        return not any(key.startswith(f"{name}-") for key in data)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {}
        context["tables"] = [
            {
                "table": table,
                "rows": [
                    {
                        "row": row,
                        "cells": [
                            {
                                "name": f"{name}-{row.key}.{column.key}",
                                "value": value.get(f"{row.key}.{column.key}", ""),
                                "computed": f"{row.key}.{column.key}" in table.computed,
                                "decimal": column.decimal,
                            }
                            for column in table.columns
                        ],
                    }
                    for row in table.rows
                ],
            }
            for table in self.tables
        ]
        return context


class FigureTablesField(forms.Field):
    """A dict of cell → whole number (or a 万元 amount, kept as a decimal string)."""

    def __init__(self, tables=(), **kwargs):
        self.tables = tuple(tables)
        kwargs.setdefault("widget", FigureTablesWidget(self.tables))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value if isinstance(value, dict) else {}

    def to_python(self, value):
        value = value if isinstance(value, dict) else {}
        result, errors = {}, []
        for table in self.tables:
            for row, column, key in table.cells():
                raw = str(value.get(key, "") or "").strip()
                try:
                    if column.decimal:
                        result[key] = str(Decimal(raw or "0").quantize(Decimal("0.0001")))
                    else:
                        result[key] = int(raw or 0)
                except (ValueError, InvalidOperation):
                    errors.append(
                        _("%(row)s / %(column)s: enter a number.")
                        % {"row": row.label, "column": column.label}
                    )
        if errors:
            raise ValidationError(errors)
        return result

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or {})
        except ValidationError:
            return True


class AnnualReportForm(DisclosureItemForm):
    """The tables follow the report's format; submitting or publishing runs the cross-checks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fmt = get_format(self.instance.report_format or self.instance.report_year or 2021)
        layouts = {
            "proactive_figures": fmt.proactive,
            "request_figures": (fmt.requests,),
            "review_figures": (REVIEW,),
        }
        for name, tables in layouts.items():
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = FigureTablesField(
                    tables, label=old.label, help_text=old.help_text
                )

    def is_publishing(self):
        if self.data.get("action-workflow-action") and str(
            self.data.get("workflow-action-name", "")
        ).startswith("reject"):
            return False  # sending it back needs no consistent tables
        return any(action in self.data for action in PUBLISHING_ACTIONS)

    def clean(self):
        cleaned = super().clean()
        # While in review, every save must add up too: the last approval publishes the latest
        # revision, whoever saved it.
        in_review = bool(self.instance.pk) and self.instance.workflow_in_progress
        publishing = self.is_publishing() or in_review
        # Plain drafts may be inconsistent while being worked on; the model checks again
        # whenever a version goes live (AnnualReportPage.clean).
        self.instance._draft_only = not publishing
        if publishing and not self.errors:
            probe = self.instance
            for name in ("request_figures", "review_figures", "include_rollup"):
                if name in cleaned:
                    setattr(probe, name, cleaned[name])
            for error in check_report(probe):
                self.add_error(None, error)
            if self.errors:
                self.add_error(
                    None,
                    _(
                        "The report cannot be submitted or published until its tables add up. "
                        "Save it as a draft and correct the figures."
                    ),
                )
        return cleaned
