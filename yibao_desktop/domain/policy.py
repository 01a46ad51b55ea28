"""Policy profiles: the province-dependent numbers, scoring catalog and document prefixes, parsed from TOML."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, TypeGuard

from yibao_desktop.domain.designation import MATERIALS
from yibao_desktop.domain.errors import DomainError
from yibao_desktop.domain.legal_basis import LegalBasis, parse_legal_basis
from yibao_desktop.domain.pinyin import initials_key, initials_match

PROFILE_NAMES = ("national", "guangdong", "tianjin")
DOC_PREFIX_KEYS = tuple(
    "score_notice agreement_suspension agreement_termination supplement refusal evaluation publicity copy_report "
    "restoration repair appeal_reply guidance recovery".split()
)
POSITIONS = ("low", "middle", "high")
RESPONSIBILITIES = ("general", "important", "primary")


def _cfg(section: str, kind: str, default: Any) -> Any:
    """A profile field read from `[section]`; kind 'pos' positive int, 'opt' positive int or false, 'bool', 'date'."""
    return field(default=default, metadata={"section": section, "kind": kind})


@dataclass(frozen=True)
class ViolationItem:
    """One catalog entry: a violation with its scoring band (1–4) and search keywords."""

    code: str
    name: str
    band: int
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaThreshold:
    """Tianjin monthly point thresholds of one area for new grass-roots institutions (《天津通知》三（三）)."""

    drugs_monthly: Decimal
    services_monthly: Decimal


@dataclass(frozen=True)
class PolicyProfile:
    """Every number, list and prefix a province may set; built only by parse_profile."""

    key: str
    name: str
    catalog: tuple[ViolationItem, ...]
    responsibility_positions: dict[str, str]
    suspension_months: dict[int, int]
    institution_flag_share: float
    doc_prefixes: dict[str, str]
    watch_threshold: int | None = _cfg("scoring", "opt", None)
    repair_points_per_activity: int = _cfg("scoring", "pos", 1)
    repair_yearly_cap: int = _cfg("scoring", "pos", 12)
    # deadlines in working days
    notice_issue_working_days: int = _cfg("deadlines", "pos", 5)
    notice_delivery_working_days: int = _cfg("deadlines", "pos", 3)
    appeal_working_days: int = _cfg("deadlines", "pos", 10)
    appeal_result_working_days: int = _cfg("deadlines", "pos", 20)
    restoration_lead_working_days: int = _cfg("deadlines", "pos", 15)
    restoration_decision_working_days: int = _cfg("deadlines", "pos", 10)
    supplement_notice_working_days: int = _cfg("deadlines", "pos", 5)
    publicity_working_days: int = _cfg("deadlines", "pos", 7)
    info_change_working_days: int = _cfg("deadlines", "pos", 30)
    payment_working_days: int = _cfg("deadlines", "pos", 30)
    # calendar periods
    ban_years_accumulated: int = _cfg("periods", "pos", 1)
    ban_years_single_decision: int = _cfg("periods", "pos", 3)
    guidance_months: int = _cfg("periods", "pos", 6)
    guidance_extension_months: int = _cfg("periods", "pos", 6)
    evaluation_months: int = _cfg("periods", "pos", 3)
    reevaluation_wait_months: int = _cfg("periods", "pos", 3)
    reapply_ban_years: int = _cfg("periods", "pos", 1)
    renewal_lead_months: int = _cfg("periods", "pos", 3)
    exit_request_lead_months: int = _cfg("periods", "pos", 3)
    agreement_term_years: int = _cfg("periods", "pos", 1)
    fixed_agreement_min_years: int = _cfg("periods", "pos", 2)
    request_suspension_max_days: int = _cfg("periods", "pos", 180)
    records_production_days: int = _cfg("periods", "pos", 7)
    suspensions_to_terminate: int = _cfg("periods", "pos", 2)
    # floors of a plausible record date (domain/plausibility.py)
    earliest_record: date = _cfg("dates", "date", date(1998, 12, 14))
    scoring_start: date = _cfg("dates", "date", date(2025, 1, 1))
    # admission conditions and refusal grounds
    min_operating_months: int = _cfg("admission", "pos", 3)
    department_bed_threshold: int = _cfg("admission", "pos", 100)
    fraud_application_ban_years: int = _cfg("admission", "pos", 3)
    violation_termination_ban_years: int = _cfg("admission", "pos", 3)
    breach_termination_ban_years: int = _cfg("admission", "pos", 1)
    controller_ban_years: int = _cfg("admission", "pos", 5)
    every_department_physician: bool = _cfg("admission", "bool", False)
    records_keep_years: int | None = _cfg("admission", "opt", None)
    video_keep_months: int | None = _cfg("admission", "opt", None)
    city_platform_purchase: bool = _cfg("admission", "bool", False)
    distance_rule_m: int | None = _cfg("admission", "opt", None)
    # [features]: a provincial rule set switched on by name, never inferred from one of its numbers
    tianjin_admission_conditions: bool = _cfg("features", "bool", False)
    onsite_inspection_months: int | None = _cfg("admission", "opt", None)
    special_outpatient_min_score: int | None = _cfg("admission", "opt", None)
    first_year_service_categories: tuple[str, ...] = ()
    special_outpatient_max_diseases: dict[str, int] = field(default_factory=dict)
    area_thresholds: dict[str, AreaThreshold] = field(default_factory=dict)
    legal: LegalBasis = field(default_factory=LegalBasis)  # [legal_basis] and [relief] of institution notices
    # [designation.materials]: code of a 第八条 item (domain.designation.MATERIALS) → its name in this province
    materials: dict[str, str] = field(default_factory=dict)

    def item(self, code: str) -> ViolationItem:
        """The catalog item with this code, or DomainError."""
        for it in self.catalog:
            if it.code == code.strip():
                return it
        raise DomainError(f"违规行为代码 {code} 不在当前策略（{self.name}）的记分目录中", field="violation_code")

    def search(self, words: str) -> list[ViolationItem]:
        """Catalog items matching any word in code, name or keywords; best matches first."""
        terms = [w for w in re.split(r"[\s,，、;；]+", words.strip()) if w]
        if not terms:
            return list(self.catalog)
        scored = [(_hits(it, terms), it) for it in self.catalog]
        return [it for hits, it in sorted(scored, key=lambda p: (-p[0], p[1].code)) if hits]


def _hits(item: ViolationItem, terms: list[str]) -> int:
    """How many search terms hit the item; a keyword inside a longer pasted phrase also counts."""
    hits = 0
    for term in terms:
        low = term.lower()
        if (
            low in item.code.lower()
            or term in item.name
            or any(term in k or k in term for k in item.keywords)
            or (term.isascii() and term.isalpha() and len(term) >= 2 and initials_match(initials_key(item.name), term))
        ):
            hits += 1
    return hits


def merge_tables(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge two parsed TOML tables: tables merge, everything else (arrays too) is replaced."""
    out = dict(base)
    for k, v in override.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = merge_tables(out[k], v)
        else:
            out[k] = v
    return out


