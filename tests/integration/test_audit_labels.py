"""The 操作日志 reads in Chinese: every stored table and column has a Chinese name, codes show their Chinese label."""

from __future__ import annotations

import re

from yibao_desktop.adapters.db.base import Base
from yibao_desktop.services.audit_labels import FIELD_LABELS, TABLE_LABELS, change_text


def test_every_column_of_every_table_has_a_chinese_name():
    import yibao_desktop.adapters.db.models  # noqa: F401  (registers every table)

    missing = sorted(
        {c.name for t in Base.metadata.tables.values() for c in t.columns} - set(FIELD_LABELS) - {"id", "version"}
    )
    assert not missing, f"columns without a Chinese name in services/audit_labels.py: {missing}"
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in FIELD_LABELS.values())


def test_score_entry_fields_read_in_chinese():
    lines = [
        change_text("score_entries", 54, f, None, v)
        for f, v in (("decision_kind", "penalty"), ("band", 4), ("responsibility", "general"), ("circumstance", "none"))
    ]
    assert lines[0] == "记分#54 决定类型：行政处罚"
    assert "记分档次：4" in lines[1] and "责任：一般" in lines[2] and not re.search(r"[a-z]", "".join(lines))
    assert "score_entries" in TABLE_LABELS
