"""Reports in the office's layout (the A4 type area of the forms): a letterhead-less title, sections of tables with
headers that repeat on every page, and bar charts — used by the statistics report and the status lists."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from .fonts import FontSet, check_glyphs
from .layout import load_style
from .renderer import _doc

WIDTH_MM = 156


@dataclass
class Section:
    """One table of a report: heading, optional note, header row, text rows, relative column widths, a chart of
    (label, value) pairs, and whether it starts a new page (a status list per institution)."""

    heading: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float]
    note: str = ""
    chart: Sequence[tuple[str, float]] = ()
    new_page: bool = False


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    s = load_style()
    body, table, note = s["body"], s["table"], s["note"]
    return {
        "title": ParagraphStyle(
            "t",
            fontName=fonts.title,
            fontSize=s["title"]["size"],
            leading=s["title"]["leading"],
            alignment=1,
            spaceAfter=6,
        ),
        "sub": ParagraphStyle(
            "s", fontName=fonts.kai, fontSize=note["size"] + 2, leading=note["leading"] + 2, alignment=1, spaceAfter=10
        ),
        "heading": ParagraphStyle(
            "h", fontName=fonts.heading, fontSize=body["size"], leading=body["leading"], spaceBefore=8, spaceAfter=2
        ),
        "note": ParagraphStyle(
            "n",
            fontName=fonts.body,
            fontSize=note["size"] - 1,
            leading=note["leading"] - 2,
            textColor=colors.HexColor("#444444"),
            wordWrap="CJK",
        ),
        "cell": ParagraphStyle(
            "c", fontName=fonts.body, fontSize=table["size"] - 3, leading=table["leading"] - 6, wordWrap="CJK"
        ),
        "head": ParagraphStyle(
            "hc",
            fontName=fonts.heading,
            fontSize=table["size"] - 3,
            leading=table["leading"] - 6,
            wordWrap="CJK",
            alignment=1,
        ),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(section: Section, st: dict, fonts: FontSet) -> Table:
    total = sum(section.widths)
    widths = [WIDTH_MM * mm * w / total for w in section.widths]
    data = [[Paragraph(_escape(h), st["head"]) for h in section.headers]]
    for row in section.rows or [["（无）", *[""] * (len(section.headers) - 1)]]:
        for cell in row:
            check_glyphs(str(cell), section.heading, fonts)
        data.append([Paragraph(_escape(str(c)), st["cell"]) for c in row])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _chart(pairs: Sequence[tuple[str, float]], fonts: FontSet) -> Drawing:
    """A horizontal bar chart of at most 12 bars (the largest), labels in the body font."""
    pairs = list(pairs)[:12]
    height = 16 + 14 * len(pairs)
    drawing = Drawing(WIDTH_MM * mm, height + 10)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 80 * mm, 6, WIDTH_MM * mm - 92 * mm, height
    chart.data = [[v for _, v in reversed(pairs)]]
    chart.categoryAxis.categoryNames = [label[:22] for label, _ in reversed(pairs)]
    chart.categoryAxis.labels.fontName = fonts.body
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = fonts.body
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#4F81BD")
    chart.barLabelFormat = "%g"
    chart.barLabels.fontName = fonts.body
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    for label, _ in pairs:
        check_glyphs(label, "图表", fonts)
    drawing.add(chart)
    if not pairs:
        drawing.add(String(WIDTH_MM * mm / 2, 10, "（无）", fontName=fonts.body, fontSize=9, textAnchor="middle"))
    return drawing


def render_report(
    title: str, subtitle: str, sections: Sequence[Section], fonts: FontSet, *, author: str = "", closing: str = ""
) -> bytes:
    """The report as one A4 PDF (page numbers as on the forms)."""
    st = _styles(fonts)
    for text in (title, subtitle, closing):
        check_glyphs(text, "报表标题", fonts)
    story: list = [Paragraph(_escape(title), st["title"]), Paragraph(_escape(subtitle), st["sub"])]
    for i, section in enumerate(sections):
        if section.new_page and i:
            story.append(PageBreak())
            story.append(Paragraph(_escape(title), st["title"]))
        head = [Paragraph(_escape(section.heading), st["heading"])]
        if section.note:
            head.append(Paragraph(_escape(section.note), st["note"]))
        if section.chart:
            head.append(_chart(section.chart, fonts))
        story.append(CondPageBreak(60 * mm))
        story.append(KeepTogether(head))
        story.append(Spacer(1, 2 * mm))
        story.append(_table(section, st, fonts))
    if closing:
        story += [
            Spacer(1, 8 * mm),
            Paragraph(_escape(closing), ParagraphStyle("close", parent=st["heading"], alignment=2)),
        ]
    buf = io.BytesIO()
    _doc(buf, fonts, title, author).build(story)
    return buf.getvalue()
