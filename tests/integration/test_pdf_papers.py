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
LETTERHEAD_FORMS = sorted(f for f in EDGE if pdf.form_format(pdf.load_form(f)) == "letter")
A4_HEIGHT = 297 * MM
# GB/T 9704-2012 10.1: on a letter's first page the text reaches down to 7/8 of a 3号 character (15.75 pt) over the
# second red double line (20 mm above the bottom edge, 3 pt thick)
LETTER_FOOT = A4_HEIGHT - 20 * MM - 3 - 7 / 8 * 15.75


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
        assert len(doc.pages) >= 2
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


# -- the proof over every form: type area, 五号 minimum, numbers and codes whole, no empty blank when issued -------

# annex 3 is left out: the annex prints all three options with their blanks and the person's signature line
EDGE_ISSUED = sorted(f for f in EDGE if pdf.load_form(f).get("required") and f != "annex3")


def _chars(page):
    """Characters of a page without the page-number line (it stands under the type area by design)."""
    numbers = {round(c["bottom"]) for c in page.chars if c["text"] == "—"}
    return [c for c in page.chars if round(c["bottom"]) not in numbers]


def _needles(data: dict) -> list[str]:
    """Numbers, codes and dates of a document's data that must print whole on one line."""
    from yibao_desktop.adapters.pdf import format_date

    out = []
    for key, value in data.items():
        if key.endswith(("date", "_start", "_end")) or key in ("start_date", "guidance_start"):
            text = format_date(value) if not isinstance(value, (list, dict)) else None
            out += [text] if text else []
        elif key in ("doc_no", "notice_no", "id_number", "institution_code", "agreement_no", "phone", "contact_phone"):
            out.append(str(value))
        elif key == "person_code":
            out += str(value).split("、")
        elif isinstance(value, list) and value and isinstance(value[0], dict):  # the rows of a list table
            rows = [{k: v for k, v in row.items() if k in ROW_CODES} for row in value]
            out += [n for row in rows for n in _needles(row)] + [str(r[k]) for r in rows for k in r if k in ROW_ONLY]
    return out


WHOLE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|[^\s：（）、，。；]{1,8}〔\d{4}〕\d+号|\d+(?:\.\d+)?[元分]"
)


