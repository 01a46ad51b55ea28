"""PDF adapter: CJK font discovery and the generic renderer of the form definitions in forms/*.toml."""

from yibao_desktop.adapters.pdf.flowables import Cancelled
from yibao_desktop.adapters.pdf.fonts import FontMissing, FontSet, MissingGlyph, check_glyphs, find_fonts
from yibao_desktop.adapters.pdf.layout import (
    IncompleteDocument,
    form_format,
    form_ids,
    form_title,
    format_date,
    load_form,
    missing_required,
)
from yibao_desktop.adapters.pdf.renderer import form_flowables, render_batch, render_form

__all__ = [
    "Cancelled",
    "FontMissing",
    "FontSet",
    "IncompleteDocument",
    "MissingGlyph",
    "check_glyphs",
    "find_fonts",
    "form_flowables",
    "form_format",
    "form_ids",
    "form_title",
    "format_date",
    "load_form",
    "missing_required",
    "render_batch",
    "render_form",
]
