"""Filled annexes from the GUI: the appeals tab prints the selected appeal's 陈述申辩书, the 更多… menu of 人员记分
issues a numbered 抄告书 and prints the repair and restoration forms (ask.* answered by the `asked` fixture)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from yibao_desktop.domain.ids import make_id_number
from yibao_desktop.services import appeals, notices
from yibao_desktop.services.documents import list_documents
from yibao_desktop.services.scoring import ScoreInput, record_scores

IDN = make_id_number("445202", date(1980, 5, 17), 3, "男")  # 曾志伟 of the window fixture


def text_of(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "").replace("\n", "")


@pytest.fixture
def notice(window, make_ctx):
    """曾志伟's 9-point suspension: decided 2026-11-02, issued 2026-11-09, received 2026-11-11."""
    did = record_scores(
        make_ctx("clerk", "clerk"),
        [
            ScoreInput(
                IDN,
                "H44520200001",
                "penalty",
                "揭医保罚〔2026〕3号",
                date(2026, 11, 2),
                "JC1",
                "B3-01",
                "primary",
            )
        ],
    )
    rev = make_ctx("reviewer", "reviewer")
    notices.approve(rev, did)
    notices.issue(rev, did, date(2026, 11, 9))
    notices.record_delivery(make_ctx("clerk", "clerk"), did, date(2026, 11, 10))
    notices.record_receipt(make_ctx("clerk", "clerk"), did, date(2026, 11, 11))
    return did


def select_person(window, qtbot, name: str):
    window.refresh_all()
    window.show_tab("personnel")
    tab = window.personnel
    qtbot.waitUntil(lambda: any(r.name == name for r in tab.all_rows), timeout=5000)
    for i in range(tab.table.model().rowCount()):
        tab.table.selectRow(i)
        if tab.current_row() is not None and tab.current_row().name == name:
            return tab
    raise AssertionError(name)


def menu_action(tab, text: str):
    return next(a for a in tab.button("btn_more").menu().actions() if a.text() == text)


def test_the_appeals_tab_button_previews_the_selected_appeals_statement(window, qtbot, notice):
    aid = appeals.file_appeal(window.ctx, notice, "person", date(2026, 11, 13), "检查记录与本人无关，请求复核")
    window.refresh_all()
    window.show_tab("appeals")
    tab = window.appeals
    qtbot.waitUntil(lambda: len(tab.all_rows) == 1, timeout=5000)
    tab.table.selectRow(0)
    assert tab.current_row().id == aid
    button = tab.widget.findChild(QPushButton, "btn_print")
    assert button.text() == "打印陈述申辩书"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    preview = window.last_dialog
    assert preview is not None and preview.dialog.isVisible() and "陈述申辩书" in preview.title
    text = text_of(preview.pdf)
    assert "检查记录与本人无关，请求复核" in text and IDN in text and "揭医保记〔2026〕1号" in text


def test_the_appeals_button_without_a_selection_asks_for_one(window, qtbot, asked):
    window.show_tab("appeals")
    qtbot.mouseClick(window.appeals.widget.findChild(QPushButton, "btn_print"), Qt.MouseButton.LeftButton)
    assert window.last_dialog is None and asked[0][-1][0] == "info"


def test_the_copy_report_menu_issues_a_numbered_report_and_previews_it(window, qtbot, asked, notice):
    tab = select_person(window, qtbot, "曾志伟")
    asked[1]["text"] = ["卫生健康主管部门"]
    menu_action(tab, "抄告书…").trigger()
    assert asked[0][-1][0] == "text" and asked[0][-1][1][3] == "卫生健康主管部门、药品监管部门"
    docs = [row for row in list_documents(window.ctx) if row[1] == "记分情况抄告书"]
    assert [row[0] for row in docs] == ["揭医保抄〔2026〕1号"] and docs[0][6]  # numbered, archived and hashed
    preview = window.last_dialog
    assert preview is not None and preview.dialog.isVisible() and "抄告书" in preview.title
    text = text_of(preview.pdf)
    assert "卫生健康主管部门：" in text and "曾志伟" in text and IDN in text and "记分9分。" in text


def test_a_cancelled_copy_report_question_issues_nothing(window, qtbot, asked, notice):
    tab = select_person(window, qtbot, "曾志伟")
    menu_action(tab, "抄告书…").trigger()  # ask.text answers None: cancelled
    assert not [row for row in list_documents(window.ctx) if row[1] == "记分情况抄告书"]
    assert window.last_dialog is None


def test_the_repair_form_of_a_person_without_repairs_is_the_blank_form(window, qtbot):
    tab = select_person(window, qtbot, "林秀英")
    menu_action(tab, "打印记分修复申请书").trigger()
    assert "空白" in window.last_dialog.title and "林秀英" not in text_of(window.last_dialog.pdf)


def test_the_restoration_form_is_prefilled_from_the_running_suspension(window, qtbot, notice):
    tab = select_person(window, qtbot, "曾志伟")
    menu_action(tab, "打印资格恢复申请书").trigger()
    text = text_of(window.last_dialog.pdf)
    assert IDN in text and "揭医保罚〔2026〕3号" in text and "自2026年11月9日起" in text
