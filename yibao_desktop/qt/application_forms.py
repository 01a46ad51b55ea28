"""The form dialogs of the 定点申请 window: register, supplement notice, dated steps, evaluation (every condition a
plain question with 是/否), verification of the items the data cannot answer, and listing after the publicity."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from yibao_desktop.domain.designation import MANUAL, MATERIALS, ApplicantFacts, PersonRole
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import InstitutionKind
from yibao_desktop.services import designation as dsg

from .binding import ERROR_STYLE, FormBinder, fill_combo
from .dialogs.base import FormDialog
from .fields import WheelGuard, guard_entry_widgets
from .uiload import child

TRI_STATE = [(None, "未核实"), (True, "是"), (False, "否")]


def _negated(answer: bool | None) -> bool | None:
    """是 to "是否执行/履行" is 否 to the refusal ground "未执行/未履行"; 未核实 stays open."""
    return None if answer is None else not answer


def _describe(row) -> str:
    return f"{row.applicant_name}（{row.kind_label}，{row.received_on}接收，{row.state_label}）"


class ReceiveDialog(FormDialog):
    """登记申请: name, credit code, kind, date and the 第八条 checklist."""

    ui_name = "application_receive"
    fields = ["applicant_name", "credit_code", "kind", "received_on", "materials"] + [
        f"mat_{i}" for i in range(len(MATERIALS))
    ]

    def setup(self):
        fill_combo(
            self.form.widgets["kind"],
            [(k.value, k.label) for k in InstitutionKind if not k.is_pharmacy],
            blank="（请选择）",
        )
        for i, code in enumerate(MATERIALS):  # named as the active profile names them (广东省… only in Guangdong)
            self.form.widgets[f"mat_{i}"].setText(self.ctx.profile.materials[code])
        self.form.load({"received_on": self.ctx.today()})

    def submit(self, v):
        present = [m for i, m in enumerate(MATERIALS) if v[f"mat_{i}"]]
        return dsg.receive_application(
            self.ctx, v["applicant_name"], v["credit_code"], v["kind"] or "", v["received_on"], present
        )


class StepDialog(FormDialog):
    """A dated step: kwargs row and step (supplement_received / accept / publicity)."""

    ui_name = "application_step"
    fields = ["application", "on"]
    TITLES = {"accept": "受理", "publicity": "开始公示"}

    def setup(self):
        row = self.kwargs["row"]
        title = self.TITLES[self.kwargs["step"]]
        if self.kwargs["step"] == "publicity":
            title += f"（{self.ctx.profile.publicity_working_days}个工作日）"
        self.dialog.setWindowTitle(f"{title} — {row.applicant_name}")
        self.form.load({"application": _describe(row), "on": self.ctx.today()})

    def submit(self, v):
        row, step = self.kwargs["row"], self.kwargs["step"]
        if step == "accept":
            return dsg.accept(self.ctx, row.id, v["on"], version=row.version)
        try:
            return dsg.start_publicity(self.ctx, [row.id], v["on"])
        except DomainError as err:
            raise DomainError(err.message, field="on" if err.field == "start" else err.field) from None


class SupplementReceivedDialog(FormDialog):
    """收到补正材料: tick the requested items that arrived on the day; what arrived before and what is still missing
    are shown, so the clerk sees at once what the applicant still owes."""

    ui_name = "application_step"
    fields = ["application", "on"]

    def setup(self):
        row = self.kwargs["row"]
        self.dialog.setWindowTitle(f"收到补正材料 — {row.applicant_name}")
        form: QFormLayout = child(self.dialog, QFormLayout, "form_0")
        arrived = [m for m in row.materials if m.requested and m.received_on]
        if arrived:
            done = QLabel("\n".join(f"✓ {m.name}（{m.received_on}收到）" for m in arrived), wordWrap=True)
            form.addRow("已收到", done)
        self.boxes = []
        for m in row.outstanding:
            box = QCheckBox(m.name, objectName=f"arrived_{m.code}")
            box.setChecked(len(row.outstanding) == 1)
            form.addRow("" if self.boxes else "本次收到", box)
            self.boxes.append((m.code, box))
        err = QLabel(objectName="err_materials", wordWrap=True, visible=False)
        form.addRow("", err)
        self.form = FormBinder(self.dialog, ["application", "on", "materials"])
        deadline = f"，补正期限{row.supplement_deadline}" if row.supplement_deadline else ""
        self.form.load(
            {"application": f"{_describe(row)}\n补正告知{row.supplement_notice_on}{deadline}", "on": self.ctx.today()}
        )

    def submit(self, v):
        row = self.kwargs["row"]
        codes = [code for code, box in self.boxes if box.isChecked()]
        return dsg.record_supplement_received(self.ctx, row.id, v["on"], codes, row.version)


class SupplementDialog(FormDialog):
    """补正告知: date of the one-time notice and an optional deadline for the applicant."""

    ui_name = "application_supplement"
    fields = ["application", "missing", "on", "deadline"]

    def setup(self):
        row = self.kwargs["row"]
        missing = "\n".join(f"{i}. {m}" for i, m in enumerate(row.missing, 1))
        self.form.load(
            {
                "application": f"{_describe(row)}\n告知期限：{row.supplement_due}",
                "missing": missing,
                "on": self.ctx.today(),
                "deadline": None,
            }
        )

    def submit(self, v):
        row = self.kwargs["row"]
        return dsg.issue_supplement_notice(self.ctx, row.id, v["on"], v["deadline"], row.version)


class CompleteDialog(FormDialog):
    """公示期满: list the applicant to sign (creates the institution record when the database has none)."""

    ui_name = "application_complete"
    fields = ["application", "on", "institution_code"]

    def setup(self):
        row = self.kwargs["row"]
        self.form.load({"application": f"{_describe(row)}\n公示期：{row.publicity_text}", "on": self.ctx.today()})

    def submit(self, v):
        row = self.kwargs["row"]
        return dsg.complete_publicity(self.ctx, row.id, v["on"], v["institution_code"], row.version)


class EvaluateDialog(FormDialog):
    """评估: the facts the office checked; the service adds what the database knows (terminations, neighbours)."""

    ui_name = "application_evaluate"
    TIANJIN = ["departments_lacking", "records_kept_years", "video_kept_months", "uses_city_purchase_platform"]
    # plain questions answered 是 / 否 / 未核实 (未核实 leaves the item open for the verification step)
    QUESTIONS = (
        "has_insurance_department",
        "has_management_system",
        "has_information_system",
        "price_policy_followed",
        "penalty_fulfilled",
        "dishonest",
        "uses_city_purchase_platform",
    )
    fields = [
        "application",
        "on",
        "main_business",
        "address",
        "payment_level",
        "beds",
        "operating_since",
        "physicians_first_registered",
        "has_insurance_department",
        "has_management_system",
        "has_information_system",
        "price_policy_followed",
        "penalty_fulfilled",
        "dishonest",
        "legal_rep",
        "legal_rep_id",
        "principal",
        "principal_id",
        "controller",
        "controller_id",
        "longitude",
        "latitude",
        *TIANJIN,
    ]

    def setup(self):
        w = self.form.widgets
        fill_combo(w["payment_level"], [(x, x) for x in ("三级", "二级", "一级", "未定级")], blank="")
        for name in self.QUESTIONS:
            fill_combo(w[name], TRI_STATE)
        tianjin = self.ctx.profile.tianjin_admission_conditions
        for name in self.TIANJIN:
            for prefix in ("lbl_", "box_"):
                child(self.dialog, QWidget, prefix + name).setVisible(tianjin)
        row = self.kwargs["row"]
        self.form.load({"application": _describe(row), "on": self.ctx.today(), "operating_since": None})

    def facts(self, v) -> ApplicantFacts:
        """The dialog's values as the domain's ApplicantFacts."""
        people = [
            PersonRole(role, v[key], v[f"{key}_id"].upper())
            for role, key in (("法定代表人", "legal_rep"), ("主要负责人", "principal"), ("实际控制人", "controller"))
            if v[key] or v[f"{key}_id"]
        ]
        lacking = v["departments_lacking"]
        return ApplicantFacts(
            main_business=v["main_business"],
            people=people,
            dishonest=v["dishonest"],
            operating_since=v["operating_since"],
            physicians_first_registered=v["physicians_first_registered"],
            beds=v["beds"],
            has_insurance_department=v["has_insurance_department"],
            has_management_system=v["has_management_system"],
            has_information_system=v["has_information_system"],
            price_policy_violated=_negated(v["price_policy_followed"]),
            penalty_unfulfilled=_negated(v["penalty_fulfilled"]),
            payment_level=v["payment_level"] or "",
            lat=v["latitude"] or None,
            lon=v["longitude"] or None,
            departments_lacking_physician=None
            if not lacking
            else []
            if lacking == "无"
            else [x for x in lacking.replace("，", "、").replace(",", "、").split("、") if x.strip()],
            records_kept_years=v["records_kept_years"] or None,
            video_kept_months=v["video_kept_months"] or None,
            uses_city_purchase_platform=v["uses_city_purchase_platform"],
        )

    def submit(self, v):
        if not v["main_business"]:
            raise DomainError("请填写主要执业范围（用于核查第九条（一））。", field="main_business")
        row = self.kwargs["row"]
        return dsg.evaluate(self.ctx, row.id, self.facts(v), v["on"], v["address"], row.version)


ANSWER_CHOICES = [("", "待核实"), ("yes", "是"), ("no", "否"), ("na", "不适用")]


class VerifyDialog(FormDialog):
    """核实: every open item of the evaluation as its plain question, answered 是/否/不适用 with a note and the
    evidence named; the service records who verified what and when and gives the result once nothing is open."""

    ui_name = "application_verify"
    fields = ["application", "on"]

    def setup(self):
        row = self.kwargs["row"]
        self.items = list(row.open_items)
        self.dialog.setWindowTitle(f"核实评估事项 — {row.applicant_name}")
        layout: QVBoxLayout = child(self.dialog, QWidget, "items").layout()
        names = ["application", "on"]
        for n, g in enumerate(self.items, 1):
            layout.addWidget(self._item_box(n, g))
            names += [f"{p}_{g.code}" for p in ("answer", "note", "evidence")]
        layout.addStretch(1)
        guard_entry_widgets(layout.parentWidget(), WheelGuard(self.dialog))
        self.form = FormBinder(self.dialog, names)  # rebound: the item fields exist only now
        self.form.load(
            {
                "application": f"{row.applicant_name}（{row.evaluated_on}评估，{row.state_label}）",
                "on": self.ctx.today(),
            }
        )

    def _item_box(self, n: int, g) -> QGroupBox:
        """One open item: the question, why the data could not answer it, answer, note and evidence."""
        box = QGroupBox(f"{n}. {g.ask}")
        form = QFormLayout(box)
        data = "登记的数据无法判断" if g.evidence == MANUAL else f"登记的数据：{g.evidence}"
        why = QLabel(f"{g.label}\n{data}")
        why.setWordWrap(True)
        why.setStyleSheet("color: #555;")
        form.addRow(why)
        answer = QComboBox(objectName=f"answer_{g.code}")
        fill_combo(answer, ANSWER_CHOICES)
        note = QLineEdit(objectName=f"note_{g.code}", placeholderText="如何核实、核实结果，如：经现场核查，……")
        evidence = QLineEdit(objectName=f"evidence_{g.code}", placeholderText="证据材料，如：营业执照、现场核查记录")
        for label, w in (("回答", answer), ("核实说明", note), ("证据材料", evidence)):
            cell = QWidget()
            v = QVBoxLayout(cell)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(1)
            v.addWidget(w)
            err = QLabel(objectName=f"err_{w.objectName()}", wordWrap=True, visible=False)
            err.setStyleSheet(ERROR_STYLE)
            v.addWidget(err)
            form.addRow(label, cell)
        return box

    def submit(self, v):
        row = self.kwargs["row"]
        checks = [
            dsg.CheckInput(g.code, v[f"answer_{g.code}"] or "", v[f"note_{g.code}"], v[f"evidence_{g.code}"])
            for g in self.items
        ]
        return dsg.verify_items(self.ctx, row.id, checks, v["on"], row.version)
