"""Spreadsheet exports of the registers, safe to open in Excel and WPS.

Citizens type what ends up in these files (names, descriptions, comments), so:

- a cell that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a
  carriage return, also after leading spaces) is written with a leading apostrophe, which
  spreadsheets show as plain text (OWASP's advice against CSV injection); Wagtail's XLSX export
  already stores such cells as text;
- the CSV starts with a UTF-8 byte order mark, without which Excel reads UTF-8 as the local
  code page and shows the Chinese as mojibake.
"""

import codecs

from wagtail_modeladmin.views import IndexView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Text a spreadsheet will not evaluate: an apostrophe before anything formula-like."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeExportIndexView(IndexView):
    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(
            writer, {name: neutralise(value) for name, value in row_dict.items()}
        )

    def stream_csv(self, queryset):
        rows = super().stream_csv(queryset)
        first = next(rows, None)
        if first is not None:
            yield codecs.BOM_UTF8 + first  # Wagtail's rows are UTF-8 bytes
        yield from rows
