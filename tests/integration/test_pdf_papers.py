"""Every form printed with the edge cases (a 38-character institution name, a multi-site person with four codes
and two long violations, 阿依古丽·买买提), measured from the PDF's character boxes (pdfplumber)."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from tests.pdf_cases import EDGE, OFFICE, PAGES
from yibao_desktop.adapters import pdf

MM = 72 / 25.4
TYPE_AREA = (28 * MM, 37 * MM, (28 + 156) * MM, (37 + 225) * MM)  # x0, top, x1, bottom (A4, from the top)


def page_lines(page) -> list[str]:
    """Text lines of a page (characters grouped by baseline), the page number line left out."""
    rows: dict[int, list] = {}
    for ch in page.chars:
        rows.setdefault(round(ch["bottom"]), []).append(ch)
    lines = ["".join(c["text"] for c in sorted(r, key=lambda c: c["x0"])) for _, r in sorted(rows.items())]
    return [ln for ln in (x.strip() for x in lines) if ln and not re.fullmatch(r"—\s*\d+\s*—", ln)]


def open_pdf(data: bytes):
    return pdfplumber.open(io.BytesIO(data))


@pytest.fixture(scope="module")
def printed(fonts):
    """form id → the filled PDF of its edge case."""
    return {fid: pdf.render_form(fid, data, fonts, office=OFFICE) for fid, data in EDGE.items()}


def test_every_form_has_an_edge_case():
    assert set(EDGE) == set(pdf.form_ids())


@pytest.mark.parametrize("form_id", sorted(EDGE))
def test_page_count_and_no_page_with_fewer_than_four_lines(printed, form_id):
    with open_pdf(printed[form_id]) as doc:
        assert len(doc.pages) == PAGES[form_id]
        for n, page in enumerate(doc.pages, 1):
            assert len(page_lines(page)) >= 4, f"{form_id} page {n}: {page_lines(page)}"


@pytest.mark.parametrize("form_id", sorted(EDGE))
def test_blank_form_fits_its_pages(fonts, form_id):
    with open_pdf(pdf.render_form(form_id, {}, fonts, blank=True, office=OFFICE)) as doc:
        assert len(doc.pages) <= PAGES[form_id]


def test_publicity_signature_keeps_two_rows_of_the_list(fonts):
    data = {**EDGE["publicity"], "institutions": EDGE["publicity"]["institutions"] * 3}
    with open_pdf(pdf.render_form("publicity", data, fonts, office=OFFICE)) as doc:
        last = page_lines(doc.pages[-1])
    assert sum(1 for ln in last if "H445202" in ln) >= 2
    assert any(OFFICE["name"] in ln for ln in last)


def test_signature_of_a_long_notice_goes_with_two_lines_of_its_text(fonts):
    data = {**EDGE["agreement_suspension"], "reasons": EDGE["agreement_suspension"]["reasons"] * 4}
    with open_pdf(pdf.render_form("agreement_suspension", data, fonts, office=OFFICE)) as doc:
        assert len(doc.pages) == 2
        last = page_lines(doc.pages[-1])
    assert len(last) >= 4 and last[-1] == "2026年11月13日"


@pytest.mark.parametrize("form_id", ["refusal", "annex3", "publicity"])
def test_an_issued_paper_states_its_issue_date_as_creation_date_and_prints_byte_identically(fonts, form_id):
    first = pdf.render_form(form_id, EDGE[form_id], fonts, office=OFFICE)
    assert pdf.render_form(form_id, EDGE[form_id], fonts, office=OFFICE) == first
    issued = EDGE[form_id]["issue_date"]
    stamp = f"D:{issued.strftime('%Y%m%d') if hasattr(issued, 'strftime') else issued.replace('-', '')}000000+08'00'"
    with open_pdf(first) as doc:
        assert doc.metadata["CreationDate"] == stamp and doc.metadata["ModDate"] == stamp
