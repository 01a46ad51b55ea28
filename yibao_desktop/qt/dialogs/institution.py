"""Institution dialog (create / edit), with a stale-edit check."""

from __future__ import annotations

from dataclasses import fields

from yibao_desktop.domain.institutions import InstitutionKind, Ownership
from yibao_desktop.services.institutions import InstitutionInput, get_institution, save_institution

from ..binding import fill_combo
from ..fields import show_region_name
from .base import FormDialog

FIELDS = [f.name for f in fields(InstitutionInput)]


class InstitutionDialog(FormDialog):
    """kwargs: institution_id (None = new)."""

    ui_name = "institution_dialog"
    fields = FIELDS

    def setup(self):
        w = self.form.widgets
        fill_combo(w["kind"], [(k.value, k.label) for k in InstitutionKind], blank="（请选择）")
        fill_combo(w["ownership"], [(o.value, o.label) for o in Ownership])
        fill_combo(w["payment_level"], [(x, x) for x in ("三级", "二级", "一级", "未定级")], blank="")
        fill_combo(w["area"], [(x, x) for x in ("市区", "环城", "滨海", "远郊")], blank="")
        show_region_name(w["region_code"])
        self.version = None
        iid = self.kwargs.get("institution_id")
        if iid is not None:
            data, self.version = get_institution(self.ctx, iid)
            self.form.load(vars(data))
            self.dialog.setWindowTitle(f"编辑机构 — {data.name}")
        else:
            self.dialog.setWindowTitle("新增定点医药机构")
            self.form.load({"ownership": "private", "operating_since": None, "licence_expiry": None})

    def submit(self, values):
        values = {k: v for k, v in values.items() if k in FIELDS}
        values["longitude"] = values.get("longitude") or None
        values["latitude"] = values.get("latitude") or None
        values["kind"] = values.get("kind") or ""
        values["payment_level"] = values.get("payment_level") or ""
        values["area"] = values.get("area") or ""
        return save_institution(self.ctx, InstitutionInput(**values), self.kwargs.get("institution_id"), self.version)
