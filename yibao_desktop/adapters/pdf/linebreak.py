"""Chinese line breaking for reportlab paragraphs (installed once, for every paragraph with wordWrap="CJK").

reportlab cuts CJK text "like a knife" and lets one closing mark hang into the right margin. A 公文 clerk
does neither: GB/T 15834 禁则 (no line starts with a closing mark, none ends with an opening one) is met by
moving a character down to the next line, never by hanging it outside the type area, and document numbers,
dates, codes and numbers with their unit are never split across lines.
"""

from __future__ import annotations

import re

from reportlab.lib import textsplit as _rl_textsplit
from reportlab.platypus import paragraph as _rl_paragraph

# GB/T 15834-2011 4.x: marks that may not begin a line / may not end a line
CANNOT_START = "，。、；：？！）》〕】」』〉”’…—·%％,.;:?!)]}"
CANNOT_END = "（《〔【「『〈“‘([{"
# Runs printed on one line: 揭医保告〔2026〕30号, 2026年11月16日, 2026年11月, 11月16日, codes and numbers with unit.
KEEP = re.compile(
    r"[\u4e00-\u9fff]{0,6}〔\d{4}〕\d+号"
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?"
    r"|\d{1,2}月\d{1,2}日"
    r"|[0-9A-Za-z][0-9A-Za-z.\-_/:]*(?:个工作日|个月|周岁|分|年|月|日|号|家|次|天|项|条|%|％)?"
)
_FUZZ = 1e-6


def breakable(text: str) -> list[bool]:
    """allowed[i]: may a line start at character i (0 < i < len)?"""
    n = len(text)
    allowed = [True] * (n + 1)
    for m in KEEP.finditer(text):
        for i in range(m.start() + 1, m.end()):
            allowed[i] = False
    for i in range(1, n):
        if text[i] in CANNOT_START or text[i - 1] in CANNOT_END:
            allowed[i] = False
    return allowed


def line_ranges(text: str, widths: list[float], max_widths: list[float], hard: set[int] = frozenset()) -> list:
    """Greedy lines (start, end, width_used) that never exceed their width unless one unbreakable run is
    wider than a whole line; `hard` holds indexes after which a forced line break (<br/>) stands."""
    allowed = breakable(text)
    n, out, start = len(text), [], 0
    while start < n:
        limit = max_widths[min(len(out), len(max_widths) - 1)]
        used, j = 0.0, start
        while j < n and (j == start or used + widths[j] <= limit + _FUZZ):
            used += widths[j]
            j += 1
            if j - 1 in hard:
                break
        if j < n and (j - 1) not in hard and not allowed[j]:
            back = next((b for b in range(j - 1, start, -1) if allowed[b]), None)
            if back is not None:
                j = back
        out.append((start, j, sum(widths[start:j])))
        start = j
    return out


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """Replacement of reportlab's cjkFragSplit (multi-fragment paragraphs)."""
    units = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            units.extend(_rl_paragraph.cjkU(t, f, encoding) for t in text)
        else:
            units.append(_rl_paragraph.cjkU(text, f, encoding))
    text = "".join(u if len(u) == 1 else "\u0000" for u in units)
    hard = {i for i, u in enumerate(units) if hasattr(u.frag, "lineBreak")}
    lines = []
    for start, end, used in line_ranges(text, [u.width for u in units], list(maxWidths), hard):
        width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        line_break = (end - 1) in hard
        lines.append(_rl_paragraph.makeCJKParaLine(units[start:end], width, used, width - used, line_break, calcBounds))
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


def _word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):
    """Replacement of reportlab's wordSplit (single-fragment paragraphs)."""
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    text = word.decode(encoding) if isinstance(word, bytes) else word
    widths = _rl_textsplit.getCharWidths(text, fontName, fontSize)
    lines = []
    for start, end, used in line_ranges(text, widths, list(maxWidths)):
        width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        lines.append([width - used, text[start:end]])
    return lines


def install() -> None:
    """Make reportlab's CJK wrapping use these rules (idempotent)."""
    _rl_paragraph.cjkFragSplit = _cjk_frag_split
    _rl_paragraph.wordSplit = _word_split
