"""The tamper-evident chain of the audit log: each entry stores the SHA-256 of the previous entry and of itself.

An edited, deleted or inserted row changes a hash that a later entry (or the stored head) depends on, so
`first_break` finds the first entry that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    """The hashed content of one audit entry."""

    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    detail: str
    changes: str
    prev_hash: str
    hash: str = ""


def entry_hash(e: ChainEntry) -> str:
    """SHA-256 (hex) over the previous hash and every field of the entry."""
    at = e.at.replace(microsecond=0).isoformat(sep=" ") if e.at else ""
    body = json.dumps(
        [e.prev_hash, e.id, at, e.username, e.action, e.entity, e.entity_id, e.detail, e.changes],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """Where and why the chain no longer holds."""

    entry_id: int | None
    reason: str


def first_break(entries: Iterable[ChainEntry], head: tuple[int, str] | None = None) -> ChainBreak | None:
    """The first entry (in id order) whose hashes do not fit, or None when the chain is intact.

    `head` is the (id, hash) recorded with the last write; a missing tail or an appended row is caught by it.
    """
    prev, last = GENESIS, None
    for e in entries:
        if e.prev_hash != prev:
            return ChainBreak(e.id, "与前一条记录不衔接（前一条被删除、插入或修改）")
        if entry_hash(e) != e.hash:
            return ChainBreak(e.id, "记录内容与其校验值不符（记录被修改）")
        prev, last = e.hash, e
    if head is not None:
        if last is None or (last.id, last.hash) != tuple(head):
            return ChainBreak(
                last.id if last else None, f"日志末尾与记录的最后一条（第{head[0]}条）不符（末尾记录被删除或追加）"
            )
    return None
