"""The archive's services, for commands, views and tasks alike (see docs/archive.md)."""

from .bagformat import BagProblem
from .exporting import ArchiveError, export_unit_year, items_for
from .exporting import verify_package as verify_bag
from .restoring import ImportResult, import_bag

__all__ = [
    "ArchiveError",
    "BagProblem",
    "ImportResult",
    "export_unit_year",
    "import_bag",
    "items_for",
    "verify_bag",
]