def _texts(value) -> list[str]:
    """Every string inside a document's data (lists and rows included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def _written(data: dict) -> list[str]:
    """Dates, document numbers and amounts written inside the data's texts (a violation's 2026年4月28日)."""
    return [m.group(0) for t in _texts(data) for m in WHOLE.finditer(t)]


# codes of list rows that print whole (claim numbers, institution codes, ID numbers, service dates)
ROW_ONLY = ("claim_id", "code", "service_date")
ROW_CODES = ("id_number", "person_code", "service_date", *ROW_ONLY)


@pytest.mark.parametrize("form_id", sorted(EDGE))
def test_every_glyph_stands_inside_the_type_area_and_none_is_smaller_than_wuhao(printed, form_id):
    """Inside the type area, except on a letter's first page (GB/T 9704-2012 10.1): its 发文机关标志 30 mm from the
    page top stands over the area, and its text reaches down to 7/8 of a 3号 character over the second red line."""
    x0, top, x1, type_bottom = TYPE_AREA
    with open_pdf(printed[form_id]) as doc:
        for n, page in enumerate(doc.pages, 1):
            mark = n == 1 and form_id in LETTERHEAD_FORMS
            bottom = LETTER_FOOT if mark else type_bottom
            for c in _chars(page):
                where = f"{form_id} page {n} {c['text']!r}"
                assert x0 - 0.5 <= c["x0"] and c["x1"] <= x1 + 0.5, f"{where} x {c['x0']:.1f}–{c['x1']:.1f}"
                high = 30 * MM if mark and c["size"] > 20 else top  # the mark may stand over the type area
                assert high - 0.5 <= c["top"] and c["bottom"] <= bottom + 0.5, f"{where} y {c['top']:.1f}"
                assert c["size"] >= 10.5 - 0.01, f"{where} at {c['size']:.2f} pt"


@pytest.mark.parametrize("form_id", sorted(EDGE))
def _segments(page) -> list[str]:
    """Runs of text on one baseline with no gap wider than half a character: a line of a paragraph, or one cell's
    line of a table (cells side by side are separate runs)."""
    rows: dict[int, list] = {}
    for ch in page.chars:
        rows.setdefault(round(ch["bottom"]), []).append(ch)
    out = []
    for _, row in sorted(rows.items()):
        run = ""
        last = None
        for c in sorted(row, key=lambda c: c["x0"]):
            if last is not None and c["x0"] - last["x1"] > 0.5 * c["size"]:
                out.append(run.strip())
                run = ""
            run += c["text"]
            last = c
        out.append(run.strip())
    return [r for r in out if r]


def _split(needle: str, runs: list[str]) -> bool:
    """True when `needle` is printed broken: one run ends with its head, another starts with the rest."""
    if any(needle in r for r in runs):
        return False
    return any(
        any(r.endswith(needle[:k]) for r in runs) and any(r.startswith(needle[k:]) for r in runs)
        for k in range(1, len(needle))
        if max(k, len(needle) - k) >= 3  # one side long enough to be this needle, not any text
    )


@pytest.mark.parametrize("form_id", sorted(EDGE))
def test_no_number_code_or_date_is_split_across_lines(printed, form_id):
    """Numbers, codes and dates of the data (also those written inside a violation or a ground) print whole, in
    paragraphs and in table cells."""
    with open_pdf(printed[form_id]) as doc:
        runs = [r for page in doc.pages for r in _segments(page)]
    for needle in _needles(EDGE[form_id]) + _written(EDGE[form_id]):
        assert not _split(needle, runs), f"{form_id}: {needle} split across lines"


def test_the_split_check_sees_a_date_broken_in_a_narrow_cell():
    assert _split("2026年4月28日", ["2026年3月5日至", "2026年4月28", "日期间，在揭阳", "附属社区"])
    assert not _split("2026年4月28日", ["至2026年4月28日期间"])


def _blanks(page) -> list[float]:
    """Lengths of the underlined blanks on a page (short horizontal black rules; table rules span the table)."""
    return [
        ln["width"]
        for ln in page.lines
        if abs(ln["top"] - ln["bottom"]) < 1
        and ln["width"] < 120
        and tuple(ln.get("stroking_color") or (0,)) in ((0,), (0, 0, 0), (0.0,))
    ]


@pytest.mark.parametrize("form_id", EDGE_ISSUED)
def test_an_issued_document_prints_no_label_with_an_empty_blank(fonts, form_id):
    data = pdf.render_form(form_id, EDGE[form_id], fonts, office=OFFICE, issued=True)
    with open_pdf(data) as doc:
        assert not [b for page in doc.pages for b in _blanks(page)], form_id


def test_the_blank_check_sees_an_empty_contact(fonts):
    office = {**OFFICE, "contact": ""}
    data = pdf.render_form("supplement", {**EDGE["supplement"], "contact": ""}, fonts, office=office)
    with open_pdf(data) as doc:
        assert _blanks(doc.pages[0])


def test_person_codes_of_a_multi_site_person_print_at_wuhao_or_larger_on_several_lines(printed):
    with open_pdf(printed["annex3"]) as doc:
        page = doc.pages[0]
        sizes = {round(c["size"], 1) for c in page.chars if c["text"] == "D"}
        rows = {round(c["bottom"]) for c in page.chars if c["text"] == "D"}
    assert min(sizes) >= 10.5 and len(rows) >= 2


# -- this session's fixes: 信函格式 版头, labels whole, annex 3 option 3 at the cell width, annex 6 at full size,
# attachments numbered on, realistic content on one page --------------------------------------------------------


@pytest.mark.parametrize("form_id", LETTERHEAD_FORMS)
def test_the_issuing_authority_mark_stands_30_mm_from_the_page_top_and_page_one_has_no_number(printed, form_id):
    """GB/T 9704-2012 10.1 信函格式: 发文机关标志上边缘至上页边为30 mm, 红色双线 4 mm under it (上粗下细),
    首页不显示页码."""
    with open_pdf(printed[form_id]) as doc:
        page = doc.pages[0]
        first = min(c["top"] for c in page.chars)
        mark_bottom = max(c["bottom"] for c in page.chars if c["top"] < first + 1)
        lines = [ln for ln in page.lines if ln["top"] < mark_bottom + 10 * MM]
        numbered = [c for c in page.chars if c["text"] == "—" and c["top"] > TYPE_AREA[3]]
    assert abs(first - 30 * MM) <= 0.5 * MM, f"{form_id}: mark at {first / MM:.1f} mm"
    rules = sorted(lines, key=lambda ln: ln["top"])[:2]
    assert len(rules) == 2 and rules[0]["linewidth"] > rules[1]["linewidth"], f"{form_id}: no 上粗下细 double line"
    assert abs(rules[0]["top"] - mark_bottom - 4 * MM) <= 0.5 * MM, f"{form_id}: line {rules[0]['top'] / MM:.1f} mm"
    assert abs(rules[0]["x1"] - rules[0]["x0"] - 170 * MM) <= 0.5 * MM
    assert not numbered, f"{form_id}: page number on the first page"


def _red_rules(page) -> list[dict]:
    """The red horizontal rules of a page, top to bottom."""
    return sorted(
        (ln for ln in page.lines if tuple(ln.get("stroking_color") or ()) == (0.85, 0.0, 0.0)), key=lambda ln: ln["top"]
    )


@pytest.mark.parametrize("form_id", LETTERHEAD_FORMS)
def test_a_letter_has_its_second_red_line_20_mm_above_the_bottom_edge_with_the_text_clear_of_it(printed, form_id):
    """GB/T 9704-2012 10.1: 距下页边20 mm处印一条红色双线（上细下粗），线长170 mm，居中; 第二条红色双线上一行如有
    文字，与该线的距离为3号汉字高度的7/8. Page 2 of a letter is a plain page: no red line."""
    with open_pdf(printed[form_id]) as doc:
        page = doc.pages[0]
        head, *_ = _red_rules(page)
        foot = [ln for ln in _red_rules(page) if ln["top"] > A4_HEIGHT / 2]
        lowest = max(c["bottom"] for c in _chars(page))
        later = [ln for p in doc.pages[1:] for ln in _red_rules(p)]
    assert len(foot) == 2, f"{form_id}: {len(foot)} red rules at the foot"
    thin, thick = foot
    assert thin["linewidth"] < thick["linewidth"], f"{form_id}: not 上细下粗"
    lower_edge = A4_HEIGHT - (thick["bottom"] + thick["linewidth"] / 2)  # pdfplumber gives the stroke's centre
    assert abs(lower_edge - 20 * MM) <= 0.3 * MM, f"{form_id}: lower edge {lower_edge / MM:.2f} mm over the edge"
    assert abs(thin["x1"] - thin["x0"] - 170 * MM) <= 0.3 * MM
    assert abs(thin["x0"] - head["x0"]) < 0.5 and abs(thick["x1"] - head["x1"]) < 0.5  # under the first line
    upper_edge = thin["top"] - thin["linewidth"] / 2
    assert upper_edge - lowest >= 7 / 8 * 15.75 * 0.98, f"{form_id}: text {(upper_edge - lowest) / MM:.2f} mm over"
    assert not later, f"{form_id}: red rules after page 1"


def test_the_publicity_is_an_announcement_with_its_number_under_the_title_and_numbered_pages(printed):
    """A public announcement, not a letter: no red mark or lines, the registered number centred under the title,
    page numbers from page 1."""
    with open_pdf(printed["publicity"]) as doc:
        first = doc.pages[0]
        assert not [p for p in doc.pages if _red_rules(p)]
        lines = page_lines(first)
        number = [c for c in first.chars if c["top"] > TYPE_AREA[3]]
        centre = [
            (min(c["x0"] for c in r) + max(c["x1"] for c in r)) / 2
            for r in [[c for c in first.chars if round(c["bottom"]) == round(first.search("揭医保公")[0]["bottom"])]]
        ]
    assert lines[0] == "拟签订医保协议医药机构名单公示" and lines[1] == "揭医保公〔2026〕2号"
    assert "".join(c["text"] for c in number).replace(" ", "") == "—1—"
    assert abs(centre[0] - (TYPE_AREA[0] + TYPE_AREA[2]) / 2) < 1


def _labels(form: dict) -> list[str]:
    """The fixed label lines of a form's tables (姓名, 身份证号码, 认定违规行为 …)."""
    from yibao_desktop.adapters.pdf.layout import PLACEHOLDER

    out = []
    for b in form["blocks"]:
        for row in b.get("rows", []) if b.get("type") == "table" else []:
            out += [
                ln for t in row if t and not t.startswith("@") and not PLACEHOLDER.search(t) for ln in t.split("\n")
            ]
    return out


