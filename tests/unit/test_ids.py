"""ID numbers (GB 11643), credit codes (GB 32100), 医保 codes, names and phones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.ids import (
    IdInfo,
    check_birth_and_sex,
    check_credit_code,
    check_id_number,
    check_institution_code,
    check_name,
    check_person_code,
    check_phone,
    check_region_code,
    make_credit_code,
    make_id_number,
    names_all_clean,
    person_codes_all_clean,
)

TODAY = date(2026, 6, 1)


def check(value):
    return check_id_number(value, today=TODAY)


# --- 身份证件号码 ---------------------------------------------------------------


def test_stdnum_example_number_is_valid_male_born_jan_1_1991():
    info = check("360426199101010071")
    assert info == IdInfo("360426199101010071", date(1991, 1, 1), "男", "360426", (), "江西省德安县")


def test_beijing_woman_with_x_check_digit_is_valid():
    info = check("11010119900101012X")
    assert info.sex == "女"
    assert info.birth_date == date(1990, 1, 1)
    assert info.region == "110101"
    assert info.region_name == "北京市东城区"
    assert info.warnings == ()


def test_lowercase_x_and_spaces_are_normalised():
    assert check(" 110101 19900101 012x ").number == "11010119900101012X"


def test_full_width_digits_are_normalised():
    assert check("１１０１０１１９９００１０１０１２Ｘ").number == "11010119900101012X"


def test_rongcheng_person_born_1985_before_445202_existed_passes_without_a_warning():
    # The region code is the issuing office's (榕城区 since 1991), not the birth year's: a genuine number.
    info = check("445202198503020019")
    assert info.birth_date == date(1985, 3, 2)
    assert info.sex == "男"
    assert info.region_name == "广东省榕城区"
    assert info.warnings == ()


def test_a_birth_place_code_that_never_existed_is_warned_about():
    from yibao_desktop.domain.ids import make_id_number

    info = check(make_id_number("449999", date(1985, 3, 2), 1, "男"))
    assert info.warnings == ("无法识别出生地代码449999，请核对身份证件号码",)


def test_rongcheng_person_born_1995_has_no_warning():
    info = check("445202199507090027")
    assert info.sex == "女"
    assert info.warnings == ()


def test_unknown_birth_place_is_only_a_warning():
    info = check("999999199001010016")
    assert info.region == "999999"
    assert info.region_name == ""
    assert "999999" in info.warnings[0]


def test_bad_check_digit_is_an_error_on_id_number():
    with pytest.raises(DomainError) as err:
        check("360426199101010072")
    assert err.value.message.startswith("身份证件号码校验位错误")
    assert err.value.field == "id_number"


@pytest.mark.parametrize("value", [360426199101010071, 3.60426199101010071e17, Decimal("360426199101010071")])
def test_numeric_excel_cell_is_refused_as_already_damaged(value):
    with pytest.raises(DomainError) as err:
        check(value)
    assert "数字" in err.value.message
    assert "15" in err.value.message
    assert "文本" in err.value.message
    assert err.value.field == "id_number"


@pytest.mark.parametrize(
    "value",
    ["", None, "   ", "36042619910101007", "3604261991010100711", "36042619910101007A", "X60426199101010071"],
)
def test_wrong_length_or_format_is_an_error(value):
    with pytest.raises(DomainError) as err:
        check(value)
    assert err.value.field == "id_number"


def test_fifteen_digit_old_number_is_refused_with_a_hint():
    with pytest.raises(DomainError) as err:
        check("360426910101007")
    assert "15位" in err.value.message


def test_impossible_birth_date_is_an_error():
    # 1991-02-30 does not exist; check digit made valid so only the date is wrong.
    number = "36042619910230007"
    from stdnum.cn import ric

    with pytest.raises(DomainError) as err:
        check(number + ric.calc_check_digit(number + "0"))
    assert "19910230" in err.value.message


def test_birth_date_after_today_is_an_error():
    with pytest.raises(DomainError) as err:
        check(make_id_number("445202", date(2026, 6, 2), 0, "男"))
    assert "晚于今天" in err.value.message


def test_birth_today_is_accepted():
    assert check(make_id_number("445202", date(2026, 6, 1), 0, "女")).birth_date == date(2026, 6, 1)


def test_birth_and_sex_that_agree_pass():
    info = check("11010119900101012X")
    check_birth_and_sex(info, date(1990, 1, 1), "女")
    check_birth_and_sex(info, None, None)
    check_birth_and_sex(info, None, "")


def test_birth_date_mismatch_is_an_error_on_birth_date():
    info = check("11010119900101012X")
    with pytest.raises(DomainError) as err:
        check_birth_and_sex(info, date(1990, 1, 2), None)
    assert err.value.field == "birth_date"
    assert "1990-01-01" in err.value.message


def test_sex_mismatch_is_an_error_on_sex():
    info = check("11010119900101012X")
    with pytest.raises(DomainError) as err:
        check_birth_and_sex(info, None, "男")
    assert err.value.field == "sex"


def test_sex_that_is_neither_male_nor_female_is_an_error():
    with pytest.raises(DomainError):
        check_birth_and_sex(check("11010119900101012X"), None, "未知")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("445202", date(1985, 3, 2), 0, "男"), "445202198503020019"),
        (("445202", date(1995, 7, 9), 0, "女"), "445202199507090027"),
        (("110101", date(1990, 1, 1), 5, "女"), "11010119900101012X"),
        (("445202", date(1990, 12, 31), 3, "女"), "445202199012310083"),
    ],
)
def test_make_id_number_computes_order_code_and_check_digit(args, expected):
    assert make_id_number(*args) == expected


def test_make_id_number_gives_distinct_valid_numbers_of_the_right_sex():
    numbers = {make_id_number("445281", date(1970, 5, 5), seq, "男") for seq in range(500)}
    assert len(numbers) == 500
    assert all(check(n).sex == "男" for n in list(numbers)[:50])


def test_make_id_number_refuses_a_sequence_out_of_range():
    with pytest.raises(DomainError):
        make_id_number("445202", date(1990, 1, 1), 499, "女")


# --- 统一社会信用代码 ----------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["91110000600037341L", "9144030071526726XG", "A1440300MA5F000019", "Y1445202MA4W00001M"]
)
def test_valid_credit_codes_including_letter_first_pass(code):
    assert check_credit_code(code) == code


def test_credit_code_is_upper_cased_and_stripped():
    assert check_credit_code(" 9144030071526726xg ") == "9144030071526726XG"


def test_credit_code_with_a_wrong_check_character_is_refused():
    with pytest.raises(DomainError) as err:
        check_credit_code("91110000600037341M")
    assert "校验位" in err.value.message
    assert err.value.field == "credit_code"


@pytest.mark.parametrize(
    "code", ["", "91110000600037341", "91110000600037341LL", "9111000060003734IL", "91AB0000600037341L"]
)
def test_credit_code_of_wrong_length_or_alphabet_is_refused(code):
    with pytest.raises(DomainError):
        check_credit_code(code)


def test_numeric_credit_code_cell_is_refused():
    with pytest.raises(DomainError) as err:
        check_credit_code(911100006000373410)
    assert "数字" in err.value.message


def test_make_credit_code_appends_the_check_character():
    assert make_credit_code("91445202MA4UXXXX1") == "91445202MA4UXXXX1D"
    assert make_credit_code("12445200456789012") == "12445200456789012H"
    assert check_credit_code(make_credit_code("52445202MJL000001")) == "52445202MJL000001P"


# --- 医药机构代码, 人员代码, 区划 --------------------------------------------------


def test_hospital_code_is_h_plus_eleven_digits():
    assert check_institution_code("h44520200001") == "H44520200001"
    assert check_institution_code("H44520200001", "hospital") == "H44520200001"


def test_pharmacy_code_starts_with_p():
    assert check_institution_code("P44520200007", "pharmacy") == "P44520200007"
    assert check_institution_code("P44520200007") == "P44520200007"


def test_pharmacy_code_given_for_a_hospital_is_refused():
    with pytest.raises(DomainError):
        check_institution_code("P44520200007", "hospital")


def test_hospital_code_given_for_a_pharmacy_is_refused():
    with pytest.raises(DomainError):
        check_institution_code("H44520200001", "pharmacy")


@pytest.mark.parametrize("code", ["", "H4452020000", "H445202000011", "X44520200001", "H4452020000A", "H" + "4" * 20])
def test_malformed_institution_codes_are_refused(code):
    with pytest.raises(DomainError) as err:
        check_institution_code(code)
    assert err.value.field == "institution_code"


def test_doctor_code_is_d_plus_twelve_digits():
    assert check_person_code("d445202000123") == "D445202000123"


@pytest.mark.parametrize("code", ["HY445202000001", "HJ445202000002"])
def test_pharmacy_and_technical_staff_codes_are_two_letters_plus_twelve_digits(code):
    assert check_person_code(code) == code


@pytest.mark.parametrize(
    "code", ["", "D44520200012", "D4452020001234", "HY44520200000", "HX445202000001", "445202000123"]
)
def test_malformed_person_codes_are_refused(code):
    with pytest.raises(DomainError) as err:
        check_person_code(code)
    assert err.value.field == "person_code"


def test_region_code_is_six_digits_and_a_numeric_cell_is_fine():
    assert check_region_code("445202") == "445202"
    assert check_region_code(445202) == "445202"
    assert check_region_code(445202.0) == "445202"


@pytest.mark.parametrize("code", ["", "44520", "4452021", "44520A", "045202", None])
def test_malformed_region_codes_are_refused(code):
    with pytest.raises(DomainError):
        check_region_code(code)


# --- 姓名, 电话 ----------------------------------------------------------------


def test_name_is_trimmed():
    assert check_name("  张三\u3000") == "张三"


def test_name_with_middle_dot_and_look_alike_dots_is_accepted():
    assert check_name("阿依古丽·买买提") == "阿依古丽·买买提"
    assert check_name("阿依古丽・买买提") == "阿依古丽·买买提"
    assert check_name("阿依古丽•买买提") == "阿依古丽·买买提"


def test_name_with_ext_b_character_is_accepted():
    assert check_name("王𠮷") == "王𠮷"
    assert check_name("陈䶮") == "陈䶮"


@pytest.mark.parametrize("value", ["", "   ", None, "123456", 123, "张\x00三", "甲" * 51])
def test_bad_names_are_refused(value):
    with pytest.raises(DomainError) as err:
        check_name(value)
    assert err.value.field == "name"


def test_name_of_fifty_characters_is_accepted():
    assert check_name("甲" * 50) == "甲" * 50


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "13800138000"),
        (" 138 0013 8000 ", "13800138000"),
        ("+86 13800138000", "13800138000"),
        (13800138000, "13800138000"),
        ("0663-8888888", "0663-8888888"),
        ("06638888888", "0663-8888888"),
        ("(0663)8888888", "0663-8888888"),
        ("020-12345678-801", "020-12345678-801"),
    ],
)
def test_phone_numbers_are_normalised(value, expected):
    assert check_phone(value) == expected


@pytest.mark.parametrize("value", ["", "12800138000", "1380013800", "8888888", "0663-888", None, "abc"])
def test_bad_phone_numbers_are_refused(value):
    with pytest.raises(DomainError) as err:
        check_phone(value)
    assert err.value.field == "phone"


def _unchanged(check, values) -> bool:
    try:
        return all(check(v) == v for v in values)
    except DomainError:
        return False


@pytest.mark.parametrize(
    "values",
    [
        ["张三", "买买提·艾力", "𪚥", "欧阳明辉"],
        ["张三", " 李四"],
        ["张三", "李\u3000四"],
        ["张三", "买买提•艾力"],
        ["张三", "123"],
        ["张三", ""],
        ["张三", "名" * 51],
        ["张三", "李\u200b四"],
        ["张三", 12],
        ["张三", None],
    ],
)
def test_the_whole_block_name_check_never_passes_a_block_the_cell_check_would_change(values):
    # it may send a clean block cell by cell (inner full-width space), never the other way round
    assert not names_all_clean(values) or _unchanged(check_name, values)
    assert names_all_clean(values) == (values == ["张三", "买买提·艾力", "𪚥", "欧阳明辉"])


@pytest.mark.parametrize(
    "values",
    [
        ["D445202000001", "HY445202000002", "HJ440103000003"],
        ["D445202000001", "d445202000002"],
        ["D445202000001", "D44520200000"],
        ["D445202000001", "HX445202000002"],
        ["D445202000001", " D445202000002"],
        ["D445202000001", 445202000002],
        ["D445202000001", ""],
        ["D445202000001", "D４４５２０２000002"],
        ["D445202000001\nD445202000002"],
        ["D445202000001\nD445202000002", "D445202000003"],
    ],
)
def test_the_whole_block_person_code_check_agrees_with_the_cell_check(values):
    assert person_codes_all_clean(values) == _unchanged(check_person_code, values)


def test_the_clean_id_fast_path_still_checks_digit_and_birth_date():
    good = make_id_number("445202", date(1985, 3, 1), 3, "男")
    assert check_id_number(good).number == good
    with pytest.raises(DomainError, match="校验位"):
        check_id_number(good[:17] + ("0" if good[17] != "0" else "1"))
    assert check_id_number(good.lower() if good.endswith("X") else good).number == good


def test_an_id_number_typed_with_full_width_digits_is_stored_in_ascii():
    good = make_id_number("445202", date(1985, 3, 1), 3, "男")
    wide = good[:6].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + good[6:]
    assert check_id_number(wide).number == good


def test_a_region_code_shows_its_county_name_the_latest_one_for_a_renamed_county():
    from yibao_desktop.domain.ids import region_label

    assert region_label("445203") == "445203 揭东区"  # created 2012 out of 揭东县
    assert region_label("445221") == "445221 揭东县"  # the old county keeps its own name
    assert region_label("445200") == "445200 揭阳市"
    assert region_label("120101") == "120101 和平区"
    assert region_label("999999") == "999999"  # never existed: the code alone, no invented name
    assert region_label("") == "" and region_label(None) == ""
    assert region_label("4452") == "4452"
