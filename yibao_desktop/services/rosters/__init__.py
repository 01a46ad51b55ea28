"""Excel rosters: templates, validate-every-row import preview, one-transaction commit, exports."""

from .cli import report_path, run_cli_import
from .common import ROSTER_LABELS, PlannedRow
from .exports import export_roster, export_table, proposal_text, template_bytes
from .preview import ImportPreview, commit_import, error_report, preview_import, summary_text

__all__ = [
    "ROSTER_LABELS",
    "ImportPreview",
    "PlannedRow",
    "commit_import",
    "error_report",
    "export_roster",
    "export_table",
    "preview_import",
    "proposal_text",
    "report_path",
    "run_cli_import",
    "summary_text",
    "template_bytes",
]
