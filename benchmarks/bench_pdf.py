"""Benchmark: 1,000 annex-3 notices through the form renderer vs a bare reportlab build of the same pages.

Run: /tmp/venv/bin/python benchmarks/bench_pdf.py [count]
Prints seconds and ms/page for one batch PDF and for separate files, and the ratio to bare reportlab (target ≤ 1.5×).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results_file import record  # noqa: E402

from yibao_desktop.adapters.pdf import find_fonts, render_batch, render_form  # noqa: E402


def notice(i: int) -> dict:
    """Data of the i-th sample disposition notice."""
    return {
        "doc_no": f"揭医保记〔2026〕{i}号",
        "institution_name": "揭阳市榕城区人民医院",
        "name": f"张{i % 97}",
        "sex": "男",
        "id_number": "445202199001011234",
        "person_code": f"D445202{i:06d}",
        "violations": ["2026年3月5日，冒名结算（主要责任）", "同一年度内重复发生同一违规行为"],
        "points": 7,
        "year_total": 9,
        "disposition": "suspension",
        "suspend_months": 3,
        "suspend_start": dt.date(2026, 3, 15),
        "suspend_end": dt.date(2026, 6, 14),
        "issue_date": "2026-03-13",
    }


def bare_story(fonts, d: dict) -> list:
    """The same page built by hand with plain reportlab calls (no form file, no templating, no glyph checks)."""
    body = ParagraphStyle("b", fontName=fonts.body, fontSize=16, leading=28.9, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=fonts.body, fontSize=14, leading=21, wordWrap="CJK")
    centre = ParagraphStyle("cc", parent=cell, alignment=TA_CENTER)
    title = ParagraphStyle("t", fontName=fonts.title, fontSize=22, leading=32, alignment=TA_CENTER)
    ind = ParagraphStyle("i", parent=cell, firstLineIndent=28, rightIndent=14)
    sym = fonts.symbol
    box = f'<font face="{sym}">☐</font>'
    tick = f'<font face="{sym}">☑</font>'
    disposition = [
        Paragraph(f"本次记分{d['points']}分，本年度累计记分{d['year_total']}分。", ind),
        Paragraph(f"{box}1.予以提醒谈话一次，望尽快改正。", ind),
        Paragraph(
            f"{tick}2.予以暂停结算资格{d['suspend_months']}个月，暂停时间自2026年3月15日起至2026年6月14日止。"
            "定点医药机构按规定做好相关人员登记备案状态维护。如需恢复，可在暂停期满后向本医疗保障经办机构提出申请。",
            ind,
        ),
        Paragraph(
            f"{box}3.予以终止结算资格<u>\xa0\xa0\xa0\xa0</u>年，终止时间自<u>\xa0\xa0\xa0\xa0\xa0\xa0</u>年"
            "<u>\xa0\xa0\xa0\xa0</u>月<u>\xa0\xa0\xa0\xa0</u>日起至<u>\xa0\xa0\xa0\xa0\xa0\xa0</u>年<u>\xa0\xa0\xa0\xa0</u>月"
            "<u>\xa0\xa0\xa0\xa0</u>日止。定点医药机构按规定做好相关人员登记备案状态维护。如需恢复，可在终止期满后向本医疗保障经办机构提出申请。",
            ind,
        ),
        Spacer(1, 4),
        Paragraph("公章：", ParagraphStyle("s", parent=cell, leftIndent=168)),
        Paragraph("日期：2026年3月13日", ParagraphStyle("s2", parent=cell, leftIndent=168)),
    ]
    rows = [
        [
            Paragraph("姓名", centre),
            Paragraph(d["name"], cell),
            Paragraph("性别", centre),
            Paragraph("男", cell),
        ],
        [
            Paragraph("身份证号码", centre),
            Paragraph(d["id_number"], cell),
            Paragraph("医保代码", centre),
            Paragraph(d["person_code"], cell),
        ],
        [
            Paragraph("违规行为", centre),
            [Paragraph(f"{n}.{v}", cell) for n, v in enumerate(d["violations"], 1)],
            "",
            "",
        ],
        [Paragraph("医疗保障<br/>经办机构<br/>处理意见", centre), disposition, "", ""],
        [
            Paragraph("相关人员签字", centre),
            "",
            Paragraph("日期", centre),
            Paragraph("\xa0" * 4 + "年\xa0\xa0\xa0月\xa0\xa0\xa0日", cell),
        ],
    ]
    table = Table(
        rows,
        colWidths=[34 * mm, 46 * mm, 26 * mm, 50 * mm],
        rowHeights=[10 * mm, 10 * mm, None, None, 12 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.body),
                ("SPAN", (1, 2), (3, 2)),
                ("SPAN", (1, 3), (3, 3)),
            ]
        )
    )
    note = ParagraphStyle("n", fontName=fonts.body, fontSize=12, leading=18)
    return [
        Paragraph("定点医药机构相关人员<br/>医保支付资格处理通知书", title),
        Spacer(1, 13),
        Paragraph(f"文号：{d['doc_no']}", body),
        Paragraph(f"定点医药机构名称：{d['institution_name']}", body),
        Spacer(1, 9),
        table,
        Spacer(1, 9),
        Paragraph("如有异议，可在收到处理通知书后10个工作日内，向医疗保障部门提出书面申诉。", note),
        Paragraph("本通知书经办机构留存一份，相关人员及所属机构（含多点执业机构）各执一份。", note),
    ]


def bare_build(fonts, stories: list[list]) -> bytes:
    """One PDF from prepared stories with a plain A4 template and page numbers."""
    buf = io.BytesIO()
    frame = Frame(28 * mm, 35 * mm, 156 * mm, 225 * mm, 0, 0, 0, 0)

    def number(canv, doc):
        canv.setFont(fonts.body, 14)
        canv.drawRightString(170 * mm, 25 * mm, "— 1 —")

    doc = BaseDocTemplate(buf, pagesize=A4, initialFontName=fonts.body)
    doc.addPageTemplates([PageTemplate(frames=[frame], onPageEnd=number)])
    story: list = []
    for s in stories:
        if story:
            story.append(PageBreak())
        story.extend(s)
    doc.build(story)
    return buf.getvalue()


def timed(label: str, fn, pages: int) -> float:
    """Run fn once and print seconds and ms per page."""
    start = time.perf_counter()
    fn()
    secs = time.perf_counter() - start
    print(f"{label:<42} {secs:7.2f} s  {secs / pages * 1000:6.1f} ms/page")
    return secs


def notice_docx(d: dict) -> bytes:
    """A one-page Word document with the same notice text (the route clerks use today)."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    lines = [
        "定点医药机构相关人员医保支付资格处理通知书",
        f"文号：{d['doc_no']}",
        f"定点医药机构名称：{d['institution_name']}",
        f"姓名：{d['name']}　性别：{d['sex']}　身份证号码：{d['id_number']}　医保代码：{d['person_code']}",
        "违规行为：" + "；".join(d["violations"]),
        f"本次记分{d['points']}分，本年度累计记分{d['year_total']}分。",
        f"☑2.予以暂停结算资格{d.get('suspend_months', '')}个月。定点医药机构按规定做好相关人员登记备案状态维护。",
        "如有异议，可在收到处理通知书后10个工作日内，向医疗保障部门提出书面申诉。",
    ]
    body = "".join(
        f'<w:p><w:r><w:rPr><w:rFonts w:eastAsia="AR PL UMing CN"/><w:sz w:val="32"/></w:rPr>'
        f"<w:t>{escape(t)}</w:t></w:r></w:p>"
        for t in lines
    )
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f'{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        z.writestr("word/document.xml", doc)
    return buf.getvalue()


