"""Policy profiles: the shipped TOML files parse, inherit, search and reject broken keys in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.policy import PROFILE_NAMES, parse_profile, resolve_profile
from yibao_desktop.paths import resources_dir


def read_profile_text(name: str) -> str:
    """The shipped TOML text of one profile."""
    return (resources_dir() / "profiles" / f"{name}.toml").read_text(encoding="utf-8")


def profile(name: str):
    return resolve_profile(name, read_profile_text)


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_every_shipped_profile_parses_with_four_bands_and_all_prefixes(name):
    p = profile(name)
    assert p.key == name
    assert {it.band for it in p.catalog} == {1, 2, 3, 4}
    assert set(p.suspension_months) == {9, 10, 11}
    assert p.doc_prefixes["score_notice"].endswith("医保记")


def test_national_profile_holds_the_national_numbers():
    p = profile("national")
    assert p.name == "全国通用（国家规程默认值）"
    assert p.responsibility_positions == {"general": "low", "important": "middle", "primary": "high"}
    assert (p.notice_issue_working_days, p.notice_delivery_working_days, p.appeal_working_days) == (5, 3, 10)
    assert (
        p.appeal_result_working_days,
        p.restoration_lead_working_days,
        p.restoration_decision_working_days,
    ) == (20, 15, 10)
    assert (p.guidance_months, p.guidance_extension_months, p.request_suspension_max_days) == (6, 6, 180)
    assert (p.publicity_working_days, p.supplement_notice_working_days, p.info_change_working_days) == (
        7,
        5,
        30,
    )
    assert (p.ban_years_accumulated, p.ban_years_single_decision) == (1, 3)
    assert p.watch_threshold is None and p.distance_rule_m is None
    assert not p.tianjin_admission_conditions
    assert p.institution_flag_share == pytest.approx(0.10)


def test_national_catalog_has_an_other_item_in_every_band():
    p = profile("national")
    for band in (1, 2, 3, 4):
        assert any("其他" in it.name for it in [x for x in p.catalog if x.band == band]), band


def test_national_catalog_places_the_anchor_behaviours_in_their_bands():
    p = profile("national")
    assert p.item("B1-01").band == 1 and "违约金" in p.item("B1-01").name
    assert p.item("B1-02").band == 1 and "非中选" in p.item("B1-02").name
    assert p.item("B3-01").band == 3 and "冒名" in p.item("B3-01").name
    assert p.item("B3-02").band == 3 and "重复发生" in p.item("B3-02").name
    assert p.item("B4-04").band == 4 and "吊销" in p.item("B4-04").name
    assert all(it.band == 2 for it in p.search("第三十九条") if it.code.startswith("B2"))
    assert {it.band for it in p.search("第四十条")} == {4}


def test_tianjin_profile_adds_watch_line_repair_cap_distance_and_area_thresholds():
    p = profile("tianjin")
    assert p.watch_threshold == 6
    assert (p.repair_points_per_activity, p.repair_yearly_cap) == (1, 4)
    assert p.distance_rule_m == 1500
    assert p.tianjin_admission_conditions
    assert p.area_thresholds["市区"].drugs_monthly == Decimal("101432.21")
    assert p.area_thresholds["远郊"].services_monthly == Decimal("11156.15")
    assert set(p.area_thresholds) == {"滨海", "环城", "市区", "远郊"}
    assert p.special_outpatient_max_diseases == {"门诊部": 1, "其他": 2}
    assert p.first_year_service_categories == ("门诊", "住院")
    # inherited from national
    assert p.appeal_working_days == 10 and len(p.catalog) == len(profile("national").catalog)


def test_guangdong_profile_inherits_national_catalog_and_deadlines():
    gd, nat = profile("guangdong"), profile("national")
    assert gd.name == "广东省"
    assert gd.catalog == nat.catalog
    assert gd.suspension_months == nat.suspension_months


def test_search_matches_any_word_in_name_keywords_or_code():
    p = profile("national")
    codes = [it.code for it in p.search("串换 伪造")]
    assert codes == ["B2-04", "B4-02"]
    assert [it.code for it in p.search("b3-01")] == ["B3-01"]
    assert "B3-01" in [it.code for it in p.search("该医生冒名结算")]
    assert p.search("  ") == list(p.catalog)
    assert p.search("不存在的词") == []


def test_unknown_violation_code_is_refused_in_chinese():
    with pytest.raises(DomainError, match="B9-99"):
        profile("national").item("B9-99")


def test_a_broken_number_gives_a_chinese_error_naming_the_key():
    broken = read_profile_text("national").replace("appeal_working_days = 10", "appeal_working_days = -1")
    with pytest.raises(DomainError) as err:
        parse_profile(broken)
    assert "deadlines.appeal_working_days" in err.value.message and "正整数" in err.value.message
    assert err.value.field == "deadlines.appeal_working_days"


def test_a_missing_key_is_named_in_the_error():
    broken = read_profile_text("national").replace("publicity_working_days = 7\n", "")
    with pytest.raises(DomainError, match="缺少配置项 deadlines.publicity_working_days"):
        parse_profile(broken)


def test_suspension_months_outside_one_to_six_are_refused():
    broken = read_profile_text("national").replace("11 = 6", "11 = 7")
    with pytest.raises(DomainError, match=r"scoring\.suspension_months\.11 应为 1 至 6"):
        parse_profile(broken)


def test_duplicate_catalog_code_is_refused():
    broken = read_profile_text("national").replace('code = "B1-02"', 'code = "B1-01"')
    with pytest.raises(DomainError, match="代码 B1-01 重复"):
        parse_profile(broken)


def test_invalid_toml_syntax_is_reported_in_chinese():
    with pytest.raises(DomainError, match="不是有效的 TOML"):
        parse_profile("key = ")


def test_override_alone_without_its_base_says_which_base_is_needed():
    with pytest.raises(DomainError, match="继承 national"):
        parse_profile(read_profile_text("tianjin"))


def test_catalog_extra_replaces_and_adds_items_over_the_base():
    override = """
