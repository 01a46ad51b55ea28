"""Command-line roster import: preview, error report next to the file, commit; exit codes 0/1/2."""

from __future__ import annotations

import sys
from pathlib import Path

from yibao_desktop.adapters.excel import FileRefused
from yibao_desktop.adapters.excel.reader import DEFAULT_MAX_ERRORS

from ..context import AppContext
from .common import ROSTER_LABELS
from .preview import commit_import, error_report, preview_import, summary_text


def report_path(path: Path) -> Path:
    """Where the CLI writes the error report: next to the file, <name>.错误报告.xlsx."""
    return path.with_name(f"{path.stem}.错误报告.xlsx")


def run_cli_import(
    ctx: AppContext,
    kind: str,
    path: Path,
    dry_run: bool = False,
    accept_valid: bool = False,
    mask_report: bool = False,
    max_errors: int | None = None,
) -> int:
    """CLI import: 0 all rows written (or dry run clean), 1 rows rejected (report written), 2 file refused.

    `max_errors`: stop the check after that many errors (None: the default limit, 0: no limit)."""
    path = Path(path)
    limit = DEFAULT_MAX_ERRORS if max_errors is None else (max_errors or None)
    try:
        preview = preview_import(ctx, kind, path.read_bytes(), path.name, max_errors=limit)
    except FileRefused as err:
        print(f"无法导入 {path}：{err.message}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"无法读取 {path}：{err.strerror or err}", file=sys.stderr)
        return 2
    print(f"{ROSTER_LABELS[kind]} {path.name}：共 {preview.read.total_rows} 行，{summary_text(preview.counts)}")
    if not preview.read.complete:
        stop = next(p.message for p in preview.problems if p.row == 0 and p.severity == "error")
        print(f"{stop}（可用 --max-errors 0 检查全部行）", file=sys.stderr)
    if preview.has_errors:
        report = report_path(path)
        report.write_bytes(error_report(preview, mask=mask_report))
        print(f"错误报告：{report}")
    if dry_run or not preview.read.complete or (preview.has_errors and not accept_valid):
        print(
            "试运行，未写入任何数据。"
            if dry_run
            else "检查未完成，未写入任何数据。"
            if not preview.read.complete
            else "有错误，未写入任何数据（可用 --accept-valid 仅导入无错误的行）。"
        )
        return 1 if preview.has_errors else 0
    counts = commit_import(ctx, preview, accept_valid=accept_valid)
    print(f"已写入：新增 {counts['new']}，变更 {counts['changed']}。")
    return 1 if preview.has_errors else 0