@pytest.mark.parametrize("form_id", sorted(f for f in EDGE if _labels(pdf.load_form(f))))
@pytest.mark.parametrize("case", ["edge", "blank"])
def test_no_table_label_breaks_inside_its_cell(printed, fonts, form_id, case):
    data = printed[form_id] if case == "edge" else pdf.render_form(form_id, {}, fonts, blank=True, office=OFFICE)
    with open_pdf(data) as doc:
        lines = [ln for page in doc.pages for ln in page_lines(page)]
    for label in _labels(pdf.load_form(form_id)):
        assert any(label in ln for ln in lines), f"{form_id} ({case}): label {label} broken across lines"


def test_annex3_option_3_wraps_at_the_width_of_its_cell(printed):
    """The seal area stands under the options: the decided option's lines run to the cell's right edge."""
    with open_pdf(printed["annex3"]) as doc:
        rows: dict[int, list] = {}
        for c in doc.pages[0].chars:
            rows.setdefault(round(c["bottom"]), []).append(c)
    ordered = [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]
    text = ["".join(c["text"] for c in r) for r in ordered]
    start = next(i for i, t in enumerate(text) if "3.予以终止" in t)
    end = next(i for i, t in enumerate(text) if i > start and "审核" in t)
    right = max(c["x1"] for r in ordered[start:end] for c in r)  # its lines, not the seal column's 公章
    # beside a 46 mm seal column it would end ≥ 46 mm short; 禁则 and the cell padding leave a few mm
    assert right >= TYPE_AREA[2] - 20 * MM, f"option 3 ends {(TYPE_AREA[2] - right) / MM:.1f} mm short of the cell"


