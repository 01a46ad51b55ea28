"""Registration dialog (annex 2): ID number checked as typed, birth date and sex derived from it."""

from __future__ import annotations

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import check_id_number, region_label
from yibao_desktop.services.institutions import institution_choices
from yibao_desktop.services.registrations import RegistrationInput, register_person

from ..binding import fill_combo
from ..fields import show_region_name
from ..pickers import make_searchable
from .base import FormDialog

FIELDS = [
    "name",
    "id_number",
    "birth_sex",
    "person_code",
    "phone",
    "institution_code",
    "region_code",
    "practice_type",
    "practice_category",
    "practice_scope",
    "title",
    "registered_on",
    "commitment",
    "commitment_on",
    "is_principal",
]


class RegistrationDialog(FormDialog):
    """Register a person at an institution."""

    ui_name = "registration_dialog"
    fields = FIELDS

    def setup(self):
        w = self.form.widgets
        fill_combo(
            w["institution_code"],
            [(code, f"{code} {name}") for _i, code, name in institution_choices(self.ctx)],
            blank="",
        )
        make_searchable(w["institution_code"])
        fill_combo(
            w["practice_type"],
            [(x, x) for x in ("执业医师", "执业助理医师", "注册护士", "药师", "技师", "乡村医生", "医保结算审核人员")],
        )
        fill_combo(
            w["practice_category"], [(x, x) for x in ("临床", "中医", "口腔", "公共卫生", "药学", "护理", "医技")]
        )
        fill_combo(
            w["title"],
            [
                (x, x)
                for x in (
                    "主任医师",
                    "副主任医师",
                    "主治医师",
                    "医师",
                    "主管药师",
                    "药师",
                    "主管护师",
                    "护师",
                    "技师",
                    "无",
                )
            ],
        )
        self.form.load({"registered_on": self.ctx.today(), "commitment_on": self.ctx.today()})
        w["id_number"].textChanged.connect(self.derive)
        show_region_name(w["region_code"])
        self.registration_id = self.kwargs.get("registration_id")
        if self.registration_id is not None:
            from yibao_desktop.services.registrations import get_registration

            data, self.version = get_registration(self.ctx, self.registration_id)
            self.form.load(vars(data))
            self.dialog.setWindowTitle(f"编辑登记备案 — {data.name}")
            for name in (
                "name",
                "id_number",
                "person_code",
                "institution_code",
                "commitment",
                "commitment_on",
                "is_principal",
            ):
                w[name].setEnabled(False)  # identity and institution: cancel and re-register instead
            w["registered_on"].setToolTip("登记备案日期录错时可在此更正（不能晚于今天）")

    def derive(self, text: str) -> None:
        """Show birth date and sex as soon as the ID number is complete, or what is wrong with it."""
        lab = self.form.widgets["birth_sex"]
        if len(text.strip()) < 18:
            lab.setText("")
            return
        try:
            info = check_id_number(text)
        except DomainError as err:
            lab.setText(err.message)
            lab.setStyleSheet("color:#c0392b")
            return
        lab.setStyleSheet("")
        lab.setText(
            f"{info.birth_date:%Y年%m月%d日}　{info.sex}　出生地 {region_label(info.region)}"
            + ("　" + "；".join(info.warnings) if info.warnings else "")
        )

    def submit(self, v):
        if self.registration_id is not None:
            from yibao_desktop.services.registrations import update_registration

            data = RegistrationInput(
                phone=v["phone"],
                region_code=v["region_code"],
                practice_type=v["practice_type"] or "",
                practice_category=v["practice_category"] or "",
                practice_scope=v["practice_scope"],
                title=v["title"] or "",
                registered_on=v["registered_on"],
            )
            return update_registration(self.ctx, self.registration_id, data, self.version)
        data = RegistrationInput(
            name=v["name"],
            id_number=v["id_number"],
            person_code=v["person_code"],
            phone=v["phone"],
            institution_code=(v["institution_code"] or "").split(" ")[0],
            region_code=v["region_code"],
            practice_type=v["practice_type"] or "",
            practice_category=v["practice_category"] or "",
            practice_scope=v["practice_scope"],
            title=v["title"] or "",
            commitment=v["commitment"],
            commitment_on=v["commitment_on"] if v["commitment"] else None,
            registered_on=v["registered_on"],
            is_principal=v["is_principal"],
        )
        return register_person(self.ctx, data, today=self.ctx.today())
