"""Legal basis and relief wording of institution notices, as a policy profile sets them ([legal_basis], [relief]).

Each notice and each ground it rests on cites a document of the profile (the provincial or national 办法, the
14号 notice) and, where the profile knows it, the article; the relief sentence of a notice that decides something
names 协商, 行政复议 and 行政诉讼 with the time limits of the profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import DomainError

_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零]+条)(.*)$")


@dataclass(frozen=True)
class LegalBasis:
    """Documents (key → full title with number) and the citation (document key, article) of each notice/ground."""

    documents: dict[str, str] = field(default_factory=dict)
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)
    default_document: str = "rules"
    review_days: int = 60  # 《中华人民共和国行政复议法》第二十条：知道行政行为之日起六十日内
    litigation_months: int = 6  # 《中华人民共和国行政诉讼法》第四十六条：知道作出行政行为之日起六个月内

    def citation(self, keys: Iterable[str]) -> str:
        """“《title》第九条第（一）项、第（七）项” for the notice/ground keys (unknown keys cite the default
        document without article); several documents are joined with “和”."""
        order: dict[str, list[str]] = {}
        for key in keys:
            doc, article = self.citations.get(key, (self.default_document, ""))
            articles = order.setdefault(doc, [])
            if article and article not in articles:
                articles.append(article)
        if not order:
            order[self.default_document] = []
        return "和".join(self.documents[doc] + _join_articles(arts) for doc, arts in order.items())

    def relief(self, admin_department: str) -> str:
        """The relief sentence of a notice that decides (协商、协调处理、行政复议、行政诉讼 with time limits)."""
        where = f"提请{admin_department}协调处理" if admin_department else "提请医疗保障行政部门协调处理"
        return (
            f"你单位如对本通知有异议，可与本机构协商解决，或{where}；也可以自收到本通知之日起"
            f"{self.review_days}日内依法申请行政复议，或者{self.litigation_months}个月内依法向人民法院提起行政诉讼。"
        )


def _join_articles(articles: list[str]) -> str:
    """第九条第（一）项、第九条第（七）项 → 第九条第（一）项、第（七）项 (the article is not repeated)."""
    # a bare article (第九条) gives way to its items (第九条第（一）项) when those are cited
    articles = [a for a in articles if not any(b != a and b.startswith(a) for b in articles)]
    out: list[str] = []
    last = ""
    for art in articles:
        m = _ARTICLE.match(art)
        if m and m.group(1) == last and m.group(2):
            out.append(m.group(2))
        else:
            out.append(art)
        last = m.group(1) if m else ""
    return "、".join(out)


def parse_legal_basis(basis: Mapping[str, Any], relief: Mapping[str, Any]) -> LegalBasis:
    """[legal_basis] (documents + citations) and [relief] of a profile → LegalBasis; DomainError naming the key."""
    docs = basis.get("documents", {})
    if not isinstance(docs, Mapping) or not all(isinstance(v, str) and v.startswith("《") for v in docs.values()):
        raise DomainError("策略配置项 legal_basis.documents 应为“键 = 《文件标题》”", field="legal_basis.documents")
    default = str(basis.get("default", "rules"))
    if default not in docs:
        raise DomainError(f"策略配置项 legal_basis.default 指向不存在的文件“{default}”", field="legal_basis.default")
    cites: dict[str, tuple[str, str]] = {}
    for key, value in _flat(basis.get("citations", {})).items():
        if not (isinstance(value, list) and len(value) == 2 and value[0] in docs and isinstance(value[1], str)):
            raise DomainError(f"策略配置项 legal_basis.citations.{key} 应为 [文件键, 条款]", field=key)
        cites[key] = (value[0], value[1])
    days, months = relief.get("review_days", 60), relief.get("litigation_months", 6)
    if not (isinstance(days, int) and isinstance(months, int) and days > 0 and months > 0):
        raise DomainError("策略配置项 relief.review_days / relief.litigation_months 应为正整数", field="relief")
    return LegalBasis(dict(docs), cites, default, days, months)


def _flat(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"refusal": {"non_basic_business": [...]}} → {"refusal.non_basic_business": [...]}."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out |= _flat(value, name + ".")
        else:
            out[name] = value
    return out
