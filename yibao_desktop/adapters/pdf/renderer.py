"""A4 document template (GB/T 9704 margins, outer-edge page numbers) and the render_form / render_batch API."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, getDescent
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

from yibao_desktop.adapters.pdf.blocks import TIGHTEN, FormBuilder
from yibao_desktop.adapters.pdf.flowables import Cancelled, DocStart, LetterRule
from yibao_desktop.adapters.pdf.fonts import FontSet
from yibao_desktop.adapters.pdf.layout import _as_date, check_required, form_format, load_form, load_style
from yibao_desktop.domain.errors import DomainError


def _page_numberer(fonts: FontSet, style: dict):
    """onPageEnd callback: "— n —" 7 mm under the type area, odd pages right, even pages left."""
    page, num = style["page"], style["page_number"]
    size = num["size"]
    left = page["left_mm"] * mm
    right = left + page["width_mm"] * mm
    bottom = A4[1] - (page["top_mm"] + page["height_mm"]) * mm
    # GB/T 9704 7.5: the dashes (centre of the glyph box) 7 mm under the type area
    box_centre = (getAscent(fonts.body, size) + getDescent(fonts.body, size)) / 2
    y = bottom - num["below_mm"] * mm - box_centre

    def draw(canv, doc):
        n = canv.getPageNumber() - getattr(canv, "_yb_doc_start", 1) + 1
        text = f"— {n} —"
        canv.saveState()
        canv.setFont(fonts.body, size)
        if n % 2:
            canv.drawRightString(right - size, y, text)
        else:
            canv.drawString(left + size, y, text)
        canv.restoreState()

    return draw


def _canvas_dated(created: dt.date | None):
    """A canvas maker whose PDF states `created` (the stored issue date, 00:00 China time) as its creation date;
    the file stays byte-identical on every rendering (invariant mode), only the date is the real one."""

    def make(*args, **kwargs):
        canv = Canvas(*args, **kwargs)
        if created is not None:
            stamp = canv._doc._timeStamp
            stamp.YMDhms = (created.year, created.month, created.day, 0, 0, 0)
            stamp.dhh, stamp.dmm = 8, 0
        return canv

    return make


def issue_date_of(data: dict) -> dt.date | None:
    """The issue date a document's data carry (date or 'YYYY-MM-DD'), None for blank forms."""
    return _as_date(data.get("issue_date"))


def letter_bottom(style: dict) -> float:
    """Points from the page's bottom edge to the foot of a letter's first-page text: GB/T 9704-2012 10.1 — the
    second red double line 20 mm above the bottom edge, the text line above it 7/8 of a 3号 character's height
    over it (the type area of a letter's first page reaches down to there)."""
    spec = style["letterhead"]
    return spec["bottom_rule_mm"] * mm + LetterRule.THICKNESS + 7 / 8 * style["body"]["size"]


def _letter_foot(style: dict):
    """onPageEnd of a letter's first page: the second red double line (上细下粗, 170 mm, centred on the type area
    like the first, its lower edge 20 mm above the bottom edge); 首页不显示页码."""
    page = style["page"]
    x = (page["left_mm"] + (page["width_mm"] - LetterRule.LENGTH_MM) / 2) * mm
    y = style["letterhead"]["bottom_rule_mm"] * mm + LetterRule.THICKNESS

    def draw(canv, doc):
        canv.saveState()
        LetterRule.draw_double(canv, x, y, thick_first=False)
        canv.restoreState()

    return draw


def page_template_of(form_id: str) -> str:
    """The page template a document starts on: "letter" for a 信函格式 form, else "gbt9704"."""
    return "letter" if form_format(load_form(form_id)) == "letter" else "gbt9704"


def _doc(buf: io.BytesIO, fonts: FontSet, title: str, author: str, first: str = "gbt9704") -> BaseDocTemplate:
    """The A4 document: the plain GB/T 9704 page and a letter's first page (taller type area, second red line,
    no page number; the pages after it are plain). `first` names the template of page 1."""
    style = load_style()
    page = style["page"]
    left, top = page["left_mm"] * mm, page["top_mm"] * mm
    width, height = page["width_mm"] * mm, page["height_mm"] * mm
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    frame = Frame(left, A4[1] - top - height, width, height, id="body", **pad)
    foot = letter_bottom(style)
    letter_frame = Frame(left, foot, width, A4[1] - top - foot, id="letter", **pad)
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=left,
        rightMargin=A4[0] - left - width,
        topMargin=top,
        bottomMargin=A4[1] - top - height,
        title=title,
        author=author,
        creator="yibao-desktop",
        invariant=1,
        initialFontName=fonts.body,
    )
    plain = PageTemplate(id="gbt9704", frames=[frame], onPageEnd=_page_numberer(fonts, style))
    letter = PageTemplate(
        id="letter", frames=[letter_frame], onPageEnd=_letter_foot(style), autoNextPageTemplate="gbt9704"
    )
    doc.addPageTemplates([letter, plain] if first == "letter" else [plain, letter])
    return doc


