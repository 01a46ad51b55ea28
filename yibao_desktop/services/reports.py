"""The reports the office sends: the statistics report (《规程》第四十条、第五十二条) as .xlsx and PDF, and the status
lists per institution (第三十三条、第三十七条) as one .xlsx and one batch PDF (an institution per page)."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from yibao_desktop.adapters.excel.book import Table, write_book
from yibao_desktop.adapters.excel.writer import display_width
from yibao_desktop.adapters.pdf.report import Section, render_report

from .context import AppContext
from .printing import fonts_for
from .reports_stats import StatsReport, build_stats
from .reports_status import StatusChangeRow, status_changes


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _period(start: date, end: date) -> str:
    return f"{_cn(start)}至{_cn(end)}"


def stats_xlsx(report: StatsReport) -> bytes:
    """One sheet per table, numbers as numbers (money in yuan)."""
    return write_book([Table(t.title, t.headers, t.rows, t.kinds, note=t.note) for t in report.tables])


def _shown(value, kind: str) -> str:
    if kind == "money" and isinstance(value, int):
        return f"{value / 100:,.2f}"
    if kind == "num" and isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _widths(headers: list[str], cells: list[list[str]]) -> list[float]:
    """Relative column widths from the longest text of each column (a long name gets room, a count does not)."""
    out = []
    for i, header in enumerate(headers):
        longest = max([display_width(header) / 2, *(display_width(r[i]) for r in cells[:300])])
        out.append(min(max(longest, 6), 30))
    return out


def stats_pdf(ctx: AppContext, report: StatsReport) -> bytes:
    """The report in the office's layout, with a bar chart beside the tables that have one."""
    sections = []
    for t in report.tables:
        cells = [[_shown(v, k) for v, k in zip(r, t.kinds, strict=True)] for r in t.rows]
        chart = [(str(r[t.chart[0]]), float(r[t.chart[1]])) for r in t.rows] if t.chart else ()
        sections.append(Section(t.title, t.headers, cells, _widths(t.headers, cells), t.note, chart))
    title = "定点医药机构相关人员记分与处理情况统计表"
    return render_report(
        title,
        f"{report.office}　统计期间：{_period(report.start, report.end)}",
        sections,
        fonts_for(ctx),
        author=report.office,
        closing=f"{report.office}　{_cn(ctx.today())}",
    )


def stats_report(ctx: AppContext, start: date, end: date, fmt: str) -> bytes:
    """`report stats` and the GUI entry: the report as 'xlsx' or 'pdf'."""
    report = build_stats(ctx, start, end)
    return stats_pdf(ctx, report) if fmt == "pdf" else stats_xlsx(report)


STATUS_HEADERS = [
    "医药机构代码",
    "医药机构名称",
    "姓名",
    "医保相关人员代码",
    "变更",
    "起始日期",
    "截止日期",
    "文书编号",
    "依据",
]


def status_xlsx(rows: list[StatusChangeRow]) -> bytes:
    """Every institution's changes on one sheet (filter by institution), dates as dates."""
    return write_book(
        [
            Table(
                "登记备案状态变更名单",
                STATUS_HEADERS,
                [
                    [
                        r.institution_code,
                        r.institution_name,
                        r.name,
                        r.person_code,
                        r.change,
                        r.start,
                        r.end,
                        r.doc_no,
                        r.source,
                    ]
                    for r in rows
                ],
                ["code", "text", "text", "code", "text", "date", "date", "code", "text"],
            )
        ]
    )


def status_pdf(ctx: AppContext, rows: list[StatusChangeRow], start: date, end: date) -> bytes:
    """One page (or more) per institution: the list it must maintain and show to patients."""
    sections = []
    for (code, name), group in groupby(rows, key=lambda r: (r.institution_code, r.institution_name)):
        lines = [
            [
                r.name,
                r.person_code,
                r.change,
                r.start.isoformat(),
                r.end.isoformat() if r.end else "",
                r.doc_no,
                r.source,
            ]
            for r in group
        ]
        sections.append(
            Section(
                f"{name}（{code}）",
                ["姓名", "医保相关人员代码", "变更", "起始日期", "截止日期", "文书编号", "依据"],
                lines,
                [14, 29, 10, 28, 28, 30, 17],
                note="请于收到后即时维护登记备案状态（第三十三条），并向参保人公开、提示（第三十七条）。",
                new_page=True,
            )
        )
    office = ctx.settings.office_name
    return render_report(
        "定点医药机构相关人员登记备案状态变更名单",
        f"{office}　{_period(start, end)}",
        sections,
        fonts_for(ctx),
        author=office,
        closing=f"{office}　{_cn(ctx.today())}",
    )


def status_lists(ctx: AppContext, start: date, end: date) -> tuple[bytes, bytes, int]:
    """(.xlsx, batch PDF, institutions) of the status changes in [start, end]."""
    rows = status_changes(ctx, start, end)
    institutions = len({r.institution_code for r in rows})
    return status_xlsx(rows), status_pdf(ctx, rows, start, end), institutions
