"""Form definitions (forms/*.toml) and text templating: placeholders → reportlab paragraph markup."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from yibao_desktop.adapters.pdf.fonts import FontSet, check_glyphs
from yibao_desktop.domain.errors import DomainError, NotFound
from yibao_desktop.paths import forms_dir

# {check:key=value}  |  {key}  {key:6}  {key|date}  {key|date:6}
PLACEHOLDER = re.compile(r"\{(?:check:(\w+)=([^}]+)|(\w+)(?:\|(\w+))?(?::(\d+))?)\}")
IDEO_SPACE = "\u3000"
# reportlab collapses runs of ordinary and ideographic spaces; two no-break spaces keep one character of room.
NBSP = "\u00a0"
GAP = NBSP * 2
DEFAULT_BLANK = 4  # characters of underline printed for a missing inline value
TICKED, UNTICKED = "☑", "☐"
FALLBACK_TICKED, FALLBACK_UNTICKED = "■", "□"  # when no symbol font supplies ☑☐


def form_ids(folder: Path | None = None) -> list[str]:
    """Ids of every printable form (file stems in forms/, files starting with '_' are shared settings)."""
    folder = folder or forms_dir()
    return sorted(p.stem for p in folder.glob("*.toml") if not p.stem.startswith("_"))


@lru_cache(maxsize=64)
def _load(path: str) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load_form(form_id: str, folder: Path | None = None) -> dict:
    """The parsed definition of one form (cached per process)."""
    path = (folder or forms_dir()) / f"{form_id}.toml"
    if form_id.startswith("_") or not path.is_file():
        raise NotFound(f"没有名为“{form_id}”的表单定义（forms/{form_id}.toml）。")
    return _load(str(path))


def load_style(folder: Path | None = None) -> dict:
    """Shared page geometry and type sizes (forms/_style.toml)."""
    return _load(str((folder or forms_dir()) / "_style.toml"))


def form_title(form_id: str) -> str:
    """The printed title of a form, e.g. 定点医药机构相关人员医保支付资格处理通知书."""
    return load_form(form_id)["title"]


FORMATS = ("letter", "announcement", "form")


def form_format(form: dict) -> str:
    """How a form is laid out: "letter" (GB/T 9704-2012 10.1 信函格式, a notice to one addressee with the red mark
    and double lines), "announcement" (a public notice: title, number under it, no 版头, numbered pages) or
    "form" (the annexes: a titled form). Given by the form's `format`; a form with a letterhead block is a letter."""
    has_head = any(b.get("type") == "letterhead" for b in form.get("blocks", []))
    fmt = form.get("format", "letter" if has_head else "form")
    if fmt not in FORMATS or (fmt == "letter") != has_head:
        raise DomainError(
            f"表单“{form.get('id')}”的版式“{fmt}”与其版头不符：信函格式须有发文机关标志，其他版式不得有。"
        )
    return fmt


def format_date(value) -> str | None:
    """date / datetime / 'YYYY-MM-DD' → '2026年3月15日'; None or '' → None."""
    d = _as_date(value)
    return None if d is None else f"{d.year}年{d.month}月{d.day}日"


def _as_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise DomainError(f"日期“{value}”格式不对，应为 年-月-日（如 2026-03-15）。") from exc