def _office_data(office: dict | None) -> dict:
    office = office or {}
    return {
        "office_name": office.get("name", ""),
        "seal_text": office.get("seal_text", ""),
        "contact": office.get("contact", ""),
        "contact_phone": office.get("contact_phone", ""),
        "office_address": office.get("address", ""),
    }


def _merged(form_id: str, data: dict, blank: bool, office: dict | None) -> dict:
    """Office values under the document's own data (a value the data gives wins; empty values do not)."""
    own = {} if blank else {k: v for k, v in data.items() if v not in (None, "")}
    return {**_office_data(office), **own}


def form_flowables(
    form_id: str, data: dict, fonts: FontSet, *, blank: bool = False, office: dict | None = None, level: int = 0
) -> list:
    """The flowables of one document (used by render_form and render_batch); `level` tightens the type."""
    merged = _merged(form_id, data, blank, office)
    return FormBuilder(load_form(form_id), merged, fonts, load_style(), level).build()


def _render_at(form_id: str, data: dict, fonts: FontSet, blank: bool, office: dict | None, level: int):
    """(PDF bytes, page count) of one document at one tightening level."""
    story = [DocStart(1, 1), *form_flowables(form_id, data, fonts, blank=blank, office=office, level=level)]
    buf = io.BytesIO()
    doc = _doc(buf, fonts, load_form(form_id)["title"], (office or {}).get("name", ""), page_template_of(form_id))
    doc.build(story, canvasmaker=_canvas_dated(None if blank else issue_date_of(data)))
    return buf.getvalue(), doc.page


def _fitted(form_id: str, data: dict, fonts: FontSet, blank: bool, office: dict | None) -> tuple[bytes, int]:
    """(PDF, level): a form declaring `pages = n` is tightened step by step (TIGHTEN) until it fits n pages.
    Content that does not fit even then prints at the tightest level (the signature still keeps its text) —
    unless the form limits its tightening (`tighten_to = k`, a 公文 whose body must stay legible at 3号 or
    close to it): then it prints at full size on the pages it needs, the signature kept with its text."""
    form = load_form(form_id)
    pages = form.get("pages")
    last = min(len(TIGHTEN) - 1, form.get("tighten_to", len(TIGHTEN) - 1))
    levels = range(last + 1) if pages else range(1)
    for level in levels:
        pdf, count = _render_at(form_id, data, fonts, blank, office, level)
        if not pages or count <= pages:
            return pdf, level
    if last < len(TIGHTEN) - 1:
        return _render_at(form_id, data, fonts, blank, office, 0)[0], 0
    return pdf, level


def render_form(
    form_id: str,
    data: dict,
    fonts: FontSet,
    *,
    blank: bool = False,
    office: dict | None = None,
    issued: bool = False,
) -> bytes:
    """One form as PDF bytes; missing data keys print as blank lines, blank=True ignores the data.
    issued=True refuses (IncompleteDocument) a document whose required blanks (the form's `required`) are empty."""
    if issued:
        check_required(load_form(form_id), _merged(form_id, data, False, office))
    return _fitted(form_id, data, fonts, blank, office)[0]


def render_batch(
    items: list[tuple[str, dict, int]],
    fonts: FontSet,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    office: dict | None = None,
    attached: bool = False,
) -> bytes:
    """Many documents (form_id, data, copies) in one PDF, each starting on a new page with its own page numbers.

    attached=True: one document and its attachments (GB/T 9704 7.5: the attachments bound with the text are
    numbered on from it, and the file states the document's issue date as its creation date).
    progress(i, n) is called as document i of n is laid out; cancelled() is checked between documents and
    a True answer raises Cancelled.
    """
    total = sum(max(0, copies) for _fid, _data, copies in items)
    story: list = []
    index = 0
    for form_id, data, copies in items:
        level = _fitted(form_id, data, fonts, False, office)[1] if copies > 0 else 0
        for _ in range(max(0, copies)):
            if cancelled is not None and cancelled():
                raise Cancelled("已取消打印。")
            index += 1
            if story:
                story += [NextPageTemplate(page_template_of(form_id)), PageBreak()]
            story.append(DocStart(index, total, progress, cancelled, restart=not (attached and index > 1)))
            story.extend(form_flowables(form_id, data, fonts, office=office, level=level))
    if not story:
        raise DomainError("没有要打印的文书。")
    buf = io.BytesIO()
    title = load_form(items[0][0])["title"] if len({i[0] for i in items}) == 1 or attached else "批量打印"
    created = issue_date_of(items[0][1]) if attached else None
    doc = _doc(
        buf, fonts, title, (office or {}).get("name", ""), page_template_of(next(f for f, _d, c in items if c > 0))
    )
    doc.build(story, canvasmaker=_canvas_dated(created))
    if progress is not None:
        progress(total, total)
    return buf.getvalue()