def test_annex6_prints_a_realistic_application_at_full_size_and_the_edge_case_legibly(fonts):
    from tests.pdf_cases import REALISTIC
    from yibao_desktop.adapters.pdf import renderer

    _pdf, level = renderer._fitted("annex6", REALISTIC["annex6"], fonts, False, OFFICE)
    assert level <= 1  # 13 pt grid, leading at most one step tighter
    edge, level = renderer._fitted("annex6", EDGE["annex6"], fonts, False, OFFICE)
    assert level <= 6  # the grid at 11 pt or more (13 × 0.86), not the smallest step
    with open_pdf(edge) as doc:
        assert len(doc.pages) == 1


@pytest.mark.parametrize("form_id", sorted(f for f in EDGE if PAGES[f] == 1))
def test_realistic_content_keeps_a_one_page_form_on_one_page(fonts, form_id):
    from tests.pdf_cases import REALISTIC

    with open_pdf(pdf.render_form(form_id, REALISTIC[form_id], fonts, office=OFFICE)) as doc:
        assert len(doc.pages) == 1
        assert min(c["size"] for p in doc.pages for c in p.chars) >= 10.5


def test_an_attachment_is_numbered_on_from_the_notice_and_the_file_carries_the_issue_date(fonts):
    data = {**EDGE["evaluation"], "checks": EDGE["evaluation_checks"]["checks"]}
    both = pdf.render_batch(
        [("evaluation", data, 1), ("evaluation_checks", data, 1)], fonts, office=OFFICE, attached=True
    )
    with open_pdf(both) as doc:
        numbers = ["".join(c["text"] for c in p.chars if c not in _chars(p)) for p in doc.pages]  # the "— n —" line
        assert doc.metadata["CreationDate"] == "D:20261120000000+08'00'"
    # the letter's first page shows no number (GB/T 9704-2012 10.1), its attachment counts on: 2, 3
    assert [re.sub(r"\D", "", n) for n in numbers] == ["", "2", "3"]  # notice on one page, attachment on two


