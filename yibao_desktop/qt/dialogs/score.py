"""Score-entry dialog: while typing it shows band, proposed points, the new yearly total and the disposition."""

from __future__ import annotations

from yibao_desktop.domain.dispositions import DispositionKind
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.scoring import Circumstance, Responsibility
from yibao_desktop.services.dossier import load_dossier
from yibao_desktop.services.scoring import DECISION_KINDS, ScoreInput, preview_score, record_scores

from ..binding import fill_combo
from .base import FormDialog

FIELDS = [
    "person",
    "institution_code",
    "decision_kind",
    "decision_no",
    "decision_date",
    "batch",
    "violation_search",
    "violation_code",
    "responsibility",
    "circumstance",
    "points",
    "amount",
    "notes",
    "preview",
    "kind",
    "months",
]


class ScoreDialog(FormDialog):
    """kwargs: row (RegistrationRow of the person)."""

    ui_name = "score_dialog"
    fields = FIELDS

    def setup(self):
        row = self.kwargs["row"]
        w = self.form.widgets
        self.row = row
        d = load_dossier(self.ctx, row.person_id)
        w["person"].setText(f"{d.name}　{d.id_number}　（{d.status_label}）")
        fill_combo(
            w["institution_code"],
            [
                (r.institution_code, f"{r.institution_code} {r.institution_name}")
                for r in d.registrations
                if r.cancelled_on is None
            ],
        )
        i = w["institution_code"].findData(row.institution_code)
        w["institution_code"].setCurrentIndex(max(i, 0))
        fill_combo(w["decision_kind"], list(DECISION_KINDS.items()))
        fill_combo(w["responsibility"], [(r.value, r.label) for r in Responsibility])
        fill_combo(w["circumstance"], [(c.value, c.label) for c in Circumstance])
        self.fill_violations("")
        # the rule's result takes 2–4 lines as the entry changes: room for four, so 处理 below never moves
        w["preview"].setMinimumHeight(w["preview"].fontMetrics().lineSpacing() * 4 + 4)
        self.form.load({"decision_date": self.ctx.today()})
        self.points_touched = False
        w["violation_search"].textChanged.connect(self.fill_violations)
        for name in ("violation_code", "responsibility", "circumstance", "decision_kind", "institution_code"):
            w[name].currentIndexChanged.connect(self.update_preview)
        for name in ("decision_no", "batch"):
            w[name].textChanged.connect(self.update_preview)
        w["decision_date"].dateChanged.connect(self.update_preview)
        w["points"].valueChanged.connect(self.points_edited)
        w["kind"].currentIndexChanged.connect(self.kind_changed)
        self._updating = False
        self.proposal = None
        self.update_preview()

    def fill_violations(self, words: str) -> None:
        """Catalog items matching the search words (code, name or keyword)."""
        items = self.ctx.profile.search(words) if words.strip() else list(self.ctx.profile.catalog)
        fill_combo(
            self.form.widgets["violation_code"], [(it.code, f"{it.code} 第{it.band}档 {it.name}") for it in items]
        )

    def points_edited(self, _value: int) -> None:
        if not self._updating:
            self.points_touched = True
            self.update_preview()

    def kind_changed(self, _i: int) -> None:
        self.form.widgets["months"].setEnabled(self.form.widgets["kind"].currentData() == DispositionKind.SUSPENSION)

    def _input(self, with_points: bool) -> ScoreInput:
        v = self.form.read()
        return ScoreInput(
            id_number=self.row.id_number,
            institution_code=v["institution_code"] or "",
            decision_kind=v["decision_kind"] or "",
            decision_no=v["decision_no"] or "(未填)",
            decision_date=v["decision_date"] or self.ctx.today(),
            batch=v["batch"],
            violation_code=v["violation_code"] or "",
            responsibility=v["responsibility"] or "",
            circumstance=v["circumstance"] or "none",
            points=v["points"] if with_points else None,
            amount_fen=round((v["amount"] or 0) * 100),
            notes=v["notes"],
        )

    def update_preview(self, *_args) -> None:
        """Recompute band, proposed points, totals and the disposition the entry will trigger."""
        w = self.form.widgets
        self.form.clear_errors()
        try:
            p = preview_score(self.ctx, [self._input(self.points_touched)])
        except DomainError as err:
            w["preview"].setText(err.message)
            w["preview"].setStyleSheet("color:#c0392b")
            return
        self._updating = True
        lo, hi = p.allowed
        w["points"].setRange(lo, hi)
        if not self.points_touched:
            w["points"].setValue(p.proposed)
        self._updating = False
        d = p.disposition
        w["preview"].setStyleSheet(
            "color:#c0392b" if d.kind in (DispositionKind.SUSPENSION, DispositionKind.TERMINATION) else ""
        )
        w["preview"].setText(
            f"{p.violation_name}：第{p.band}档"
            + (f"（按情节调整为第{p.effective_band}档）" if p.effective_band != p.band else "")
            + f"，可记{lo}—{hi}分，建议{p.proposed}分。\n"
            f"本年度累计：{p.total_before}分 → {p.total_after}分。\n{d.reason}"
        )
        kinds = [d.kind, *[k for k in d.alternatives if k != d.kind]]
        fill_combo(w["kind"], [(k, k.label) for k in kinds])
        if d.kind == DispositionKind.SUSPENSION:
            lo_m, hi_m = d.months_choices or (1, 6)
            w["months"].setRange(lo_m, hi_m)
            w["months"].setValue(d.months or lo_m)
        self.proposal = p
        self.kind_changed(0)

    def submit(self, v):
        if not (v["decision_no"] or "").strip():
            raise DomainError("请填写决定文书号。", field="decision_no")
        kind = v["kind"]
        months = v["months"] if kind == DispositionKind.SUSPENSION else None
        return record_scores(self.ctx, [self._input(True)], kind=kind, months=months)
