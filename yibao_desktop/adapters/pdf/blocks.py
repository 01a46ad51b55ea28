"""Turns the blocks of one form definition plus its data into platypus flowables (generic, no form knowledge)."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, getDescent
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from yibao_desktop.adapters.pdf import linebreak
from yibao_desktop.adapters.pdf.flowables import BIG, RED, FitLabel, FitLine, KeepTail, LetterRule, SealRoom, SignBlock
from yibao_desktop.adapters.pdf.fonts import FontSet
from yibao_desktop.adapters.pdf.layout import PLACEHOLDER, Markup

linebreak.install()  # 禁则, no hanging punctuation, numbers and dates never split

ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
# Values that must never be broken across lines: printed on one line, shrunk to fit their cell.
NOWRAP_KEYS = {
    "id_number",
    "person_code",
    "institution_code",
    "region_code",
    "credit_code",
    "phone",
    "doc_no",
    "notice_no",
    "code",
}


MIN_SIZE = 10.5  # 五号: nothing on an official paper prints smaller
LABEL_CHARS = 10  # a fixed cell text with lines this short is a label: its lines never break (FitLabel)
SEAL_MM = 42  # diameter of an office seal: the room every seal area keeps free
# Steps a form with `pages = n` is tightened by until it fits: (type size factor, leading factor).
TIGHTEN = [
    (1, 1),
    (1, 0.94),
    (1, 0.88),
    (0.95, 0.88),
    (0.95, 0.82),
    (0.9, 0.8),
    (0.86, 0.78),
    (0.86, 0.74),  # the letters' last step: 13.5 pt on a grid 5 % tighter (a 38-character name, two grounds)
    (0.82, 0.75),
    (0.8, 0.74),
    (0.78, 0.72),
]
_SCALED = ("body", "title", "heading", "table", "note")


def _tightened(style: dict, level: int) -> dict:
    """The style table with sizes and leadings of the text sections scaled by TIGHTEN[level]."""
    sf, lf = TIGHTEN[level]
    out = dict(style)
    for sec in _SCALED:
        if sec in out:
            v = out[sec]
            out[sec] = {**v, "size": max(MIN_SIZE, v["size"] * sf), "leading": v["leading"] * lf}
    return out


class FormBuilder:
    """Builds the flowables of one document from a form definition, its data and the shared style."""

    def __init__(self, form: dict, data: dict, fonts: FontSet, style: dict, level: int = 0):
        # a form may tighten the shared sizes (e.g. a one-page 承诺书 in 4号), section by section
        style = {k: {**v, **form.get("style", {}).get(k, {})} for k, v in style.items()}
        style = _tightened(style, level)
        self.sf, self.lf = TIGHTEN[level]
        merged = {**form.get("defaults", {}), **{k: v for k, v in data.items() if v not in (None, "")}}
        for key, value in list(merged.items()):  # {institutions_count} etc. for list values
            if isinstance(value, (list, tuple)):
                merged.setdefault(f"{key}_count", len(value))
        self.form, self.fonts, self.style = form, fonts, style
        self.m = Markup(fonts, merged, form.get("labels", {}))
        self.nowrap = NOWRAP_KEYS | set(form.get("nowrap", []))
        self._under_rule = False  # the next title stands two lines under a letterhead's red rule

    def role_font(self, role: str) -> str:
        """Registered font name for a role: body, title, heading or kai."""
        return getattr(self.fonts, role)

    def pstyle(self, spec: dict, kind: str = "body") -> ParagraphStyle:
        """Paragraph style from a block spec over the shared style table `kind`."""
        base = self.style["table" if kind == "group" else kind]
        size = max(MIN_SIZE, spec["size"] * self.sf) if "size" in spec else base["size"]
        leading = spec.get("leading", base["leading"] if "size" not in spec else size * 1.45 * self.lf)
        align = spec.get("align", "left")
        indent = spec.get("indent", 2 if kind == "body" and align in ("left", "justify") else 0)
        return ParagraphStyle(
            kind,
            fontName=self.role_font(spec.get("role", "body")),
            fontSize=size,
            leading=leading,
            alignment=ALIGN[align],
            firstLineIndent=indent * size,
            leftIndent=spec.get("left", 0) * size,
            # inside wide cells keep one character free so hanging punctuation stays within the border
            rightIndent=spec.get("right_mm", 0) * mm or spec.get("right", 1 if kind == "group" else 0) * size,
            spaceBefore=spec.get("before", 0) * leading,
            spaceAfter=spec.get("after", 0) * leading,
            wordWrap="CJK",
            textColor=RED if spec.get("color") == "red" else black,
            allowWidows=0,  # a paragraph's last line never stands alone at the top of the next page
        )

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        """A paragraph from a template."""
        return Paragraph(self.m.render(text, style.fontName), style)

    def build(self) -> list:
        """All flowables of the form, in order."""
        out: list = []
        for block in self.form.get("blocks", []):
            flowables = self.block(block, "body")
            if block.get("type") == "sign" and out:
                # GB/T 9704: the signature and seal never stand alone on a page; two lines of the text go along
                tail, texts = 0, 0
                while tail < len(out) and texts < 2 and isinstance(out[-1 - tail], (Spacer, Paragraph, Table)):
                    texts += 2 if isinstance(out[-1 - tail], Table) else not isinstance(out[-1 - tail], Spacer)
                    tail += 1
                if tail:
                    flowables = [KeepTail(out[-tail:], flowables)]
                    del out[-tail:]
            out.extend(flowables)
        return out

    def block(self, b: dict, kind: str) -> list:
        """Flowables for one block; `kind` is the base style (body on the page, table inside cells)."""
        when = b.get("when")
        if when and not self.m.has_data(when):
            return []
        # a filled document (it has its number) that lacks `needs` prints the `instead_of` wording, not a blank
        filled = self.m.has_data("doc_no")
        if b.get("needs") and filled and not self.m.has_data(b["needs"]):
            return []
        if b.get("instead_of") and (not filled or self.m.has_data(b["instead_of"])):
            return []
        show = b.get("show_if")  # shown when the value matches, or when it is not given (blank forms)
        if show and self.m.has_data(show["key"]) and self.m.value(show["key"]) != show["value"]:
            return []
        handler = getattr(self, "b_" + b.get("type", "para"))
        return handler(b, kind)

    def b_para(self, b: dict, kind: str) -> list:
        """A paragraph of text with placeholders."""
        return [self.para(b["text"], self.pstyle(b, b.get("style", kind)))]

    def b_title(self, b: dict, kind: str) -> list:
        """The form title: title face, 2号, centred; under a letterhead it stands two lines below the red rule."""
        spec = {"align": "center", "role": "title", "after": 1, **b}
        style = self.pstyle(spec, "title")
        if self._under_rule:  # GB/T 9704 7.3.1: 红色分隔线下空二行 (the glyphs' top two body lines under the rule)
            ascent = getAscent(style.fontName, style.fontSize)
            style.spaceBefore = max(0.0, 2 * self.style["body"]["leading"] - (style.fontSize - ascent))
            self._under_rule = False
        return [self.para(b["text"], style)]

    def b_letterhead(self, b: dict, kind: str) -> list:
        """Office name in red, red double line, document number (GB/T 9704-2012 10.1 信函格式, the notices being
        letters to one institution): the name's upper edge `[letterhead] page_top_mm` (30 mm) from the page's top
        edge, above the type area, as large as the type area allows (up to the letterhead size); the double line
        `rule_below_mm` (4 mm) under the name; the number at the type area's right edge under the line."""
        text = b.get("text", "{office_name}")
        name = self.m.value("office_name") if "{office_name" in text else text
        spec = self.style["letterhead"]
        size = min(spec["size"], 0.92 * self.style["page"]["width_mm"] * mm / max(1, len(name)))
        head = self.pstyle(
            {
                "align": "center",
                "role": "title",
                "color": "red",
                **b,
                "size": size,
                "leading": size * self.sf * 1.25 * self.lf,
            },
            "letterhead",
        )
        # the first baseline of a paragraph stands one type size under its top, the glyphs rise `ascent` over it;
        # a negative drop lifts the name over the type area's top (30 mm from the page top, the area at 37 mm)
        ascent, descent = getAscent(head.fontName, head.fontSize), -getDescent(head.fontName, head.fontSize)
        drop = (spec["page_top_mm"] - self.style["page"]["top_mm"]) * mm - (head.fontSize - ascent)
        out: list = [Spacer(1, drop), self.para(text, head)]
        # from the name's glyph bottom: the paragraph's room under the baseline less the descent
        out.append(LetterRule(above=spec["rule_below_mm"] * mm - ((head.leading - head.fontSize) - descent)))
        if b.get("docno"):
            num = self.pstyle({"align": "right", "before": 0}, "body")
            # 与该线的距离为3号汉字高度的7/8: the number's glyph top 7/8 of its size under the thin line
            num.spaceBefore = max(0.0, 7 / 8 * num.fontSize - (num.fontSize - getAscent(num.fontName, num.fontSize)))
            out.append(self.para(b["docno"], num))
        self._under_rule = True
        return out

    def b_spacer(self, b: dict, kind: str) -> list:
        """Vertical room measured in lines."""
        return [Spacer(1, b.get("lines", 1) * self.style["table" if kind == "group" else kind]["leading"])]

    def b_seal(self, b: dict, kind: str) -> list:
        """Room for the 42 mm seal: with the `with_lines` lines that follow (公章, 日期 under the seal) the box keeps
        a 42 mm high area free of text."""
        leading = self.style["table" if kind == "group" else kind]["leading"]
        room = SealRoom(SEAL_MM * mm, b.get("with_lines", 2) * leading)
        room.beside_group = b.get("beside", False)  # the group's text before it stands left of the seal column
        return [room]

    def b_pagebreak(self, b: dict, kind: str) -> list:
        """Start a new page."""
        return [PageBreak()]

    def b_list(self, b: dict, kind: str) -> list:
        """One paragraph per item of a data list; blank lines when the list is empty."""
        items = self.m.data.get(b["key"]) or []
        if isinstance(items, str):
            items = [items]
        style = self.pstyle({"indent": b.get("indent", 0), **b}, b.get("style", kind))
        if not items:
            return [Spacer(1, b.get("blank_lines", 1) * style.leading)]
        out = []
        parent = self.m
        for n, item in enumerate(items, 1):
            extra = item if isinstance(item, dict) else {"item": item}
            self.m = Markup(self.fonts, {**parent.data, **extra, "n": n}, parent.labels)
            try:
                out.append(self.para(b.get("item", "{n}.{item}"), style))
            finally:
                self.m = parent
        return out

    def b_sign(self, b: dict, kind: str) -> list:
        """Signer and date: date 右空四字, signer centred over it, seal room above."""
        style = self.pstyle({"indent": 0}, kind)
        centred = ParagraphStyle("signc", parent=style, alignment=TA_CENTER)
        date = self.para(b.get("date", "{issue_date|sdate}"), centred)
        date.wrap(10 * 72, 200)
        width = max(date.getActualLineWidths0() or [0])
        lines = [self.para(t, centred) for t in b.get("signer", "").split("\n") if t]
        return [SignBlock([*lines, date], width, style.fontSize, b.get("seal_lines", 2), style.leading)]

    def b_table(self, b: dict, kind: str) -> list:
        """A fixed grid: label/value cells, spans, cells holding groups of blocks."""
        cell_style = self.pstyle({"indent": 0, **({"size": b["size"]} if "size" in b else {})}, "table")
        centre = set(b.get("center_cols", []))
        rows = [[self.cell(text, cell_style, c in centre) for c, text in enumerate(row)] for row in b["rows"]]
        widths = [w * mm for w in b["widths"]]
        heights = [h * mm if h else None for h in b.get("heights", [])] or None
        if heights:  # a fixed height is a minimum: a row of wrapped codes grows to hold them
            heights = [
                self._row_height(row, widths, b.get("spans", []), r, h)
                for r, (row, h) in enumerate(zip(rows, heights, strict=False))
            ] + heights[len(rows) :]
        table = Table(rows, colWidths=widths, rowHeights=heights, splitByRow=1)
        cmds = self.grid_style()
        cmds += [("SPAN", (s[0], s[1]), (s[2], s[3])) for s in b.get("spans", [])]
        cmds += [("VALIGN", (s[0], s[1]), (s[2], s[3]), "TOP") for s in b.get("top", [])]
        table.setStyle(TableStyle(cmds))
        return [table]

    @staticmethod
    def _beside_seal(out: list) -> list:
        """The trailing paragraphs of a group that are wrapped short of the seal column (they stand beside it)."""
        beside: list = []
        for f in reversed(out):
            if not isinstance(f, Paragraph) or f.style.rightIndent < SEAL_MM * mm:
                break
            beside.insert(0, f)
        return beside

    def _row_height(self, row: list, widths: list[float], spans: list, r: int, fixed: float | None) -> float | None:
        """The fixed height of row r, or more when a one-line value cell (codes) needs more lines."""
        if fixed is None:
            return None
        pad = self.style["table"]["padding"]
        need = fixed
        for c, cell in enumerate(row):
            if isinstance(cell, FitLine):
                span = next((s for s in spans if s[0] == c and s[1] == r), None)
                width = sum(widths[c : (span[2] if span else c) + 1]) - 2 * pad
                need = max(need, cell.wrap(width, BIG)[1] + 2 * pad)
        return need

    def grid_style(self) -> list:
        """Ruled grid, middle alignment, padding and a CJK font for every cell."""
        pad = self.style["table"]["padding"]
        return [
            ("GRID", (0, 0), (-1, -1), 0.75, black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),  # else empty cells pull in Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]

    def cell(self, text: str, style: ParagraphStyle, centre: bool):
        """One table cell: empty, a group of blocks ('@name'), a one-line value, or a paragraph."""
        if not text:
            return ""
        if text.startswith("@"):
            out: list = []
            for block in self.form["groups"][text[1:]]:
                for f in self.block(block, "group"):
                    if isinstance(f, SealRoom) and f.beside_group:
                        f.beside = self._beside_seal(out)
                    out.append(f)
            return out
        if centre:
            style = ParagraphStyle("c", parent=style, alignment=TA_CENTER)
        lines = text.split("\n")
        if not PLACEHOLDER.search(text) and max(len(ln) for ln in lines) <= LABEL_CHARS:
            return FitLabel(lines, self.m.render(text, style.fontName), style, self.fonts)  # labels never break
        whole = PLACEHOLDER.fullmatch(text)
        if whole and whole.group(3) and not whole.group(4) and not self.m.has_data(whole.group(3)):
            return ""  # an unfilled value cell stays empty for handwriting
        if whole and whole.group(3) in self.nowrap and self.m.has_data(whole.group(3)):
            value = self.m.value(whole.group(3))
            return FitLine(value, self.m.render(text, style.fontName), style, self.fonts)
        return self.para(text, style)

    def b_rows(self, b: dict, kind: str) -> list:
        """A table with one row per item of a data list; header repeats on every page."""
        cols = b["columns"]
        size = {"size": b["size"]} if "size" in b else {}
        head = self.pstyle({"indent": 0, "align": "center", "role": "heading", **size}, "table")
        body = self.pstyle({"indent": 0, **size}, "table")
        rows = [[self.para(c["label"], head) for c in cols]]
        items = self.m.data.get(b["source"]) or []
        parent = self.m
        for n, item in enumerate(items, 1):
            labels = {**parent.labels, **{c["key"]: c["label"] for c in cols}}
            self.m = Markup(self.fonts, {**item, "n": n}, labels)
            try:
                rows.append([self.row_cell(c, body) for c in cols])
            finally:
                self.m = parent
        rows += [[""] * len(cols) for _ in range(max(0, b.get("min_rows", 0) - len(items)))]
        table = Table(
            rows,
            colWidths=[c["width"] * mm for c in cols],
            repeatRows=1,
            rowHeights=None if items else [None] + [body.leading * 1.4] * (len(rows) - 1),
        )
        table.setStyle(TableStyle(self.grid_style()))
        return [table]

    def row_cell(self, col: dict, style: ParagraphStyle):
        """One cell of a data-bound row: number, one-line code, or wrapped text."""
        key = col["key"]
        if key == "#":
            return self.para("{n}", ParagraphStyle("n", parent=style, alignment=TA_CENTER))
        if key in self.nowrap and self.m.has_data(key):
            return FitLine(self.m.value(key), self.m.render("{" + key + "}", style.fontName), style, self.fonts)
        if col.get("align") == "center":
            style = ParagraphStyle("c", parent=style, alignment=TA_CENTER)
        text = self.m.value(key)
        return self.para("{" + key + "}", style) if text else ""
