"""HTML of the 一医一档 pane (read-only, from a DossierRow)."""

from __future__ import annotations

import re
from datetime import date
from html import escape

from yibao_desktop.services.rows import DossierRow

NBSP = "\u00a0"
_DATEISH = re.compile(r"[\d\-〔〕号年月日 至.]+|[A-Z]{1,2}\d{6,}")


def _cell(value: object) -> str:
    """One value of a record; dates, periods, numbers and codes never break inside (the pane is ~330 px)."""
    text = "" if value is None else str(value)
    if isinstance(value, date) or _DATEISH.fullmatch(text) or "〔" in text:
        return f"<span style='white-space:nowrap'>{escape(text)}</span>"
    return escape(text)


def _table(headers: list[str], rows: list[list[object]]) -> str:
    """Records as short paragraphs, 'label value' pairs that wrap between pairs, never inside a date: a table of
    six or seven columns cannot fit the narrow pane, and Qt then breaks even unbreakable cells one character a
    line."""
    if not rows:
        return "<p style='color:#777'>无</p>"
    out = []
    for r in rows:
        # the two values that name the record (date and number, institution and code) head it without labels,
        # short enough for one line of the narrow pane; the rest follow as 'label value' pairs
        head = "　".join(f"<b>{_cell(v)}</b>" for v in r[:2] if v not in (None, ""))
        rest = "　".join(
            f"<span style='color:#667'>{escape(h)}</span> {_cell(v)}"
            for h, v in zip(headers[2:], r[2:], strict=True)
            if v not in (None, "")
        )
        out.append(f"<p style='margin:0 0 4px 0'>{head}" + (f"<br>{rest}" if rest else "") + "</p>")
    return "".join(out)


def dossier_html(d: DossierRow, today: date) -> str:
    """The whole file of one person across institutions and years."""
    status = d.status_label
    if d.status_end:
        status += f"（{d.status_start} 至 {d.status_end}）"
    if d.ban_end:
        status += f"，再次登记备案限制至 {d.ban_end}"
    totals = "，".join(f"{y}年 {t}分" for y, t in sorted(d.yearly_totals.items(), reverse=True)) or "无记分"
    birthplace = escape(d.birthplace).replace(" ", NBSP)  # "445222 揭西县" stays on one line
    parts = [
        f"<h3>{escape(d.name)} <small>{escape(d.id_number)}</small></h3>",
        f"<p>性别：{d.sex}　出生日期：{d.birth_date}　出生地：{birthplace}　电话：{escape(d.phone)}<br>"
        f"资格状态：<b>{escape(status)}</b><br>年度累计记分：<b>{escape(totals)}</b>（{today.year}年）</p>",
        "<h4>登记备案</h4>",
        _table(
            ["机构", "人员代码", "状态", "承诺书", "登记日期", "注销日期"],
            [
                [
                    r.institution_name,
                    r.person_code,
                    r.status_label,
                    "已签" if r.commitment else "未签",
                    r.registered_on,
                    r.cancelled_on,
                ]
                for r in d.registrations
            ],
        ),
        "<h4>记分记录</h4>",
        _table(
            ["决定日期", "文书号", "违规行为", "记分", "计入", "累计", "状态"],
            [
                [
                    s.decision_date,
                    s.decision_no,
                    s.violation_name,
                    s.points,
                    s.counted,
                    s.total_after,
                    "有效" if s.state == "active" else "已作废",
                ]
                for s in d.scores
            ],
        ),
        "<h4>处理与通知书</h4>",
        _table(
            ["决定日期", "处理", "文号", "状态", "起止"],
            [
                [
                    x.decision_date,
                    x.kind_label + (f"{x.months}个月" if x.months else "") + (f"{x.years}年" if x.years else ""),
                    x.doc_no or "（未签发）",
                    x.state_label,
                    f"{x.effective} 至 {x.period_end}" if x.effective else "",
                ]
                for x in d.dispositions
            ],
        ),
        "<h4>暂停/终止期</h4>",
        _table(
            ["类型", "起", "止", "实际结束", "结束依据", "限制登记至", "文号", "来源"],
            [
                [
                    ("暂停" if p.status == "suspended" else "终止") + ("（已作废）" if p.voided else ""),
                    p.start,
                    p.end,
                    p.ended_on or "",
                    p.ended_by,
                    p.ban_end,
                    p.doc_no,
                    p.source_label,
                ]
                for p in d.periods
            ],
        ),
        "<h4>申诉</h4>",
        _table(
            ["文号", "受理日期", "环节", "结果"],
            [[a.doc_no, a.received_on, a.state_label, a.outcome] for a in d.appeals],
        ),
        "<h4>表彰</h4>",
        _table(["年度", "称号"], [[y, t] for y, t in d.commendations]),
    ]
    return "".join(parts)
