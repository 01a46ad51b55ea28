"""Validates roster rows a block at a time, column by column, with a per-file cache of cell value → parsed value."""

from __future__ import annotations

from operator import itemgetter

from yibao_desktop.domain.errors import DomainError

from . import rows as row_rules
from .cells import BLOCK_CHECKS, make_block_parser, parse_text, too_long
from .columns import DUPLICATE_KEYS, columns
from .model import Problem

# Data after this many blank rows in a row is still read and checked, with a warning on its first row: a long gap
# often means leftovers below the roster, and the clerk should know those rows were taken.
BLANK_GAP_WARN = 50


class Bad:
    """A cell that failed to parse, with the Chinese reason."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


class NoClass:
    """Class of no cell value: columns whose non-text cells always need parsing."""


class _Column:
    """One present column: where it is, how its cells parse, and the cache of parsed cells."""

    __slots__ = (
        "key",
        "idx",
        "parse_str",
        "parse_any",
        "cache",
        "bad",
        "header",
        "required",
        "keep",
        "unique",
        "block_ok",
        "block_parse",
        "limit",
    )

    def __init__(self, spec: tuple):
        (
            self.key,
            self.idx,
            self.parse_str,
            self.parse_any,
            cache,
            self.header,
            self.required,
            self.keep,
            self.limit,
        ) = spec
        self.block_ok = BLOCK_CHECKS.get(self.key)
        self.block_parse = make_block_parser(self.key)
        # Plain text columns are parsed block by block only: caching unique free text would just cost memory.
        self.cache: dict | None = cache
        self.bad: set = set()
        self.unique = False  # set once a block shows values that hardly repeat (ID numbers, person codes)

    def cell(self, value):
        """One raw cell → parsed value, None when blank, Bad when refused."""
        if value.__class__ is str:
            value = value.strip()
            if not value:
                return None
            if self.parse_str is None:
                return value
            parse = self.parse_str
        elif value is None:
            return None
        elif value.__class__ is self.keep:
            return value
        else:
            parse = self.parse_any
        try:
            return parse(value)
        except DomainError as exc:
            return Bad(exc.message)

    def block(self, values: tuple) -> tuple[list, bool]:
        """Parsed values of one block of cells (None for blanks, Bad for refused cells), and whether any is Bad."""
        out, suspect = self._parsed(values)
        if self.limit is not None and self._too_long(out):
            suspect = True
        return out, suspect

    def _too_long(self, out: list) -> bool:
        """Mark text longer than the database column holds as Bad (the same count on every engine: characters)."""
        limit = self.limit
        try:
            # a block of text only (the usual clean column): its longest value bounds every text in it
            if max(map(len, out), default=0) <= limit:
                return False
        except TypeError:  # blanks, dates, refused cells: measure the texts alone
            texts = [v for v in out if v.__class__ is str]
            if not texts or max(map(len, texts)) <= limit:
                return False
        for i, v in enumerate(out):
            if v.__class__ is str and len(v) > limit:
                out[i] = Bad(too_long(self.header, v, limit) or "")
        return True

    def _parsed(self, values: tuple) -> tuple[list, bool]:
        """block() before the length check."""
        if self.block_ok is not None and self.block_ok(values):
            return list(values), False
        if self.block_parse is not None:
            parsed = self.block_parse(values)
            if parsed is not None:
                return parsed, False
        cache = self.cache
        if cache is None:
            return [
                (v.strip() or None) if v.__class__ is str else (None if v is None else parse_text(v)) for v in values
            ], False
        # True == 1 as dict keys: Boolean cells would share cache entries with numbers, so parse them apart.
        if self.unique or bool in set(map(type, values)):
            out = list(map(self.cell, values))
            return out, Bad in set(map(type, out))
        cell, bad = self.cell, self.bad
        new = set(values).difference(cache)
        for value in new:
            hit = cache[value] = cell(value)
            if hit.__class__ is Bad:
                bad.add(value)
        out = list(map(cache.__getitem__, values))
        suspect = bool(bad) and not bad.isdisjoint(values)
        if len(new) == len(values) >= 100:
            # a whole block without one repeat (ID numbers, person codes): the cache would only cost memory
            self.unique = True
            cache.clear()
            bad.clear()
        return out, suspect


class BlockValidator:
    """Validates blocks of raw rows, collecting parsed rows, problems and in-file duplicate keys."""

    def __init__(
        self,
        kind: str,
        specs: list[tuple],
        problems: list[Problem],
        formulas: dict[int, dict[int, str]] | None = None,
        merged: list[tuple] | None = None,
        keep_rows_with_errors: bool = True,
    ):
        self.cols = [_Column(s) for s in specs]
        # A roster whose rows with errors are not needed later (they are never imported) keeps only their problems:
        # a sheet of a million bad rows then costs memory for its messages, not for a million row dicts.
        self.keep_bad = keep_rows_with_errors
        self.count = 0  # data rows seen (not blank)
        self.messages: dict[str, str] = {}
        self.error_count = 0
        # Cells that read as blank but are not: formulas without a value (column → {row: message}) and the
        # covered cells of merged ranges ((first row, last row, first column, last column), Excel rows, 0-based
        # columns).
        self.formulas = formulas or {}
        self.merged = [m for m in merged or () if m[1] >= 2]
        self.problems = problems
        self.rows: list[dict] = []
        self.all_keys = [c.key for c in columns(kind)]
        self.keys = (*self.all_keys, "_row")
        self.width = max((c.idx for c in self.cols), default=0) + 1
        self.getter = itemgetter(*(c.idx for c in self.cols), 0)  # column A again: a tuple even for one column
        self.dup_keys = DUPLICATE_KEYS[kind]
        # the key as a tuple even for one column (itemgetter of one key would give the bare value)
        self.dup_key = itemgetter(*self.dup_keys, "_row")
        self.dup_header = "、".join(c.header for c in columns(kind) if c.key in self.dup_keys)
        self.dup_column = next(c.header for c in columns(kind) if c.key == self.dup_keys[0])
        self.seen: dict[tuple, int] = {}
        self.check_row = row_rules.ROW_CHECKS[kind]
        self.blank_run = 0  # blank rows just before the next block

    def take(self, first_row: int, raws: list[list]) -> None:
        """Validate raw rows that sit on Excel rows first_row, first_row + 1, … (blank rows are skipped)."""
        if not raws or not self.cols:
            return
        if min(map(len, raws)) < self.width:
            raws = [r + [None] * (self.width - len(r)) if len(r) < self.width else r for r in raws]
        cells = list(zip(*map(self.getter, raws), strict=True))
        blocks = [col.block(values) for col, values in zip(self.cols, cells, strict=False)]
        parsed = [out for out, _suspect in blocks]
        blank = _blank_rows(parsed)
        hits = self._hidden_cells(first_row, len(raws)) if self.formulas or self.merged else {}
        for found in hits.values():
            blank.difference_update(found)  # a row of formulas or merged cells is not a blank row
        notes = self._cell_problems(first_row, blocks, blank, hits)
        if blank or self.blank_run:
            self._blank_gaps(first_row, len(raws), blank, notes)
        by_key = dict(zip((c.key for c in self.cols), parsed, strict=True))
        nones = [None] * len(raws)
        table = [by_key.get(k, nones) for k in self.all_keys]
        before = len(self.problems)
        self._rows(first_row, table, notes, blank)
        self.count += len(raws) - len(blank)
        self.error_count += sum(p.severity == "error" for p in self.problems[before:])

    def take_hidden_after(self, end_row: int, max_errors: int | None = None) -> int | None:
        """Check the rows after `end_row` (where calamine's sheet ends) that hold formulas without a value or
        merged cells: they read as nothing at all, so they would otherwise be lost unseen. Returns the last row
        checked when more than `max_errors` errors stopped the check, else None."""
        rows = {r for marks in self.formulas.values() for r in marks if r > end_row}
        rows |= {r for top, bottom, _l, _r in self.merged for r in range(max(top, end_row + 1), bottom + 1)}
        blank = [None] * self.width
        run: list[int] = []
        for r in sorted(rows):  # consecutive rows a block at a time: a merged column may reach row 1,048,576
            if run and (r != run[-1] + 1 or len(run) == 1000):
                self.take(run[0], [blank] * len(run))
                if max_errors is not None and self.error_count > max_errors:
                    return run[-1]
                run = []
            run.append(r)
        if run:
            self.take(run[0], [blank] * len(run))
        return None

    def _hidden_cells(self, first_row: int, count: int) -> dict[int, dict[int, str]]:
        """Position in self.cols → {row offset: message} for this block's formulas without value and merged cells."""
        last = first_row + count - 1
        hits: dict[int, dict[int, str]] = {}
        for pos, col in enumerate(self.cols):
            marks = self.formulas.get(col.idx)
            if marks:
                found = {r - first_row: marks[r] for r in range(first_row, last + 1) if r in marks}
                if found:
                    hits[pos] = found
            for top, bottom, left, right in self.merged:
                if left <= col.idx <= right and top <= last and bottom >= first_row:
                    message = (
                        f"合并单元格（{cell_ref(top, left)}:{cell_ref(bottom, right)}）：只有第一格 "
                        f"{cell_ref(top, left)} 有值，其余格读作空白；请取消合并，在每一行分别填写"
                    )
                    for r in range(max(top, first_row), min(bottom, last) + 1):
                        if (r, col.idx) != (top, left):
                            hits.setdefault(pos, {})[r - first_row] = message
        return hits

    def _cell_problems(self, first_row: int, blocks: list, blank: set[int], hits: dict) -> dict[int, list]:
        """Row offset → its cell problems in column order; refused cells become None in the parsed blocks."""
        notes: dict[int, list] = {}
        for pos, (col, (out, suspect)) in enumerate(zip(self.cols, blocks, strict=True)):
            hidden = hits.get(pos)
            if not suspect and not hidden and not (col.required and None in out):
                continue
            for i, v in enumerate(out):
                if v is None:
                    if hidden and i in hidden:
                        notes.setdefault(i, []).append(Problem(first_row + i, col.header, hidden[i]))
                    elif col.required and i not in blank:
                        notes.setdefault(i, []).append(Problem(first_row + i, col.header, f"“{col.header}”不能为空"))
                elif v.__class__ is Bad:
                    # one string per distinct message: a million bad rows often share a handful of messages
                    message = self.messages.setdefault(v.message, v.message)
                    notes.setdefault(i, []).append(Problem(first_row + i, col.header, message))
                    out[i] = None
        return notes

    def _blank_gaps(self, first_row: int, count: int, blank: set[int], notes: dict[int, list]) -> None:
        """Warn on the first row after a long run of blank rows (the run may begin in an earlier block)."""
        run = self.blank_run
        for i in range(count):
            if i in blank:
                run += 1
                continue
            if run >= BLANK_GAP_WARN:
                n = first_row + i
                notes.setdefault(i, []).append(
                    Problem(
                        n,
                        "",
                        f"本行之前有 {run} 行空行（第 {n - run}–{n - 1} 行），空行之后的数据也已读取并检查；"
                        "请确认本行确属名册",
                        "warning",
                    )
                )
            run = 0
        self.blank_run = run

    def _rows(self, first_row: int, table: list, notes: dict[int, list], blank: set[int]) -> None:
        """Build each row's dict and run the row checks and the duplicate check, in row order.

        The duplicate check is written out here (it runs for every row): the later of two rows with the same key
        is an error naming the earlier one; a key with a blank part is never a duplicate."""
        keys, problems, check_row, rows = self.keys, self.problems, self.check_row, self.rows
        dup_key, seen, keep_bad = self.dup_key, self.seen, self.keep_bad
        numbers = range(first_row, first_row + len(table[0]))
        for i, values in enumerate(zip(*table, numbers, strict=True)):
            if i in blank:
                continue
            rec = dict(zip(keys, values, strict=True))
            found = notes.get(i)
            before = len(problems)
            if found:
                problems.extend(found)
            check_row(rec, problems)
            *key, n = dup_key(rec)  # the key's parts, then the row (after check_row: the ID number unwrapped)
            if None not in key:
                first = seen.setdefault(tuple(key), n)
                if first != n:
                    problems.append(Problem(n, self.dup_column, f"与第 {first} 行重复（{self.dup_header}相同）"))
            if keep_bad or len(problems) == before or not _has_error(problems, before):
                rows.append(rec)


def _has_error(problems: list[Problem], since: int) -> bool:
    """True when a problem from index `since` on is an error."""
    return any(p.severity == "error" for p in problems[since:])


def cell_ref(row: int, col: int) -> str:
    """Excel row and 0-based column → 'A2'."""
    letters, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _blank_rows(parsed: list[list]) -> set[int]:
    """Offsets of rows whose every present cell is blank (refused cells are not blank)."""
    candidates = [i for i, v in enumerate(parsed[0]) if v is None]
    for out in parsed[1:]:
        if not candidates:
            break
        candidates = [i for i in candidates if out[i] is None]
    return set(candidates)
