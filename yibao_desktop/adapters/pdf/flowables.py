"""Custom platypus flowables: one-line fitted cells, GB/T 9704 signature block, document start marker."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from yibao_desktop.adapters.pdf.fonts import FontSet
from yibao_desktop.domain.errors import Cancelled  # noqa: F401 - re-exported: one Cancelled for every task

RED = Color(0.85, 0.0, 0.0)




class FitLine(Flowable):
    """A single line that never wraps (ID numbers, codes): the font shrinks until it fits the cell."""

    def __init__(self, text: str, markup: str, style: ParagraphStyle, fonts: FontSet, align: str = "left"):
        super().__init__()
        self.text, self.markup, self.style, self.fonts, self.align = text, markup, style, fonts, align
        self._para: Paragraph | None = None

    def _natural_width(self, size: float) -> float:
        total = 0.0
        for ch in self.text:
            name = self.fonts.font_for(ch, self.style.fontName) or self.style.fontName
            total += stringWidth(ch, name, size)
        return total

    def wrap(self, avail_width, avail_height):
        size = self.style.fontSize
        natural = self._natural_width(size)
        if natural > avail_width > 0:
            size = size * avail_width / natural * 0.98
        style = ParagraphStyle(
            "fit",
            parent=self.style,
            fontSize=size,
            leading=max(size * 1.3, self.style.leading * 0.8),
            wordWrap=None,
            alignment=TA_CENTER if self.align == "center" else self.style.alignment,
        )
        self._para = Paragraph(self.markup, style)
        self.width = avail_width
        _w, self.height = self._para.wrap(avail_width, avail_height)
        return avail_width, self.height

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)


class SignBlock(Flowable):
    """Signer lines over the date, date 右空四字 (four characters from the right), seal room above, all centred."""

    def __init__(
        self, lines: list[Paragraph], date_text_width: float, char: float, seal_lines: float, leading: float
    ):
        super().__init__()
        self.lines, self.date_w = lines, date_text_width  # lines: top to bottom, the date last
        self.char, self.seal_lines, self.leading = char, seal_lines, leading

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = (len(self.lines) + self.seal_lines) * self.leading
        return avail_width, self.height

    def draw(self):
        centre = self.width - 4 * self.char - self.date_w / 2
        span = min(self.width, 2 * (self.width - centre))
        for row, para in enumerate(reversed(self.lines)):
            _w, h = para.wrap(span, self.leading * 2)
            para.drawOn(self.canv, centre - span / 2, row * self.leading + (self.leading - h) / 2)


class DocStart(Flowable):
    """Zero-size marker at the top of each document in a PDF: restarts page numbers, reports progress."""

    def __init__(self, index: int, total: int, progress=None, cancelled=None):
        super().__init__()
        self.index, self.total, self.progress, self.cancelled = index, total, progress, cancelled
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("已取消打印。")
        self.canv._yb_doc_start = self.canv.getPageNumber()
        if self.progress is not None:
            self.progress(self.index, self.total)


class Rule(Flowable):
    """A horizontal rule across the type area (red under a letterhead)."""

    def __init__(self, thickness: float = 1.0, color=RED, space: float = 6):
        super().__init__()
        self.thickness, self.color, self.space = thickness, color, space

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.space * 2

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.space, self.width, self.space)
