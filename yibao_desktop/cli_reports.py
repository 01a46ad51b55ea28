"""`report` commands: the statistics report of a period (.xlsx or .pdf by the file's extension) and the status
lists per institution (one .xlsx and one batch PDF in a folder)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from yibao_desktop.domain.errors import DomainError

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext


def _date(text: str) -> date:
    return date.fromisoformat(text)


def add_arguments(sub) -> None:
    """The report subcommands."""
    r = sub.add_parser("report", help="报表：记分与处理情况统计表、登记备案状态变更名单")
    rs = r.add_subparsers(dest="what", required=True)
    s = rs.add_parser("stats", help="统计表（OUT 以 .xlsx 或 .pdf 结尾）")
    s.add_argument("--from", dest="start", type=_date, required=True)
    s.add_argument("--to", dest="end", type=_date, required=True)
    s.add_argument("out")
    st = rs.add_parser("status", help="各机构登记备案状态变更名单（写入 OUTDIR：一份 .xlsx、一份可批量打印的 PDF）")
    st.add_argument("--from", dest="start", type=_date, required=True)
    st.add_argument("--to", dest="end", type=_date, required=True)
    st.add_argument("outdir")


def report(ctx: AppContext, args) -> int:
    """Dispatch the report subcommands."""
    from yibao_desktop.services.reports import stats_report, status_lists

    if args.what == "stats":
        out = Path(args.out)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "pdf"):
            raise DomainError("输出文件应以 .xlsx 或 .pdf 结尾。")
        out.write_bytes(stats_report(ctx, args.start, args.end, fmt))
        print(f"统计表已写入 {out}")
        return 0
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    xlsx, pdf, n = status_lists(ctx, args.start, args.end)
    stem = f"登记备案状态变更名单_{args.start.isoformat()}_{args.end.isoformat()}"
    (outdir / f"{stem}.xlsx").write_bytes(xlsx)
    (outdir / f"{stem}.pdf").write_bytes(pdf)
    print(f"{n} 家机构的状态变更名单已写入 {outdir}")
    return 0
