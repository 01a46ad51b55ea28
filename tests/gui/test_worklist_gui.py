"""The 工作台: deadlines grouped 已逾期/今天/本周/以后 with days left and counts, the reviewer's 待审核 queue, a tile
opening the filtered list, a line opening its exact record, and a chart exported as PNG."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import as_user, score_nine_points
from yibao_desktop.domain.worklist import deadline_group


@pytest.mark.parametrize(
    ("today", "due", "group"),
    [
        (date(2026, 11, 23), date(2026, 11, 20), "已逾期"),  # Monday; the Friday before
        (date(2026, 11, 23), date(2026, 11, 23), "今天"),
        (date(2026, 11, 23), date(2026, 11, 29), "本周"),  # to Sunday
        (date(2026, 11, 23), date(2026, 11, 30), "以后"),
        (date(2026, 11, 29), date(2026, 11, 30), "以后"),  # on a Sunday the next Monday is next week
        (date(2026, 12, 31), date(2027, 1, 3), "本周"),  # a week across the new year
    ],
)
def test_a_deadline_falls_in_one_group_of_the_week(today, due, group):
    assert deadline_group(today, due) == group


def _suspend(window, ctx, make_ctx):
    """曾志伟: 9 points entered by clerk1 on 2026-11-02, approved and issued 2026-11-23 by a reviewer."""
    from yibao_desktop.services import notices

    row = next(r for r in window.personnel.all_rows if r.name == "曾志伟")
    did = score_nine_points(as_user(ctx, "clerk1", "clerk"), row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    reviewer = make_ctx("reviewer", "reviewer")
    notices.approve(reviewer, did)
    notices.issue(reviewer, did, date(2026, 11, 23))
    return row, did


def _reload(window, qtbot):
    before = window.dashboard.all_rows
    window.refresh_all()
    qtbot.waitUntil(lambda: window.dashboard.all_rows is not before, timeout=5000)


def test_deadlines_are_grouped_with_counts_and_days_left(window, qtbot, ctx):
    row = next(r for r in window.personnel.all_rows if r.name == "曾志伟")
    score_nine_points(as_user(ctx, "clerk1", "clerk"), row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    _reload(window, qtbot)
    dash = window.dashboard
    line = dash.model.rows[0]
    # decided 2026-11-02: to be issued within the profile's working days → overdue on 2026-11-23
    assert (line.kind, line.group) == ("通知书签发", "已逾期") and line.days_left < 0
    assert dash.model.index(0, 2).data() == f"逾期{-line.days_left}天"
    assert dash.group_buttons["已逾期"].text() == "已逾期 1" and dash.group_buttons["今天"].text() == "今天 0"
    dash.group_buttons["以后"].click()
    assert dash.model.rows == [] and "“以后”中没有事项" in dash.empty.text()
    dash.group_buttons["已逾期"].click()
    assert [r.subject for r in dash.model.rows] == ["曾志伟"]


def test_a_reviewer_starts_at_the_review_queue_and_a_line_opens_the_notice_at_approve(window, qtbot, ctx, make_ctx):
    from yibao_desktop.qt.dashboard_tab import DashboardTab

    row = next(r for r in window.personnel.all_rows if r.name == "曾志伟")
    did = score_nine_points(as_user(ctx, "clerk1", "clerk"), row.id_number, "H44520200001", "揭医保罚〔2026〕3号")
    window.ctx = make_ctx("reviewer", "reviewer")
    fresh = DashboardTab(window)  # a reviewer's first look at the 工作台
    window.dashboard = fresh
    window.tabs["dashboard"] = fresh
    fresh.refresh()
    qtbot.waitUntil(lambda: bool(fresh.all_rows), timeout=5000)
    assert fresh.group == "待审核" and fresh.group_buttons["待审核"].text() == "待审核 1"
    assert [r.ref_id for r in fresh.model.rows] == [did]
    window.last_dialog = None
    window.work.open_todo(fresh.model.rows[0])
    dlg = window.last_dialog
    assert dlg.disp.id == did and dlg.form.widgets["step"].currentData() == "approve"


def test_a_tile_opens_the_filtered_list_it_counts(window, qtbot, ctx, make_ctx):
    _suspend(window, ctx, make_ctx)
    _reload(window, qtbot)
    qtbot.waitUntil(lambda: any(r.status == "suspended" for r in window.personnel.all_rows), timeout=5000)
    window.personnel.search.setText("lxy")
    window.dashboard.tiles["suspended"].click()
    tab = window.personnel
    assert window.current_tab() is tab and tab.search.text() == ""
    assert tab.filters["f_status"][0].currentData() == "suspended"
    assert [r.name for r in tab.model.rows] == ["曾志伟"]
    window.dashboard.tiles["registrations"].click()
    assert tab.filters["f_status"][0].currentData() is None and len(tab.model.rows) == 2
    window.dashboard.tiles["no_commitment"].click()
    assert tab.filters["f_commitment"][0].currentData() is False and tab.model.rows == []


def test_a_person_line_opens_that_persons_row(window, qtbot, ctx, make_ctx):
    from yibao_desktop.services.rows import TodoRow

    row = next(r for r in window.personnel.all_rows if r.name == "林秀英")
    window.personnel.filters["f_status"][0].setCurrentIndex(1)
    window.work.open_todo(TodoRow(date(2026, 11, 30), "暂停期满", "林秀英", "", "later", "person", row.person_id))
    tab = window.personnel
    assert window.current_tab() is tab and tab.current_row().person_id == row.person_id


def test_the_chart_shows_this_years_points_and_exports_a_png(window, qtbot, ctx, make_ctx, asked, tmp_path):
    from PySide6.QtGui import QImage

    _suspend(window, ctx, make_ctx)
    _reload(window, qtbot)
    panel = window.dashboard.chart
    qtbot.waitUntil(lambda: panel is not None and panel.data is not None, timeout=5000)
    assert panel.data.points_by_month[10] == 9 and panel.data.dispositions_by_month[10] == 1  # November
    assert ("暂停", 1) in panel.data.persons_by_status
    assert panel.data.top_institutions == [("揭阳市人民医院", 9)]
    for i in range(panel.choice.count()):
        panel.choice.setCurrentIndex(i)
        assert panel.chart.series(), panel.choice.currentText()
    asked[1]["save_path"] = [str(tmp_path / "图表")]
    path = panel.export_png()
    assert path.endswith("图表.png")
    image = QImage(path)
    assert not image.isNull() and image.width() >= 300