def _load(text: str, n: int) -> dict[str, Any]:
    """Parse one TOML text with exact decimals; syntax errors become DomainError."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise DomainError(f"策略配置第{n}个文件不是有效的 TOML：{exc}", field="profile") from exc


def parse_profile(*toml_texts: str) -> PolicyProfile:
    """Build a profile from one or more TOML texts (base first, overrides after); validates every key."""
    if not toml_texts:
        raise DomainError("未提供策略配置内容", field="profile")
    data: dict[str, Any] = {}
    extra: list[Any] = []
    for n, text in enumerate(toml_texts, start=1):
        layer = _load(text, n)
        extra.extend(layer.pop("catalog_extra", []) or [])
        data = merge_tables(data, layer)
    try:
        return _build(data, extra)
    except DomainError as err:
        if "extends" in data and len(toml_texts) == 1:
            err.message += f"（该配置继承 {data['extends']}，请同时提供基础配置）"
            err.args = (err.message,)
        raise


def _build(data: dict[str, Any], extra: list[Any]) -> PolicyProfile:
    """Validate the merged table and create the profile."""
    kwargs: dict[str, Any] = {
        "key": _text(data, "key"),
        "name": _text(data, "name"),
        "catalog": _catalog(_get(data, "catalog"), extra),
        "responsibility_positions": _positions(_table(data, "scoring.responsibility_positions")),
        "suspension_months": _months(_table(data, "scoring.suspension_months")),
        "institution_flag_share": _share(_get(data, "scoring.institution_flag_share")),
        "doc_prefixes": _prefixes(_table(data, "doc_prefixes")),
        "first_year_service_categories": _strings(
            _get(data, "admission.first_year_service_categories"), "admission.first_year_service_categories"
        ),
        "special_outpatient_max_diseases": _int_table(
            _table(data, "admission.special_outpatient_max_diseases"),
            "admission.special_outpatient_max_diseases",
        ),
        "area_thresholds": _areas(_table(data, "area_thresholds")),
        "legal": parse_legal_basis(_table(data, "legal_basis"), data.get("relief", {})),
        "materials": _materials(_table(data, "designation.materials")),
    }
    for f in fields(PolicyProfile):
        if "section" in f.metadata:
            path = f"{f.metadata['section']}.{f.name}"
            kwargs[f.name] = _scalar(_get(data, path), f.metadata["kind"], path)
    if kwargs["tianjin_admission_conditions"]:
        for key in ("distance_rule_m", "records_keep_years", "video_keep_months"):
            if kwargs[key] is None:
                raise DomainError(
                    f"策略配置 features.tianjin_admission_conditions 已开启，须同时设置 admission.{key}",
                    field=f"admission.{key}",
                )
    return PolicyProfile(**kwargs)


_MISSING = object()


def _get(data: Mapping[str, Any], path: str) -> Any:
    """Value at a dotted path, or DomainError naming the missing key."""
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise DomainError(f"策略配置缺少配置项 {path}", field=path)
        node = node[part]
    return node


def _table(data: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    """A sub-table at a dotted path (must be a table)."""
    value = _get(data, path)
    if not isinstance(value, Mapping):
        raise DomainError(f"策略配置项 {path} 应为表（[{path}]）", field=path)
    return value


def _text(data: Mapping[str, Any], path: str) -> str:
    """A non-empty string value."""
    value = _get(data, path)
    if not isinstance(value, str) or not value.strip():
        raise DomainError(f"策略配置项 {path} 应为非空文字", field=path)
    return value.strip()


def _is_int(value: Any) -> TypeGuard[int]:
    """True for TOML integers (bool is an int subclass in Python, so exclude it)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _scalar(value: Any, kind: str, path: str) -> int | bool | date | None:
    """Check one scalar by kind: 'pos', 'opt' (false = none), 'bool' or 'date' (a TOML local date)."""
    if kind == "date":
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise DomainError(f"策略配置项 {path} 应为日期（如 1998-12-14），现为 {value!r}", field=path)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise DomainError(f"策略配置项 {path} 应为 true 或 false", field=path)
        return value
    if kind == "opt" and value is False:
        return None
    if not _is_int(value) or value <= 0:
        hint = "正整数或 false（无此规定）" if kind == "opt" else "正整数"
        raise DomainError(f"策略配置项 {path} 应为{hint}，现为 {value!r}", field=path)
    return value