def soffice_compare(data: list[dict], fonts, out: Path) -> None:
    """100 one-page .docx notices converted by LibreOffice vs the same 100 as our PDFs, in this run."""
    import subprocess

    docs = out / "docx"
    docs.mkdir()
    paths = []
    for i, d in enumerate(data):
        path = docs / f"notice_{i}.docx"
        path.write_bytes(notice_docx(d))
        paths.append(str(path))
    start = time.perf_counter()
    for path in paths:  # one document at a time, as a clerk converts them
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docs), path],
            check=True,
            capture_output=True,
            timeout=120,
        )
    soffice = time.perf_counter() - start
    start = time.perf_counter()
    for i, d in enumerate(data):
        (out / f"cmp_{i}.pdf").write_bytes(render_form("annex3", d, fonts))
    ours = time.perf_counter() - start
    n = len(data)
    print(f"soffice --convert-to pdf, {n} .docx one by one: {soffice:7.2f} s  {soffice / n * 1000:6.1f} ms/document")
    print(
        f"render_form, the same {n} notices:             {ours:7.2f} s  {ours / n * 1000:6.1f} ms/document "
        f"({soffice / ours:.0f}x faster)"
    )


def main(count: int = 1000) -> None:
    """Time the four builds and print the ratios."""
    fonts = find_fonts()
    data = [notice(i) for i in range(1, count + 1)]
    out = Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    try:
        render_form("annex3", data[0], fonts)  # warm-up: font loading and form parsing once
        sizes: dict[str, int] = {}

        def ours_one():
            sizes["ours"] = len(render_batch([("annex3", d, 1) for d in data], fonts))

        def ours_many():
            for i, d in enumerate(data):
                (out / f"ours_{i}.pdf").write_bytes(render_form("annex3", d, fonts))

        def bare_one():
            sizes["bare"] = len(bare_build(fonts, [bare_story(fonts, d) for d in data]))

        def bare_many():
            for i, d in enumerate(data):
                (out / f"bare_{i}.pdf").write_bytes(bare_build(fonts, [bare_story(fonts, d)]))

        b1 = timed(f"bare reportlab, one PDF of {count}", bare_one, count)
        o1 = timed(f"render_batch, one PDF of {count}", ours_one, count)
        bn = timed(f"bare reportlab, {count} files", bare_many, count)
        on = timed(f"render_form, {count} files", ours_many, count)
        print(f"one PDF: {sizes['ours'] / 1e6:.1f} MB (bare {sizes['bare'] / 1e6:.1f} MB)")
        print(f"ratio one PDF   : {o1 / b1:.2f}x bare reportlab (target <= 1.5x)")
        print(f"ratio many files: {on / bn:.2f}x bare reportlab (target <= 1.5x)")
        record(
            "pdf",
            {"one_pdf_vs_bare_reportlab": o1 / b1, "many_files_vs_bare_reportlab": on / bn},
            {"ours_one_pdf_ms_per_page": o1 / count * 1000, "ours_many_ms_per_file": on / count * 1000},
            f"{count} annex-3 notices, one run of each build",
        )
        if shutil.which("soffice") is None:
            print(
                "soffice (LibreOffice) not installed: .docx conversion comparison skipped "
                "(apt-get install libreoffice-writer-nogui)"
            )
        else:
            soffice_compare(data[:100], fonts, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
