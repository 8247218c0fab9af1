"""Loading crime figures from a file: one pipeline behind the upload page and the command.

read (`readers`) → check the columns and every row (`columns`, `csp_matcher`, `layouts`, `ons`;
each thing wrong is a `problems.Problem`) → compare with the stored figures (`pipeline`) → stop
on a dry run or any problem → write everything in one transaction as an import batch, journalled
so it can be undone (`batches`).
"""

from crime_stats.importers.batches import (
    ConfirmOutcome,
    ImportRefused,
    check_upload,
    confirm_upload,
    import_figures,
    plan_summary,
    undo_batch,
    upload_store,
)
from crime_stats.importers.layouts import LAYOUTS
from crime_stats.importers.pipeline import ImportPlan, parse_file, plan_import
from crime_stats.importers.problems import Problem
from crime_stats.importers.records import ImportOptions

__all__ = [
    "LAYOUTS",
    "ConfirmOutcome",
    "ImportOptions",
    "ImportPlan",
    "ImportRefused",
    "check_upload",
    "Problem",
    "confirm_upload",
    "import_figures",
    "parse_file",
    "plan_import",
    "plan_summary",
    "undo_batch",
    "upload_store",
]
