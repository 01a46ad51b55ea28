"""Settings dialog: office, document prefixes, policy profile, review switch, printing, holiday table."""

from __future__ import annotations

from dataclasses import asdict

from yibao_desktop.domain.policy import PROFILE_NAMES
from yibao_desktop.services.context import OfficeSettings
from yibao_desktop.services.settings import save_settings

from ..binding import fill_combo
from .base import FormDialog

PROFILE_LABELS = {"national": "国家规程（默认）", "guangdong": "广东省", "tianjin": "天津市"}
FIELDS = [*asdict(OfficeSettings()).keys(), "db_location", "holiday_help"]


class SettingsDialog(FormDialog):
    """Edit OfficeSettings; the calendar and profile are reloaded on save."""

    ui_name = "settings_dialog"
    fields = FIELDS

    def setup(self):
        w = self.form.widgets
        fill_combo(w["profile"], [(p, PROFILE_LABELS.get(p, p)) for p in PROFILE_NAMES])
        fill_combo(w["coordinate_system"], [(x, x) for x in ("GCJ-02", "WGS-84", "BD-09", "CGCS2000")])
        self.form.load(asdict(self.ctx.settings))
        from ..main_window import database_place

        w["db_location"].setText(database_place(self.ctx.db_label))
        w["holiday_help"].setText(
            "每行一条：“2027-01-01 休”为放假，“2027-02-07 班”为调休上班；也可写区间"
            "“2027-02-06~2027-02-12 休”。程序自带的节假日数据尚未包含的年份，请在此录入当年国务院"
            "办公厅公布的放假安排。"
        )

    def submit(self, v):
        values = {k: v[k] for k in asdict(OfficeSettings()) if k in v}
        values["coordinate_system"] = values.get("coordinate_system") or "GCJ-02"
        new = OfficeSettings(**values)
        save_settings(self.ctx, new)
        return new
