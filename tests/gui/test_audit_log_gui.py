"""文件 → 操作日志: filters, the chain check shown, export with masked ID numbers; 操作记录 of one record."""

from __future__ import annotations

import zipfile
from datetime import date

from sqlalchemy import text


def shown(dlg) -> list[tuple[str, str]]:
    return [(r.action_label, r.detail) for r in dlg.model.rows]


def cells(path) -> str:
    """All text of an .xlsx (its XML parts)."""
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def person(window, name):
    return next(r for r in window.personnel.all_rows if r.name == name)


def test_the_log_filters_by_person_institution_user_and_date_and_shows_the_intact_chain(window, asked, ctx):
    log = window.accounts.show_audit_log()
    assert log.dialog.windowTitle() == "操作日志"
    assert log.chain.text().startswith("校验结果：操作日志完整") and "1e8449" in log.chain.styleSheet()
    everything = len(log.model.rows)
    assert everything >= 4 and log.summary.text() == f"共 {everything} 条"
    actions = {r.action_label for r in log.model.rows}
    assert {"保存定点机构", "登记备案"} <= actions

    log.subject.setText(person(window, "林秀英").id_number)
    log.load()
    assert {r.action_label for r in log.model.rows} == {"登记备案"}
    assert all(r.entity == "registration" for r in log.model.rows) and len(log.model.rows) == 1

    log.subject.setText("H44520200002")  # the institution: its own entry and its registration
    log.load()
    assert sorted(r.action_label for r in log.model.rows) == ["保存定点机构", "登记备案"]

    log.subject.setText("")
    log.user.setCurrentIndex(0)
    log.end.setDate(date(2020, 1, 1))
    log.load()
    assert log.model.rows == [] and log.summary.text() == "共 0 条"

    log.end.setDate(None)
    log.subject.setText("不存在的人")
    calls, _answers = asked
    log.load()
    assert calls[-1][0] == "error" and "没有找到“不存在的人”" in calls[-1][1][2]


def test_selecting_an_entry_shows_every_change_with_old_and_new_values(window, qtbot, ctx):
    log = window.accounts.show_audit_log()
    row = next(i for i, r in enumerate(log.model.rows) if r.action == "registration.create")
    log.table.selectRow(row)
    r = log.model.rows[row]
    lines = log.details.toPlainText().splitlines()
    assert "登记备案" in lines[0] and r.username in lines[0]
    name = "曾志伟" if any("曾志伟" in line for line in lines) else "林秀英"
    assert any(line.startswith("人员#") and line.endswith(f"姓名/名称：{name}") for line in lines), lines


def test_the_export_masks_id_numbers_unless_the_clerk_asks_for_full_numbers(window, asked, tmp_path):
    idn = person(window, "曾志伟").id_number
    _calls, answers = asked
    log = window.accounts.show_audit_log()
    for full, name in ((False, "masked.xlsx"), (True, "full.xlsx")):
        answers["save_path"] = [str(tmp_path / name)]
        answers["confirm"] = [full]
        log.export()
    masked, full_text = cells(tmp_path / "masked.xlsx"), cells(tmp_path / "full.xlsx")
    assert idn not in masked and f"{idn[:6]}********{idn[-4:]}" in masked
    assert idn in full_text and "登记备案" in full_text


def test_an_edited_entry_turns_the_check_red_and_names_the_entry(window, ctx):
    with ctx.engine.begin() as conn:
        victim = conn.execute(text("SELECT min(id) FROM audit_entries WHERE action = 'registration.create'")).scalar()
        conn.execute(text("UPDATE audit_entries SET detail = 'nothing happened' WHERE id = :i"), {"i": victim})
    log = window.accounts.show_audit_log()
    assert f"第 {victim} 条起" in log.chain.text() and "c0392b" in log.chain.styleSheet()


def test_the_history_of_one_person_and_one_institution_from_their_tables(window, ctx):
    from PySide6.QtWidgets import QWidget

    hist = window.personnel_actions.person_history(person(window, "曾志伟"))
    assert hist.dialog.windowTitle() == "操作记录 — 曾志伟"
    assert not hist.dialog.findChild(QWidget, "filters").isVisibleTo(hist.dialog)
    assert [r.action_label for r in hist.model.rows] == ["登记备案"]
    assert all(person(window, "林秀英").id_number not in r.changes_text for r in hist.model.rows)
    inst = next(r for r in window.institutions.all_rows if r.code == "H44520200001")
    hist = window.institution_actions.institution_history(inst)
    assert hist.dialog.windowTitle() == "操作记录 — 揭阳市人民医院（H44520200001）"
    assert [r.action_label for r in hist.model.rows] == ["保存定点机构", "登记备案"]  # oldest first
    actions = [a.text() for a in window.personnel.table.actions()]
    assert "操作记录…" in actions and "操作记录…" in [a.text() for a in window.institutions.table.actions()]


def test_a_clerk_cannot_open_the_log_the_service_refuses(window, asked, make_ctx):
    window.ctx = make_ctx("clerk1", "clerk")
    calls, _answers = asked
    assert window.accounts.show_audit_log() is None
    assert calls[-1][0] == "error" and "没有“查看操作日志”的权限" in calls[-1][1][2]