def _rows(page) -> list[tuple[float, float, str]]:
    """(baseline, left edge, text) of each line of a page, top to bottom."""
    rows: dict[int, list] = {}
    for c in page.chars:
        rows.setdefault(round(c["bottom"]), []).append(c)
    return [
        (k, min(c["x0"] for c in r), "".join(c["text"] for c in sorted(r, key=lambda c: c["x0"])))
        for k, r in sorted(rows.items())
    ]


def test_the_evaluation_notice_names_its_attachment_under_the_text_and_over_the_signature(printed, fonts):
    """GB/T 9704-2012 7.3.4 附件说明: 正文下空一行左空二字编排"附件"二字，后标全角冒号和附件名称; the seal's
    signature follows it. Without the attachment (no checks) the line is not printed."""
    with open_pdf(printed["evaluation"]) as doc:
        rows = _rows(doc.pages[0])
    at = next(i for i, r in enumerate(rows) if r[2] == "附件：评估核查事项")
    gap = rows[at][0] - rows[at - 1][0]
    line = rows[at - 1][0] - rows[at - 2][0]  # the grid of the text above
    assert gap >= 1.8 * line, f"no blank line above the 附件说明 ({gap:.1f} pt, grid {line:.1f} pt)"
    char = (rows[at][1] - TYPE_AREA[0]) / 2  # 左空二字 at the notice's type size (10.5–15.75 pt)
    assert 10.5 <= char <= 16, f"附件说明 indented {rows[at][1] - TYPE_AREA[0]:.1f} pt, not two characters"
    assert OFFICE["name"] in rows[at + 1][2]  # the signature comes next
    without = {k: v for k, v in EDGE["evaluation"].items() if k != "checks"}
    with open_pdf(pdf.render_form("evaluation", without, fonts, office=OFFICE)) as doc:
        assert "附件：" not in "".join(page_lines(doc.pages[0]))


def test_a_form_format_must_agree_with_its_letterhead():
    """信函格式 needs its 发文机关标志; an announcement or an annex may not carry one; without `format` a form with a
    letterhead is a letter."""
    from yibao_desktop.domain.errors import DomainError

    head = [{"type": "letterhead"}]
    assert pdf.form_format({"blocks": head}) == "letter" and pdf.form_format({"blocks": []}) == "form"
    assert pdf.form_format({"format": "announcement", "blocks": []}) == "announcement"
    for bad in ({"format": "letter", "blocks": []}, {"format": "announcement", "blocks": head}, {"format": "memo"}):
        with pytest.raises(DomainError, match="版式"):
            pdf.form_format({"id": "x", **bad})
    assert pdf.form_format(pdf.load_form("publicity")) == "announcement"


@pytest.mark.parametrize(
    ("form_id", "key", "times"),
    [("publicity", "institutions", 2), ("publicity", "institutions", 5), ("recovery_notice", "lines", 9)],
)
def test_a_long_list_runs_over_pages_with_four_lines_on_each_and_the_signature_with_its_text(
    fonts, form_id, key, times
):
    """A legitimately multi-page paper (a long list): no page holds fewer than four lines, the last page carries the
    signature with at least two lines or rows of what it signs."""
    data = {**EDGE[form_id], key: EDGE[form_id][key] * times}
    with open_pdf(pdf.render_form(form_id, data, fonts, office=OFFICE)) as doc:
        pages = [page_lines(p) for p in doc.pages]
    assert len(pages) >= 2
    assert all(len(p) >= 4 for p in pages), [len(p) for p in pages]
    last = pages[-1]
    signer = next(i for i, ln in enumerate(last) if ln == OFFICE["name"])
    assert signer >= 2 and last[-1].endswith("日"), last


@pytest.mark.parametrize("form_id", sorted(EDGE))
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(printed, form_id):
    """GB/T 15834 禁则 on the printed paper, in paragraphs and in every table cell's lines."""
    from yibao_desktop.adapters.pdf.linebreak import CANNOT_END, CANNOT_START

    with open_pdf(printed[form_id]) as doc:
        runs = [r for page in doc.pages for r in _segments(page) if not re.fullmatch(r"—\s*\d+\s*—", r)]
    assert not [r for r in runs if r[0] in CANNOT_START], form_id
    assert not [r for r in runs if r[-1] in CANNOT_END], form_id
