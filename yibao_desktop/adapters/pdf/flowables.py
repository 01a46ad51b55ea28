"""Custom platypus flowables: one-line fitted cells, GB/T 9704 signature block, document start marker."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from yibao_desktop.adapters.pdf.fonts import FontSet
from yibao_desktop.domain.errors import Cancelled  # noqa: F401 - re-exported: one Cancelled for every task

RED = Color(0.85, 0.0, 0.0)
BIG = 1e6
MIN_SIZE = 10.5  # 五号: no code prints smaller


def _lines(f: Flowable, width: float) -> int:
    """Printed lines of a paragraph / data rows of a table (header rows not counted)."""
    f.wrap(width, BIG)
    if isinstance(f, Paragraph):
        return len(f.blPara.lines)
    return len(f._rowHeights) - getattr(f, "repeatRows", 0)


def _cut(f: Flowable, width: float, keep: int) -> list[Flowable]:
    """Split a paragraph or table so that the second part holds its last `keep` lines/rows, or a few more when
    the split would leave one line alone (reportlab refuses orphans); [] = cannot."""
    total = len(f.blPara.lines) if isinstance(f, Paragraph) else len(f._rowHeights)
    for k in range(keep, total):
        if isinstance(f, Paragraph):
            height = (total - k) * f.style.leading + 0.5
        else:
            height = sum(f._rowHeights[: total - k]) + 0.5
        parts = f.split(width, height)
        if len(parts) == 2:
            return parts
    return []


class KeepTail(KeepTogether):
    """A signature block with the text it signs: when it does not fit, at least `need` lines (paragraph lines or
    table rows) of that text go to the next page with it, the rest stays (GB/T 9704: no stranded signature)."""

    def __init__(self, content: list[Flowable], sign: list[Flowable], need: int = 2):
        super().__init__([*content, *sign])
        self.text, self.sign, self.need = content, sign, need

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._H <= aH:
            return [self.NullActionFlowable(), *self._content]
        need = self.need
        for idx in range(len(self.text) - 1, -1, -1):
            f = self.text[idx]
            if isinstance(f, Spacer):
                continue
            if not isinstance(f, (Paragraph, Table)):
                break
            n = _lines(f, aW)
            if n > need:
                parts = self._split_at(idx, f, need, aW, aH)
                if parts is not None:  # [] = nothing fits here, the whole block starts on the next page
                    return parts
            need -= n
            if need <= 0:
                return [self.NullActionFlowable(), *self.text[:idx], KeepTogether([*self.text[idx:], *self.sign])]
        return super().split(aW, aH)

    def _split_at(self, idx: int, f: Flowable, need: int, aW: float, aH: float) -> list | None:
        """Split item idx so its last `need` lines/rows stay with the signature; a table first breaks where the
        page ends (its header repeats on the next page only), the last rows move on only when too few are left."""
        before, after = self.text[:idx], self.text[idx + 1 :]
        if isinstance(f, Table) and not before:
            parts = f.split(aW, aH)
            if len(parts) == 2 and _lines(parts[1], aW) >= need:
                return [self.NullActionFlowable(), parts[0], KeepTail([parts[1], *after], self.sign, self.need)]
            if not parts:  # not even the header and a row fit: never cut the table again inside (a second header)
                return []
        parts = _cut(f, aW, need)
        if len(parts) != 2:
            return None
        return [self.NullActionFlowable(), *before, parts[0], KeepTogether([parts[1], *after, *self.sign])]


class FitLine(Flowable):
    """Codes and numbers that never break inside: on one line, shrunk to fit the cell, but never below MIN_SIZE
    (五号); a list of codes ("D1、D2、D3") that would need less goes onto several lines, each code whole."""

    def __init__(self, text: str, markup: str, style: ParagraphStyle, fonts: FontSet, align: str = "left"):
        super().__init__()
        self.text, self.markup, self.style, self.fonts, self.align = text, markup, style, fonts, align
        self._para: Paragraph | None = None

    def _natural_width(self, size: float, text: str | None = None) -> float:
        total = 0.0
        for ch in self.text if text is None else text:
            name = self.fonts.font_for(ch, self.style.fontName) or self.style.fontName
            total += stringWidth(ch, name, size)
        return total

    def _lines(self, avail: float) -> tuple[float, list[str]]:
        """(size, lines): one line shrunk to fit when that stays ≥ MIN_SIZE, else the codes wrapped at 、."""
        size = self.style.fontSize
        natural = self._natural_width(size)
        if natural <= avail or avail <= 0:
            return size, [self.text]
        fit = size * avail / natural * 0.98
        codes = self.text.split("、")
        if fit >= MIN_SIZE or len(codes) == 1:  # one code never shrinks below 五号: the form gives it the room
            return max(fit, MIN_SIZE), [self.text]
        widest = max(self._natural_width(size, c + "、") for c in codes)
        if widest > avail:  # a single code wider than the cell: shrink to fit it (never below 五号)
            size = max(MIN_SIZE, size * avail / widest * 0.98)
        lines: list[str] = []
        for code in codes:
            piece = code if not lines else lines[-1] + "、" + code
            if lines and self._natural_width(size, piece + "、") <= avail:
                lines[-1] = piece
            else:
                lines.append(code)
        return size, [ln + ("、" if i < len(lines) - 1 else "") for i, ln in enumerate(lines)]

    def wrap(self, avail_width, avail_height):
        size, lines = self._lines(avail_width)
        style = ParagraphStyle(
            "fit",
            parent=self.style,
            fontSize=size,
            leading=max(size * 1.3, self.style.leading * 0.8) if len(lines) == 1 else size * 1.3,
            wordWrap=None,
            alignment=TA_CENTER if self.align == "center" else self.style.alignment,
        )
        markup = self.markup if len(lines) == 1 else "<br/>".join(escape(ln) for ln in lines)
        self._para = Paragraph(markup, style)
        self.width = avail_width
        _w, self.height = self._para.wrap(avail_width, avail_height)
        return avail_width, self.height

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)


class FitLabel(Flowable):
    """A table label (姓名, 身份证号码, 认定违规行为\n文书号): each of its lines stays whole in the cell, shrunk to fit
    when the cell is narrow, never below MIN_SIZE (五号); only a label too wide even then wraps."""

    def __init__(self, lines: list[str], markup: str, style: ParagraphStyle, fonts: FontSet):
        super().__init__()
        self.lines, self.markup, self.style, self.fonts = lines, markup, style, fonts
        self._para: Paragraph | None = None

    def _width(self, text: str, size: float) -> float:
        return sum(
            stringWidth(ch, self.fonts.font_for(ch, self.style.fontName) or self.style.fontName, size) for ch in text
        )

    def size_for(self, avail: float) -> float:
        """The label's type size in a cell `avail` points wide."""
        size = self.style.fontSize
        widest = max((self._width(line, size) for line in self.lines), default=0.0)
        if widest <= avail or widest <= 0:
            return size
        return max(MIN_SIZE, size * avail / widest * 0.99)

    def wrap(self, avail_width, avail_height):
        size = self.size_for(avail_width)
        scale = size / self.style.fontSize
        style = ParagraphStyle("label", parent=self.style, fontSize=size, leading=self.style.leading * scale)
        self._para = Paragraph(self.markup, style)
        self.width = avail_width
        _w, self.height = self._para.wrap(avail_width, avail_height)
        return avail_width, self.height

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)


