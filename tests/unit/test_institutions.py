"""Tests for institution kinds, enums and labels, distances and major changes."""

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.institutions import (
    KIND_CLASS_LABELS,
    MAJOR_CHANGE_FIELDS,
    AgreementStatus,
    AgreementType,
    InstitutionKind,
    Ownership,
    agreement_status_from_label,
    agreement_type_from_label,
    distance_m,
    kind_from_label,
    major_changes,
    ownership_from_label,
)


def test_general_hospital_is_class_one_with_chinese_label():
    assert InstitutionKind.GENERAL_HOSPITAL.label == "综合医院"
    assert InstitutionKind.GENERAL_HOSPITAL.kind_class == 1


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        (InstitutionKind.REHABILITATION_HOSPITAL, 1),
        (InstitutionKind.MATERNAL_CHILD, 2),
        (InstitutionKind.DISEASE_PREVENTION, 2),
        (InstitutionKind.VILLAGE_CLINIC, 3),
        (InstitutionKind.OUTPATIENT_DEPARTMENT, 3),
        (InstitutionKind.EMERGENCY_CENTER, 4),
        (InstitutionKind.DIALYSIS_CENTER, 5),
        (InstitutionKind.ELDERLY_CARE_CLINIC, 6),
        (InstitutionKind.PHARMACY, 0),
    ],
)
def test_each_kind_belongs_to_its_class_of_guangdong_article_5(kind, cls):
    assert kind.kind_class == cls


def test_only_the_retail_pharmacy_is_a_pharmacy():
    assert InstitutionKind.PHARMACY.is_pharmacy
    assert InstitutionKind.PHARMACY.label == "定点零售药店"
    assert not InstitutionKind.CLINIC.is_pharmacy


def test_every_class_of_every_kind_has_a_label():
    assert {k.kind_class for k in InstitutionKind} == set(KIND_CLASS_LABELS)
    assert "养老机构内设的医疗机构" in KIND_CLASS_LABELS[6]


def test_kind_from_label_accepts_half_width_brackets_and_spaces():
    assert kind_from_label("卫生所(站)") is InstitutionKind.HEALTH_STATION
    assert kind_from_label(" 村卫生室（所） ") is InstitutionKind.VILLAGE_CLINIC


def test_kind_from_label_accepts_seed_wording_and_variants():
    assert kind_from_label("独立设置的急救中心") is InstitutionKind.EMERGENCY_CENTER
    assert kind_from_label("养老机构内设医疗机构") is InstitutionKind.ELDERLY_CARE_CLINIC
    assert kind_from_label("社区卫生服务站") is InstitutionKind.COMMUNITY_HEALTH
    assert kind_from_label("专科疾病防治院（所、站）") is InstitutionKind.DISEASE_PREVENTION


def test_kind_from_label_accepts_the_stable_code():
    assert kind_from_label("tcm_hospital") is InstitutionKind.TCM_HOSPITAL


def test_unknown_kind_raises_domain_error_naming_the_text_and_field():
    with pytest.raises(DomainError) as caught:
        kind_from_label("美容院")
    assert "美容院" in caught.value.message
    assert "综合医院" in caught.value.message
    assert caught.value.field == "kind"


def test_ownership_labels_round_trip():
    assert Ownership.PUBLIC.label == "公立"
    assert Ownership.PRIVATE.label == "社会办"
    assert ownership_from_label("公立") is Ownership.PUBLIC
    assert ownership_from_label("社会办") is Ownership.PRIVATE
    assert ownership_from_label("民营") is Ownership.PRIVATE


def test_unknown_ownership_raises():
    with pytest.raises(DomainError):
        ownership_from_label("合资")


def test_agreement_status_labels():
    assert [s.label for s in AgreementStatus] == [
        "待签订",
        "履行中",
        "政策辅导期",
        "中止",
        "解除",
        "到期终止",
    ]
    assert agreement_status_from_label("政策辅导期") is AgreementStatus.GUIDANCE
    assert agreement_status_from_label("到期终止") is AgreementStatus.EXPIRED


def test_agreement_type_labels():
    assert AgreementType.FIXED.label == "固定协议"
    assert agreement_type_from_label("年度协议") is AgreementType.ANNUAL
    with pytest.raises(DomainError):
        agreement_type_from_label("三年协议")


def test_distance_of_one_hundredth_degree_of_latitude_is_about_1112_m():
    assert distance_m(23.55, 116.37, 23.56, 116.37) == pytest.approx(1111.95, abs=0.1)


def test_distance_along_latitude_23_55_of_0_015_degree_is_about_1529_m():
    assert distance_m(23.55, 116.37, 23.55, 116.385) == pytest.approx(1529.0, abs=1.0)


def test_distance_of_a_point_to_itself_is_zero():
    assert distance_m(39.08, 117.2, 39.08, 117.2) == 0.0


def test_latitude_out_of_range_raises():
    with pytest.raises(DomainError):
        distance_m(123.0, 116.0, 23.0, 116.0)


def test_major_change_fields_cover_article_39():
    assert set(MAJOR_CHANGE_FIELDS.values()) == {
        "名称", "法定代表人", "主要负责人", "实际控制人", "注册地址", "银行账户",
        "诊疗科目", "机构规模", "机构性质", "等级", "类别",
    }  # fmt: skip


def test_major_changes_lists_changed_fields_only():
    old = {"name": "甲医院", "address": "榕城区1号", "contact": "1"}
    new = {"name": "甲医院", "address": "榕城区2号", "contact": "2"}
    assert major_changes(old, new) == ["注册地址"]