key = "local"
name = "某地"
[[catalog_extra]]
code = "B1-99"
band = 1
name = "其他轻微违约（本地）"
[[catalog_extra]]
code = "B2-50"
band = 2
name = "本地新增情形"
keywords = ["本地"]
"""
    p = parse_profile(read_profile_text("national"), override)
    assert p.item("B1-99").name == "其他轻微违约（本地）"
    assert p.item("B2-50").band == 2
    assert len(p.catalog) == len(profile("national").catalog) + 1


def test_extends_cycle_is_refused():
    texts = {"a": 'extends = "b"\nkey = "a"\n', "b": 'extends = "a"\nkey = "b"\n'}
    with pytest.raises(DomainError, match="循环"):
        resolve_profile("a", texts.__getitem__)


def test_the_application_form_is_named_by_the_profile_guangdong_only_in_guangdong():
    national, guangdong, tianjin = profile("national"), profile("guangdong"), profile("tianjin")
    assert national.materials["application_form"] == "定点医疗机构申请表"
    assert guangdong.materials["application_form"] == "广东省医疗保障定点医疗机构申请表"
    assert "广东" not in "".join(national.materials.values()) + "".join(tianjin.materials.values())
    assert guangdong.materials["fund_forecast"] == "纳入定点后使用医疗保障基金的预测性分析报告"
    assert list(national.materials) == list(guangdong.materials)  # the six items of 第八条, in order
    assert "广东" in guangdong.legal.citation(["notice.supplement"])
    assert "广东" not in national.legal.citation(["notice.supplement"])


def test_the_tianjin_rule_set_is_switched_on_by_its_flag_and_needs_its_numbers():
    national = read_profile_text("national")
    distance_only = parse_profile(national, "[admission]\ndistance_rule_m = 1500\n")
    assert distance_only.distance_rule_m == 1500 and not distance_only.tianjin_admission_conditions
    with pytest.raises(DomainError, match="admission.distance_rule_m"):
        parse_profile(national, "[features]\ntianjin_admission_conditions = true\n")
