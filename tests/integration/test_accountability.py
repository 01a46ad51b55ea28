"""Who approved is on the notice data; switching review off is the administrator's audited act; error reports can
mask ID numbers; a database error in background work never reaches the clerk with the row's ID number."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.builders import add_institution, add_person
from tests.fixtures.excel_factory import roster_file
from yibao_desktop.adapters.excel import read_roster, write_error_report
from yibao_desktop.domain.ids import make_id_number

PASSWORD = "Mima2026ok"


def _signed(ctx, username, role, name):
    from yibao_desktop.services.users import add_user, authenticate

    add_user(ctx, username, name, role, PASSWORD)
    return replace(ctx, actor=authenticate(ctx, username, PASSWORD))


def _draft(ctx, clerk) -> int:
    from yibao_desktop.services.scoring import ScoreInput, record_scores

    add_institution(ctx)
    _, idn = add_person(ctx, seq=7)
    return record_scores(
        clerk,
        [
            ScoreInput(
                idn, "H44520200001", "penalty", "揭医保罚〔2026〕40号", date(2026, 9, 11), "JC9", "B3-01", "primary"
            )
        ],
    )


def test_the_notice_data_names_the_reviewer_who_approved_it(ctx):
    from yibao_desktop.services import notices
    from yibao_desktop.services.printing import notice_data

    clerk, reviewer = _signed(ctx, "clerk", "clerk", "经办员"), _signed(ctx, "wangshen", "reviewer", "王审核")
    did = _draft(ctx, clerk)
    assert notice_data(ctx, did)["approved_by"] == ""
    notices.approve(reviewer, did)
    notices.issue(reviewer, did, date(2026, 9, 14))
    data = notice_data(ctx, did)
    assert data["approved_by"] == "王审核（wangshen）" and data["doc_no"]


def test_switching_review_off_is_the_administrators_act_recorded_with_old_and_new_value(ctx):
    from yibao_desktop.services import audit_log, notices, settings
    from yibao_desktop.services.printing import notice_data

    admin = _signed(ctx, "chief", "admin", "主任")
    settings.save_settings(admin, ctx.settings)  # the office's settings stored once, review on
    settings.save_settings(admin, replace(ctx.settings, review_required=False))
    entry = audit_log.list_entries(ctx, audit_log.AuditFilter(username="chief"))[0]
    assert (entry.action_label, entry.detail) == ("修改设置", "审核环节：开启 → 关闭")
    assert any(c[2] == "value" and (c[3], c[4]) == ("1", "0") for c in entry.changes), entry.changes
    # with review off, the single reviewer who issues is named as the approver
    ctx.settings = replace(ctx.settings, review_required=False)
    clerk, reviewer = _signed(ctx, "clerk", "clerk", "经办员"), _signed(ctx, "solo", "reviewer", "独任审核")
    reviewer.settings = ctx.settings
    did = _draft(ctx, clerk)
    notices.issue(reviewer, did, date(2026, 9, 14))
    assert notice_data(ctx, did)["approved_by"] == "独任审核（solo）"
    assert audit_log.verify(ctx).broken is None


def _cells(book) -> str:
    return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def test_an_error_report_masks_id_and_mobile_numbers_when_asked():
    idn = make_id_number("445202", date(1995, 3, 1), 0, "男")
    rows = [{"name": "张三", "id_number": idn, "institution_code": "H44520200001", "sex": "女", "phone": "13812345678"}]
    data = roster_file("personnel", rows)
    problems = read_roster("personnel", data).problems
    assert problems, "the wrong sex must be reported"
    full = _cells(load_workbook(io.BytesIO(write_error_report("personnel", data, problems))))
    masked = _cells(load_workbook(io.BytesIO(write_error_report("personnel", data, problems, mask=True))))
    assert idn in full and "13812345678" in full
    assert idn not in masked and f"{idn[:6]}********{idn[-4:]}" in masked
    assert "13812345678" not in masked and "138****5678" in masked
    assert "张三" in masked  # only the numbers are hidden


def test_a_database_error_in_background_work_never_shows_the_id_number(ctx, qtbot):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from yibao_desktop.qt.tasks import Task

    add_institution(ctx)
    _, idn = add_person(ctx, seq=9)

    def duplicate(_progress, _cancelled):
        with ctx.engine.begin() as conn:  # the driver's message and parameters carry the ID number
            conn.execute(
                text("INSERT INTO persons (id_number, name, sex, version) VALUES (:i, 'x', '男', 1)"), {"i": idn}
            )

    with pytest.raises(DBAPIError, match=idn):  # the raw error would leak it
        duplicate(None, None)
    failed: list[str] = []
    task = Task(duplicate)
    task.signals.failed.connect(failed.append)
    task.run()
    assert failed and idn not in failed[0] and idn[:6] + "*" not in failed[0]
    assert failed[0].startswith("处理失败：")


def test_the_log_reads_in_chinese_while_storing_the_raw_change():
    from yibao_desktop.services.audit_labels import change_text

    assert change_text("dispositions", 12, "state", "draft", "approved") == "处理意见#12 状态：待审核 → 已审核待签发"
    assert change_text("persons", 3, "status", "active", "suspended") == "人员#3 状态：正常 → 暂停"
    assert change_text("users", 2, "locked_until", None, "2026-11-23T10:15:00") == "用户#2 锁定至：2026-11-23 10:15:00"
    assert change_text("dispositions", 12, "months", None, None) == ""  # an empty field of a new row
    assert change_text("new_table", 1, "new_field", 1, 2) == "new_table#1 new_field：1 → 2"  # unknown: as stored