def _share(value: Any) -> float:
    """A share strictly between 0 and 1."""
    path = "scoring.institution_flag_share"
    if isinstance(value, bool) or not isinstance(value, Decimal | int) or not 0 < value < 1:
        raise DomainError(f"策略配置项 {path} 应为 0 与 1 之间的小数（如 0.10），现为 {value!r}", field=path)
    return float(value)


def _positions(table: Mapping[str, Any]) -> dict[str, str]:
    """Responsibility → position in band; all three responsibilities required."""
    path = "scoring.responsibility_positions"
    out = {}
    for resp in RESPONSIBILITIES:
        value = table.get(resp)
        if value not in POSITIONS:
            raise DomainError(
                f"策略配置项 {path}.{resp} 应为 low、middle 或 high 之一，现为 {value!r}",
                field=f"{path}.{resp}",
            )
        out[resp] = value
    return out


def _months(table: Mapping[str, Any]) -> dict[int, int]:
    """Proposed suspension months for totals 9, 10 and 11, each 1–6 (规程第二十九条)."""
    path = "scoring.suspension_months"
    out: dict[int, int] = {}
    for total in (9, 10, 11):
        value = table.get(str(total))
        if not _is_int(value) or not 1 <= value <= 6:
            raise DomainError(
                f"策略配置项 {path}.{total} 应为 1 至 6 之间的整数（月），现为 {value!r}",
                field=f"{path}.{total}",
            )
        out[total] = value
    return out


def _prefixes(table: Mapping[str, Any]) -> dict[str, str]:
    """Document-number prefixes, one per document type."""
    out: dict[str, str] = {}
    for doc in DOC_PREFIX_KEYS:
        value = table.get(doc)
        if not isinstance(value, str) or not value.strip():
            raise DomainError(
                f"策略配置项 doc_prefixes.{doc} 应为非空文字（文书编号前缀）", field=f"doc_prefixes.{doc}"
            )
        word = value.strip()
        same = next((other for other, w in out.items() if w == word), None)
        if same is not None:  # one series per document type: two types with one word would print the same number
            raise DomainError(
                f"策略配置项 doc_prefixes.{doc} 与 doc_prefixes.{same} 相同（{word}），每类文书应有自己的编号前缀",
                field=f"doc_prefixes.{doc}",
            )
        out[doc] = word
    return out


