"""Document numbers (文号) in the order a clerk reads them: 揭医保记〔2026〕2号 before 〔2026〕10号."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^(?P<prefix>.*?)[〔\[［(（](?P<year>\d{4})[〕\]］)）]第?(?P<serial>\d+)号?(?P<rest>.*)$")


def doc_no_sort_key(doc_no: str | None) -> tuple[str, int, int, str]:
    """(issuer prefix, year, serial, rest): by issuer, then year, then the serial as a number; a text that is no
    document number sorts by itself after the numbered ones of its prefix."""
    text = (doc_no or "").strip()
    m = _NUMBER.match(text)
    if m is None:
        return (text, 0, 0, "")
    return (m["prefix"], int(m["year"]), int(m["serial"]), m["rest"])