class SignBlock(Flowable):
    """Signer lines over the date, date 右空四字 (four characters from the right), seal room above, all centred."""

    def __init__(self, lines: list[Paragraph], date_text_width: float, char: float, seal_lines: float, leading: float):
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


class SealRoom(Flowable):
    """Vertical room that, with the lines under the seal (公章, 日期) and the text that stands beside the seal
    column (`beside`, wrapped narrower by the form), keeps a seal-sized area of the box free of text."""

    def __init__(self, seal: float, under: float, beside: list[Flowable] | None = None):
        super().__init__()
        self.seal, self.under, self.beside = seal, under, beside or []

    def wrap(self, avail_width, avail_height):
        taken = sum(f.wrap(avail_width, BIG)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.beside)
        self.width, self.height = avail_width, max(0.0, self.seal - self.under - taken)
        return self.width, self.height

    def draw(self):
        pass


class DocStart(Flowable):
    """Zero-size marker at the top of each document in a PDF: restarts page numbers (not for an attachment),
    reports progress."""

    def __init__(self, index: int, total: int, progress=None, cancelled=None, restart: bool = True):
        super().__init__()
        self.index, self.total, self.progress, self.cancelled = index, total, progress, cancelled
        self.restart = restart  # False: an attachment numbered on from the document it is bound with
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("已取消打印。")
        if self.restart:
            self.canv._yb_doc_start = self.canv.getPageNumber()
        if self.progress is not None:
            self.progress(self.index, self.total)


class LetterRule(Flowable):
    """The 信函格式's first red double line (GB/T 9704-2012 10.1: 上粗下细, 170 mm long, centred on the page)
    `above` points under the mark."""

    LENGTH_MM = 170
    THICK, THIN, GAP = 1.5, 0.5, 1.0  # line widths and the white between them (points)
    THICKNESS = THICK + GAP + THIN

    def __init__(self, above: float, below: float = 0):
        super().__init__()
        self.above, self.below = above, below

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = max(0.0, self.above) + self.THICKNESS + self.below
        return avail_width, self.height

    @classmethod
    def draw_double(cls, canv, x: float, top: float, thick_first: bool = True) -> None:
        """A red double line 170 mm long from `x`, its upper edge at `top`: thick over thin (the line under the
        mark) or thin over thick (the second line at the page foot)."""
        first, second = (cls.THICK, cls.THIN) if thick_first else (cls.THIN, cls.THICK)
        canv.setStrokeColor(RED)
        for width, centre in ((first, top - first / 2), (second, top - cls.THICKNESS + second / 2)):
            canv.setLineWidth(width)
            canv.line(x, centre, x + cls.LENGTH_MM * mm, centre)

    def draw(self):
        over = (self.LENGTH_MM * mm - self.width) / 2
        self.draw_double(self.canv, -over, self.height - self.above)
