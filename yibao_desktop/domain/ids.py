"""Validation of ID numbers, credit codes, 医保 codes, names and phones, plus makers of valid test numbers."""

from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, cast

from stdnum import numdb
from stdnum.cn import ric, uscc

from yibao_desktop.domain.errors import DomainError

SEXES = ("男", "女")
# Prefixes of 医保相关人员代码 and the length of the whole code (prefix + 6-digit region + 6-digit serial).
PERSON_CODE_PREFIXES = {"D": 13, "HY": 14, "HJ": 14}
CODE_MAX_LENGTH = 20
NAME_MAX_LENGTH = 50

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Look-alikes clerks type or paste for the name separator "·" (U+00B7).
_NAME_DOTS = str.maketrans({c: "\u00b7" for c in "\u2022\u2027\u30fb\uff65\u22c5\u2219\uff0e"})
# [0-9], not \d: \d also matches full-width and other digits, which the general path normalises first.
_CLEAN_ID = re.compile(r"[0-9]{17}[0-9X]")
_CLEAN_PERSON_CODES = re.compile(r"(?:(?:D|H[YJ])[0-9]{12}\n)*(?:D|H[YJ])[0-9]{12}")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3})-?([1-9]\d{6,7})(?:-(\d{1,6}))?")


class IdInfo(NamedTuple):
    """What a valid 18-digit 身份证件号码 tells: birth date, sex, birth-place code and any warnings.

    A named tuple (immutable) rather than a frozen dataclass: roster imports build 100,000 of them, and the
    dataclass's __init__ cost four times as much."""

    number: str
    birth_date: date
    sex: str
    region: str
    warnings: tuple[str, ...]
    region_name: str = ""


def _is_number(value: object) -> bool:
    """True for int/float/Decimal cells (but not bool)."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _integral_text(value: object) -> object:
    """A whole-number cell as digit text (for short codes Excel cannot damage); anything else unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _code_text(value: object, field: str, label: str) -> str:
    """A code as upper-case text without spaces; numeric cells are refused as already damaged by Excel."""
    if value.__class__ is str and value.isascii() and value.isalnum():
        return value.upper()  # the usual clean code: what the general path below returns, without its costs
    if value is None:
        return ""
    if _is_number(value):
        raise DomainError(
            f"{label}在表格中被存成了数字，Excel 只保留15位有效数字，号码已被损坏；"
            "请把该列设为“文本”格式后重新录入号码",
            field=field,
        )
    if not isinstance(value, str):
        raise DomainError(f"{label}格式不对", field=field)
    # NFKC leaves ASCII unchanged, and most codes are plain ASCII without spaces: skip the work then.
    text = value if value.isascii() else unicodedata.normalize("NFKC", value)
    if text.isalnum():
        return text.upper()
    return "".join(text.split()).upper()


def _region_name(number: str, year: int) -> tuple[str, str | None]:
    """Place name of the number's birth-place code and a warning when that code never existed (`year` unused:
    the code is the issuing office's, whatever the birth year)."""
    key = number[:6]
    if key not in _REGION_CACHE:
        _REGION_CACHE[key] = _region_lookup(number)
    return _REGION_CACHE[key]


# stdnum scans its region database on every call; the answer depends only on the code (a few thousand exist).
_REGION_CACHE: dict[str, tuple[str, str | None]] = {}


def _region_lookup(number: str) -> tuple[str, str | None]:
    """Uncached lookup of the birth-place name and warning."""
    code = number[:6]
    info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    if "county" not in info:
        return "", f"无法识别出生地代码{code}，请核对身份证件号码"
    counties = [c.split("]", 1)[-1] for c in info["county"].split(",")]
    name = info.get("province", "") + (counties[-1] if counties[-1] != info.get("province") else "")
    # An ID number carries the region code of the office that issued it, not of the birth year: 445202 (created
    # 1991) on a 1965 birth date is a genuine number. Only a code that never existed is worth a warning.
    return name, None


def warm_up() -> None:
    """Load python-stdnum's birth-place database now (about a third of a second on first use), e.g. on a thread
    while a file is parsed; the birth places themselves are still looked up (and cached) one code at a time."""
    numdb.get("cn/loc")


