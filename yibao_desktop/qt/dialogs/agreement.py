"""Sign-agreement and agreement-event dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from yibao_desktop.domain.agreements import AGREEMENT_ACTIONS, SUSPENSION_GROUNDS, TERMINATION_GROUNDS
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import AgreementType
from yibao_desktop.domain.next_steps import EVENT_COMMON_FIELDS
from yibao_desktop.services.agreements import EVENT_KINDS, EventInput, record_event, sign_agreement
from yibao_desktop.services.agreements_query import event_choices
from yibao_desktop.services.institutions import institution_choices
from yibao_desktop.services.persons_lookup import person_ids_by_id_numbers, persons_at_institution

from ..binding import fill_combo
from ..pickers import make_searchable
from .base import FormDialog
from .compact import compact_rows


class AgreementDialog(FormDialog):
    """Sign an agreement with an institution."""

    ui_name = "agreement_dialog"
    fields = ["institution", "number", "agreement_type", "start", "years", "newly_designated"]

    def setup(self):
        w = self.form.widgets
        fill_combo(w["institution"], [(i, f"{c} {n}") for i, c, n in institution_choices(self.ctx)], blank="")
        make_searchable(w["institution"])
        fill_combo(w["agreement_type"], [(t.value, t.label) for t in AgreementType])
        self.form.load({"start": self.ctx.today(), "years": 1, "newly_designated": True})

    def submit(self, v):
        if not isinstance(v["institution"], int):
            raise DomainError("请从列表中选择机构。", field="institution")
        years = v["years"] if v["agreement_type"] == AgreementType.FIXED else None
        return sign_agreement(
            self.ctx, v["institution"], v["number"], v["agreement_type"], v["start"], years, v["newly_designated"]
        )


# the form's fields by the service's names (services/agreements.py: EventInput) where they differ
_INPUT_NAMES = {"amount": "amount_fen", "responsible": "responsible_ids"}


class EventDialog(FormDialog):
    """kwargs: row (AgreementRow). Only the fields the chosen kind asks for are shown (the kinds and their fields
    come from services/agreements_query.py: event_choices); a hidden field submits nothing."""

    ui_name = "event_dialog"
    fields = [
        "agreement",
        "kind",
        "on",
        "decision_no",
        "action_code",
        "ground_code",
        "amount",
        "effective",
        "until",
        "department",
        "responsible",
        "detail",
        "approval_on",
    ]

    def setup(self):
        row = self.kwargs["row"]
        w = self.form.widgets
        w["agreement"].setText(f"{row.number}　{row.institution_name}（{row.status_label}）")
        choices = event_choices(self.ctx, row.id)  # what this agreement admits now; none chosen: the clerk picks
        self.asks = {c.kind: c.fields for c in choices}
        fill_combo(w["kind"], [(c.kind, c.label) for c in choices], blank="（请选择事项）")
        fill_combo(w["action_code"], list(AGREEMENT_ACTIONS), blank="")
        self.form.load({"on": self.ctx.today(), "effective": self.ctx.today(), "until": None, "approval_on": None})
        self.add_person_picker(row.institution_id)
        w["kind"].currentIndexChanged.connect(self.show_kind)
        self.show_kind()
        compact_rows(self.dialog, text_height=64, spacing=None)  # 13 rows at the most: fits 768 px unscrolled
        if not choices:
            self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(False)
            self.message.setText(f"协议当前为“{row.status_label}”，不能再录入协议事项。")

    def asked(self, name: str) -> bool:
        """Whether the chosen kind asks for the form field `name` (none chosen: only what every kind asks)."""
        kind = self.form.widgets["kind"].currentData()
        return _INPUT_NAMES.get(name, name) in self.asks.get(kind, EVENT_COMMON_FIELDS)

    def show_kind(self, *_a) -> None:
        """The rows the chosen kind asks for, and its grounds."""
        for name in self.fields[2:]:  # after 协议 and 事项类型, which always show
            self.show_row(name, self.asked(name))
        self.show_grounds()

    def show_grounds(self) -> None:
        """The grounds of the chosen kind: suspension grounds for 中止协议, termination grounds for 解除协议."""
        kind = self.form.widgets["kind"].currentData()
        grounds = {
            "suspension": [(f"s:{c}", f"中止：{t[:40]}") for c, t in SUSPENSION_GROUNDS],
            "termination": [(f"t:{c}", f"解除：{t[:40]}") for c, t in TERMINATION_GROUNDS],
        }.get(kind, [])
        combo = self.form.widgets["ground_code"]
        fill_combo(combo, grounds, blank="")
        combo.setEnabled(bool(grounds))

    def add_person_picker(self, institution_id: int) -> None:
        """Responsible persons are picked by name, code or pinyin initials (no 18-digit typing); each pick adds
        a line “ID number name” to the list."""
        box = self.form.widgets["responsible"]
        box.setPlaceholderText("从上方查找加入，或每行一个身份证号")
        pick = QComboBox(box.parentWidget())
        pick.setObjectName("responsible_pick")
        fill_combo(
            pick,
            [(idn, f"{code} {name}") for idn, name, code in persons_at_institution(self.ctx, institution_id)],
            blank="",
        )
        make_searchable(pick, "查找本机构人员：姓名、拼音首字母或人员代码，选中即加入")
        box.parentWidget().layout().insertWidget(0, pick)
        self.person_pick = pick

        def add(_i: int) -> None:
            idn = pick.currentData()
            if not idn:
                return
            lines = [x for x in box.toPlainText().splitlines() if x.strip()]
            if not any(x.split()[0] == idn for x in lines):
                lines.append(f"{idn} {pick.currentText().split(' ', 1)[-1]}")
                box.setPlainText("\n".join(lines))
            pick.setCurrentIndex(0)
            pick.clearEditText()

        pick.activated.connect(add)
        pick.completer().activated[str].connect(lambda _t: add(pick.currentIndex()))

    def confirmation(self, v):
        """中止协议 and 解除协议 stop an institution's settlement: say what will happen and ask first."""
        if v.get("kind") not in ("suspension", "termination"):
            return None
        row, w = self.kwargs["row"], self.form.widgets
        label = EVENT_KINDS[v["kind"]]
        lines = [
            f"{label}：{row.institution_name}（协议 {row.number}）",
            f"决定文书号：{v.get('decision_no') or '（未填写）'}",
            f"事项日期：{v['on']:%Y-%m-%d}" if v.get("on") else "事项日期：（未填写）",
        ]
        if v.get("ground_code"):
            lines.append(f"依据：{w['ground_code'].currentText()}")
        if v["kind"] == "suspension":
            lines.append(f"中止期：{v.get('effective') or v.get('on')} 至 {v.get('until') or '（未填写）'}")
        n = len([x for x in (v.get("responsible") or "").splitlines() if x.strip()])
        status = "暂停" if v["kind"] == "suspension" else "终止"
        lines.append(f"列明的责任人员 {n} 名同步{status}医保支付资格。" if n else "未列明责任人员。")
        lines.append("确定？")
        return "\n".join(str(x) for x in lines)

    def submit(self, v):
        if not v["kind"]:
            raise DomainError("请选择事项类型。", field="kind")
        v = {k: (value if k in ("agreement", "kind") or self.asked(k) else None) for k, value in v.items()}
        ids = [x.split()[0] for x in (v["responsible"] or "").splitlines() if x.strip()]  # “ID number name”
        person_ids = person_ids_by_id_numbers(self.ctx, ids)
        ev = EventInput(
            kind=v["kind"],
            on=v["on"],
            decision_no=v["decision_no"] or "",
            action_code=v["action_code"] or "",
            ground_code=(v["ground_code"] or "")[2:],
            amount_fen=round((v["amount"] or 0) * 100),
            effective=v["effective"],
            until=v["until"],
            department=v["department"] or "",
            detail=v["detail"] or "",
            approval_on=v["approval_on"],
            responsible_ids=person_ids,
        )
        return record_event(self.ctx, self.kwargs["row"].id, ev, self.kwargs["row"].version)