def _materials(table: Mapping[str, Any]) -> dict[str, str]:
    """The name of each 第八条 item, every item named (in the order of the article)."""
    out = {}
    for code in MATERIALS:
        value = table.get(code)
        if not isinstance(value, str) or not value.strip():
            raise DomainError(
                f"策略配置项 designation.materials.{code} 应为非空文字（申请材料名称）",
                field=f"designation.materials.{code}",
            )
        out[code] = value.strip()
    return out


def _strings(value: Any, path: str) -> tuple[str, ...]:
    """An array of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DomainError(f"策略配置项 {path} 应为文字数组", field=path)
    return tuple(v.strip() for v in value)


def _int_table(table: Mapping[str, Any], path: str) -> dict[str, int]:
    """A table of positive integers."""
    for k, v in table.items():
        if not _is_int(v) or v <= 0:
            raise DomainError(f"策略配置项 {path}.{k} 应为正整数，现为 {v!r}", field=f"{path}.{k}")
    return dict(table)


def _areas(table: Mapping[str, Any]) -> dict[str, AreaThreshold]:
    """Area name → monthly thresholds (points, exact decimals)."""
    out = {}
    for area, row in table.items():
        values = []
        for key in ("drugs_monthly", "services_monthly"):
            path = f"area_thresholds.{area}.{key}"
            v = row.get(key) if isinstance(row, Mapping) else None
            if isinstance(v, bool) or not isinstance(v, Decimal | int) or v <= 0:
                raise DomainError(f"策略配置项 {path} 应为正数（点），现为 {v!r}", field=path)
            values.append(Decimal(v))
        out[area] = AreaThreshold(*values)
    return out


def _catalog(items: Any, extra: list[Any]) -> tuple[ViolationItem, ...]:
    """Validate the catalog; catalog_extra items add to it or replace the item with the same code."""
    if not isinstance(items, list) or not items:
        raise DomainError("策略配置项 catalog 应为非空的记分目录（[[catalog]]）", field="catalog")
    by_code: dict[str, ViolationItem] = {}
    for n, raw in enumerate(items, start=1):
        it = _violation(raw, f"catalog 第{n}项")
        if it.code in by_code:
            raise DomainError(f"策略配置项 catalog 第{n}项的代码 {it.code} 重复", field="catalog")
        by_code[it.code] = it
    for n, raw in enumerate(extra, start=1):
        it = _violation(raw, f"catalog_extra 第{n}项")
        by_code[it.code] = it
    for band in (1, 2, 3, 4):
        if not any(it.band == band for it in by_code.values()):
            raise DomainError(f"策略配置项 catalog 缺少第{band}档的违规行为（每档至少一项“其他”）", field="catalog")
    return tuple(sorted(by_code.values(), key=lambda it: (it.band, it.code)))


def _violation(raw: Any, where: str) -> ViolationItem:
    """One [[catalog]] table → ViolationItem."""
    if not isinstance(raw, Mapping):
        raise DomainError(f"策略配置项 {where} 应为表", field="catalog")
    code, name, band = raw.get("code"), raw.get("name"), raw.get("band")
    if not isinstance(code, str) or not code.strip():
        raise DomainError(f"策略配置项 {where}.code 应为非空文字", field="catalog.code")
    if not isinstance(name, str) or not name.strip():
        raise DomainError(f"策略配置项 {where}.name（{code}）应为非空文字", field="catalog.name")
    if not _is_int(band) or band not in (1, 2, 3, 4):
        raise DomainError(f"策略配置项 {where}.band（{code}）应为 1 至 4 的整数，现为 {band!r}", field="catalog.band")
    keywords = _strings(raw.get("keywords", []), f"{where}.keywords")
    return ViolationItem(code=code.strip(), name=name.strip(), band=band, keywords=keywords)


def resolve_profile(name: str, read_text: Callable[[str], str]) -> PolicyProfile:
    """Parse profile `name`, following `extends` through read_text(name) -> TOML text (I/O stays with the caller)."""
    texts: list[str] = []
    current: str | None = name
    while current:
        if len(texts) >= len(PROFILE_NAMES) + 3 or current in _names_seen(texts):
            raise DomainError(f"策略配置 {name} 的 extends 形成循环或层级过深", field="extends")
        text = read_text(current)
        texts.insert(0, text)
        current = _load(text, 1).get("extends") or None
    return parse_profile(*texts)


def _names_seen(texts: list[str]) -> set[str]:
    """Keys of the texts already read (to detect extends cycles)."""
    return {str(_load(t, 1).get("key", "")) for t in texts}