def _birth_date(number: str) -> date:
    """Birth date encoded in an 18-digit number, or a DomainError."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise DomainError(f"身份证件号码中的出生日期{number[6:14]}不存在", field="id_number") from None


def _check_id_format(number: str) -> None:
    """Refuse an empty, wrong-length or non-digit 身份证件号码."""
    if not number:
        raise DomainError("请填写身份证件号码", field="id_number")
    if len(number) == 15 and number.isdigit():
        raise DomainError("身份证件号码为15位旧号码，请换成18位号码", field="id_number")
    if len(number) != 18:
        raise DomainError(f"身份证件号码应为18位，现在是{len(number)}位", field="id_number")
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise DomainError("身份证件号码格式不对：前17位应为数字，最后一位为数字或X", field="id_number")


def check_id_number(value: object, *, today: date | None = None) -> IdInfo:
    """Validate a 身份证件号码 (GB 11643): format, check digit, birth date; unknown birth place only warns."""
    if value.__class__ is str and _CLEAN_ID.fullmatch(value):
        number = value  # the usual clean 18-character number: what the two general steps below give
    else:
        number = _code_text(value, "id_number", "身份证件号码")
        _check_id_format(number)
    if ric.calc_check_digit(number) != number[17]:
        raise DomainError("身份证件号码校验位错误，请核对号码（可能有数字输错）", field="id_number")
    birth = _birth_date(number)
    today = today or date.today()
    if birth > today:
        raise DomainError(f"身份证件号码中的出生日期{birth.isoformat()}晚于今天", field="id_number")
    if birth.year < 1900:
        raise DomainError(f"身份证件号码中的出生年份{birth.year}不合理", field="id_number")
    name, warning = _region_name(number, birth.year)
    sex = "男" if int(number[16]) % 2 else "女"
    return IdInfo(number, birth, sex, number[:6], (warning,) if warning else (), name)


# A block of clean 18-character numbers joined by line breaks (a break inside a cell would make two lines).
_CLEAN_IDS = re.compile(r"(?:[0-9]{17}[0-9X]\n)*[0-9]{17}[0-9X]")
_CHECK_DIGITS = "0123456789X"  # GB 11643 check value 0–10 → character (stdnum's ric.calc_check_digit)
_SEX_OF_DIGIT = {d: "男" if int(d) % 2 else "女" for d in "0123456789"}
# Birth-date text (YYYYMMDD) → date, for dates that exist; a roster of 100,000 persons has about 20,000 of them.
_BIRTH_CACHE: dict[str, date] = {}


def id_numbers_all_valid(values: Sequence[object], *, today: date) -> list[IdInfo] | None:
    """check_id_number of every value of a block, when each is a clean 18-character number that check_id_number
    accepts; None as soon as one is not (the caller then checks the block cell by cell, and the general path gives
    the refusal). The same steps as check_id_number — check digit (GB 11643, as stdnum computes it), birth date
    that exists, not after `today`, not before 1900, birth place with its warning — with the per-block work cached:
    a 100,000-row roster checks its numbers in a quarter of the time."""
    try:
        joined = "\n".join(values)  # type: ignore[arg-type]
    except TypeError:  # a number or another non-text value
        return None
    if joined.count("\n") != len(values) - 1 or _CLEAN_IDS.fullmatch(joined) is None:
        return None
    out = []
    births, regions, digits, sexes = _BIRTH_CACHE, _REGION_CACHE, _CHECK_DIGITS, _SEX_OF_DIGIT
    for number in cast("Sequence[str]", values):
        if digits[(1 - 2 * int(number[:17], 13)) % 11] != number[17]:
            return None
        text = number[6:14]
        birth = births.get(text)
        if birth is None:
            try:
                birth = births[text] = _birth_date(number)
            except DomainError:
                return None
        if birth > today or birth.year < 1900:
            return None
        key = number[:6]
        region = regions.get(key)
        if region is None:
            region = _region_name(number, birth.year)
        name, warning = region
        out.append(IdInfo(number, birth, sexes[number[16]], key, (warning,) if warning else (), name))
    return out


def _normalise_sex(sex: str) -> str:
    """'男'/'女' from common spellings."""
    text = sex.strip().upper()
    for canonical, spellings in (
        ("男", ("男", "男性", "M", "MALE", "1")),
        ("女", ("女", "女性", "F", "FEMALE", "2")),
    ):
        if text in spellings:
            return canonical
    raise DomainError(f"性别应填“男”或“女”，现在是“{sex}”", field="sex")


def check_birth_and_sex(info: IdInfo, birth_date: date | None, sex: str | None) -> None:
    """Refuse a birth date or sex that disagrees with the ID number; None means not given."""
    if birth_date is not None and birth_date != info.birth_date:
        raise DomainError(
            f"出生日期{birth_date.isoformat()}与身份证件号码不一致（号码中为{info.birth_date.isoformat()}）",
            field="birth_date",
        )
    # `sex != info.sex` first: the usual exact '男'/'女' needs no normalising.
    if sex is not None and sex != info.sex and sex.strip() and _normalise_sex(sex) != info.sex:
        raise DomainError(f"性别“{sex.strip()}”与身份证件号码不一致（号码中为{info.sex}）", field="sex")


def _check_credit_format(code: str) -> None:
    """Structure of GB 32100: 2 alphabet chars, 6-digit region, 10 alphabet chars."""
    if len(code) != 18:
        raise DomainError(f"统一社会信用代码应为18位，现在是{len(code)}位", field="credit_code")
    if any(c not in _USCC_ALPHABET for c in code) or not code[2:8].isdigit():
        raise DomainError(
            "统一社会信用代码格式不对：只能含数字和大写字母（不含I、O、Z、S、V），第3至8位为行政区划码",
            field="credit_code",
        )


def check_credit_code(value: object) -> str:
    """Validate an 18-character 统一社会信用代码 (GB 32100), letter-first codes included; returns it normalised."""
    code = _code_text(value, "credit_code", "统一社会信用代码")
    if not code:
        raise DomainError("请填写统一社会信用代码", field="credit_code")
    _check_credit_format(code)
    if uscc.calc_check_digit(code[:17]) != code[17]:
        raise DomainError("统一社会信用代码校验位错误，请核对代码", field="credit_code")
    return code


def make_credit_code(body17: str) -> str:
    """The 18-character credit code whose first 17 characters are `body17` (test and demo data)."""
    body = body17.strip().upper()
    if len(body) != 17:
        raise DomainError("统一社会信用代码本体应为17位", field="credit_code")
    _check_credit_format(body + "0")
    return body + uscc.calc_check_digit(body)


def _is_pharmacy(kind: object) -> bool:
    """True when an institution kind (str or enum) names a retail pharmacy."""
    text = str(getattr(kind, "value", kind)).lower()
    return text == "pharmacy" or "药店" in text


def check_institution_code(value: object, kind: object | None = None) -> str:
    """Validate a 医药机构代码: 'H'+6+5 for hospital-type, 'P'+6+5 for pharmacies; returns it upper-cased."""
    code = _code_text(value, "institution_code", "医药机构代码")
    if not code:
        raise DomainError("请填写医药机构代码", field="institution_code")
    if len(code) > CODE_MAX_LENGTH:
        raise DomainError(f"医药机构代码最长{CODE_MAX_LENGTH}位", field="institution_code")
    if kind is None:
        prefixes = "HP"
    else:
        prefixes = "P" if _is_pharmacy(kind) else "H"
    if not re.fullmatch(rf"[{prefixes}]\d{{11}}", code):
        shape = "、".join(f"“{p}”加11位数字" for p in prefixes)
        raise DomainError(f"医药机构代码格式不对：应为{shape}，如 {prefixes[0]}44520200001", field="institution_code")
    return code


def check_person_code(value: object) -> str:
    """Validate a 医保相关人员代码: 'D'+12 digits (doctors), 'HY'/'HJ'+12 digits (pharmacy/technical staff)."""
    code = _code_text(value, "person_code", "医保相关人员代码")
    if not code:
        raise DomainError("请填写医保相关人员代码", field="person_code")
    if len(code) > CODE_MAX_LENGTH:
        raise DomainError(f"医保相关人员代码最长{CODE_MAX_LENGTH}位", field="person_code")
    prefix = code.rstrip("0123456789")
    digits = code[len(prefix) :]
    if PERSON_CODE_PREFIXES.get(prefix) != len(code) or len(digits) != 12:
        raise DomainError(
            "医保相关人员代码格式不对：医师为“D”加12位数字，药师、技师为“HY”或“HJ”加12位数字",
            field="person_code",
        )
    return code


def person_codes_all_clean(values: Sequence[object]) -> bool:
    """True when check_person_code would return every value unchanged (checked in one pass over the block)."""
    try:
        joined = "\n".join(values)  # type: ignore[arg-type]
    except TypeError:  # a number or another non-text value: check one by one
        return False
    # a cell holding a line break (two codes pasted into one cell) must not pass as two clean codes
    return joined.count("\n") == len(values) - 1 and _CLEAN_PERSON_CODES.fullmatch(joined) is not None


def check_region_code(value: object) -> str:
    """Validate a 6-digit 医保区划 (GB/T 2260) code; a numeric cell is fine since 6 digits survive Excel."""
    value = _integral_text(value)
    code = _code_text(value, "region_code", "医保区划")
    if not re.fullmatch(r"[1-9]\d{5}", code):
        raise DomainError("医保区划应为6位数字，如 445202", field="region_code")
    return code


def check_name(value: object) -> str:
    """Validate a person's or institution's name: trimmed, 1–50 chars, rare characters and '·' accepted."""
    if value is None or _is_number(value) or not isinstance(value, str):
        raise DomainError("请填写姓名（文字）", field="name")
    name = value.strip(" \t\r\n\u3000").translate(_NAME_DOTS)
    if not name:
        raise DomainError("请填写姓名", field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(f"姓名最长{NAME_MAX_LENGTH}个字，现在是{len(name)}个", field="name")
    if name.isdigit():
        raise DomainError(f"姓名不能全是数字：“{name}”", field="name")
    if not name.isprintable() and any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise DomainError("姓名中含有不可见的控制字符，请重新输入", field="name")
    return name


def names_all_clean(values: Sequence[object]) -> bool:
    """True when check_name would return every value unchanged: text of 1–NAME_MAX_LENGTH printable characters,
    no whitespace, no look-alike dots, not all digits (checked with a few passes over the joined block)."""
    try:
        joined = "".join(values)  # type: ignore[arg-type]
    except TypeError:
        return False
    return (
        bool(values)
        and joined.isprintable()
        and joined.split() == [joined]
        and joined.translate(_NAME_DOTS) == joined
        and 0 < min(map(len, values)) <= max(map(len, values)) <= NAME_MAX_LENGTH  # type: ignore[arg-type]
        and not any(map(str.isdigit, values))  # type: ignore[arg-type]
    )


def check_phone(value: object) -> str:
    """Validate a mobile (1[3-9] + 9 digits) or landline with area code; returns it normalised."""
    value = _integral_text(value)
    if not isinstance(value, str):
        raise DomainError("请填写联系电话", field="phone")
    if value.isascii() and value.isdigit() and _MOBILE.fullmatch(value):
        return value  # the usual plain mobile number: nothing below would change it
    text = "".join(unicodedata.normalize("NFKC", value).split()).replace("－", "-").replace("—", "-")
    text = re.sub(r"^\((0\d{2,3})\)", r"\1-", text)
    if text.startswith("+86"):
        text = text[3:].lstrip("-")
    if _MOBILE.fullmatch(text):
        return text
    landline = _LANDLINE.fullmatch(text)
    if landline:
        area, local, ext = landline.groups()
        return f"{area}-{local}" + (f"-{ext}" if ext else "")
    raise DomainError(f"联系电话格式不对：“{value.strip()}”（手机11位，座机需带区号，如 0663-8888888）", field="phone")


def make_id_number(region: str, birth: date, seq: int, sex: str) -> str:
    """The `seq`-th (0-based) valid ID number of that sex, birth place and birth date (test and demo data)."""
    if not re.fullmatch(r"\d{6}", region):
        raise DomainError("出生地代码应为6位数字", field="id_number")
    sex = _normalise_sex(sex)
    order = seq * 2 + (1 if sex == "男" else 2)
    if seq < 0 or order > 999:
        raise DomainError(f"顺序号超出范围：{seq}", field="id_number")
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")