class Markup:
    """Turns form templates plus data into paragraph markup, checking and substituting glyphs."""

    def __init__(self, fonts: FontSet, data: dict, labels: dict[str, str]):
        self.fonts = fonts
        self.data = data
        self.labels = labels
        self.sym = fonts.symbol

    def text(self, raw: str, font: str) -> str:
        """Escaped markup for literal text; characters missing from `font` switch to a font that has them."""
        out: list[str] = []
        for ch in raw:
            if ch == "\n":
                out.append("<br/>")
                continue
            if ch == IDEO_SPACE:
                out.append(GAP)
                continue
            name = font if self.fonts.has(font, ch) else self.fonts.font_for(ch, font)
            piece = escape(ch)
            out.append(piece if name in (font, None) else f'<font face="{name}">{piece}</font>')
        return "".join(out)

    def value(self, key: str) -> str:
        """Data value as text ('' when missing); lists join with '、'."""
        v = self.data.get(key)
        if v is None:
            return ""
        if isinstance(v, (list, tuple)):
            return "、".join(str(x) for x in v)
        if isinstance(v, dt.date):
            return format_date(v) or ""
        return str(v)

    def checked(self, key: str, option: str) -> bool:
        """Is `option` chosen for `key` (single value or a list of values)."""
        v = self.data.get(key)
        if isinstance(v, (list, tuple, set)):
            return option in {str(x) for x in v}
        if isinstance(v, bool):
            return option == ("是" if v else "否")
        return v is not None and str(v) == option

    def checkbox(self, on: bool) -> str:
        """☑/☐ in the symbol font, or ■/□ from the CJK font when no symbol font exists."""
        if self.sym:
            return f'<font face="{self.sym}">{TICKED if on else UNTICKED}</font>'
        return FALLBACK_TICKED if on else FALLBACK_UNTICKED

    def blank(self, width: int) -> str:
        """An underlined gap `width` characters wide for hand filling."""
        return f"<u>{GAP * width}</u>"

    def field(self, key: str, fmt: str | None, width: int | None, font: str) -> str:
        """One placeholder rendered: the checked value, or a blank line when the data lacks it."""
        if fmt in ("date", "sdate"):
            text = format_date(self.data.get(key))
            if text is None:
                if fmt == "sdate":  # signature dates: room to write, no rule (half-character units)
                    return f"{NBSP * (width or 4)}年{NBSP * 3}月{NBSP * 3}日"
                return f"{self.blank(width or 3)}年{self.blank(2)}月{self.blank(2)}日"
        elif fmt == "ym":
            d = _as_date(self.data.get(key))
            if d is None:
                return f"{self.blank(width or 3)}年{self.blank(2)}月"
            text = f"{d.year}年{d.month}月"
        else:
            text = self.value(key)
            if not text:
                return self.blank(width or DEFAULT_BLANK)
        check_glyphs(text, self.labels.get(key, key), self.fonts)
        return self.text(text, font)

    def render(self, template: str, font: str) -> str:
        """Template with placeholders → paragraph markup."""
        out: list[str] = []
        pos = 0
        for m in PLACEHOLDER.finditer(template):
            out.append(self.text(template[pos : m.start()], font))
            if m.group(1):
                out.append(self.checkbox(self.checked(m.group(1), m.group(2))))
            else:
                width = int(m.group(5)) if m.group(5) else None
                out.append(self.field(m.group(3), m.group(4), width, font))
            pos = m.end()
        out.append(self.text(template[pos:], font))
        return "".join(out)

    def has_data(self, key: str) -> bool:
        """True when the data holds a non-empty value for `key`."""
        v = self.data.get(key)
        return v not in (None, "", [], ())


class IncompleteDocument(DomainError):
    """An issued document would print with an empty blank; `missing` holds the Chinese names of those fields."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message, field=missing[0] if missing else None)
        self.missing = missing


# Values an office keeps in its settings (设置 → 经办机构); named so the clerk knows where to fill them in.
OFFICE_KEYS = {"office_name", "contact", "contact_phone", "office_address"}


def _filled(data: dict, key: str) -> bool:
    return data.get(key) not in (None, "", [], ())


def missing_required(form: dict, data: dict) -> list[str]:
    """Keys an issued document must carry (the form's `required`, plus `required_when` for the chosen option)
    that `data` lacks."""
    keys = list(form.get("required", []))
    for key, options in form.get("required_when", {}).items():
        keys += options.get(str(data.get(key, "")), [])
    return [k for k in dict.fromkeys(keys) if not _filled(data, k)]


def check_required(form: dict, data: dict) -> None:
    """Refuse an issued document with an empty required blank, naming every missing field in Chinese."""
    missing = missing_required(form, data)
    if not missing:
        return
    labels = form.get("labels", {})
    names = [labels.get(k, k) for k in missing]
    message = f"《{form['title']}》不能签发，缺少：{'、'.join(names)}。"
    office = [labels.get(k, k) for k in missing if k in OFFICE_KEYS]
    if office:
        message += f"{'、'.join(office)}请先在“设置 → 经办机构”中填写。"
    raise IncompleteDocument(message, names)
