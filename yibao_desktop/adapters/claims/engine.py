"""The claims engine: DuckDB scans the file once (totals, and the lines not plainly in order) and never stores it;
a second, one-column pass numbers the problem rows only.

The SQL only narrows millions of lines down to the few that need a look (a superset of the findings); the rule
itself stays in `domain/settlement.classify_claim`, which the service applies to every candidate.
Chosen on evidence (benchmarks/bench_settlement.py): on 5,000,000 lines DuckDB found the lines in suspension periods
in ~0.5 s, pyarrow (read + join) ~1.9 s at ~600 MiB, plain Python csv ~3 s for that one join alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from yibao_desktop.domain.errors import Cancelled, DomainError
from yibao_desktop.domain.settlement import EMERGENCY_FALSE, EMERGENCY_TRUE

MEMORY_LIMIT = "600MB"
SAMPLE = 20_000
MAX_SHARE = 0.5  # of the first lines not in order: beyond this the mapping or the formats are most likely wrong
OPEN_END = date(9999, 12, 31)  # a running span, so the joins need no "IS NULL OR"
FIELDS = ("claim_id", "institution_code", "person_code", "id_number", "service_date", "fund_amount", "emergency")


@dataclass
class Reference:
    """What the database knows, as the days on which a line is plainly in order: per key (the person's ID number
    and each person code, upper-case) and institution, the stretches in which the person was registered there with
    a commitment and outside every suspension or termination. Stretches never overlap for one key and institution,
    so each line joins at most one; an end None means still running."""

    clean: list[tuple[str, str, date, date | None]]


@dataclass
class Candidate:
    """A line the service must look at (a problem row or a possible finding): the raw text of each mapped field,
    the date and amount as the scan parsed them (None when it could not), and the record number (0 until asked).

    Lines with the same 结算流水号 take that ID's record numbers in file order."""

    values: dict[str, str | None]
    service_date: date | None
    fund_fen: int | None
    inside: bool  # counted among the lines of the chosen period
    row: int = 0


@dataclass
class EngineResult:
    """Counts over the whole file and the candidates of the chosen window."""

    lines: int = 0
    fund_fen: int = 0
    first_day: date | None = None
    last_day: date | None = None
    in_window: int = 0
    window_fund_fen: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # row, kind, raw text


def _connect(threads: int):
    import tempfile

    import duckdb

    spill = Path(tempfile.gettempdir()) / "yibao-duckdb"
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": threads, "temp_directory": str(spill)})
    # DuckDB cannot estimate a CSV it has not sniffed and would build its hash tables on the file's side; the query
    # is written with the small reference tables on the right of every join, so keep that order.
    con.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def _register(con, ref: Reference) -> None:
    """The reference list as a DuckDB table (through Arrow: 100,000 stretches cost milliseconds)."""
    import pyarrow as pa

    cols = list(zip(*[(k, i, f, t or OPEN_END) for k, i, f, t in ref.clean], strict=True)) if ref.clean else [[]] * 4
    con.register(
        "clean",
        pa.table(
            {
                "k": pa.array(cols[0], pa.string()),
                "inst": pa.array(cols[1], pa.string()),
                "f": pa.array(cols[2], pa.date32()),
                "t": pa.array(cols[3], pa.date32()),
            }
        ),
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_sql(path: Path, delimiter: str, width: int) -> str:
    """DuckDB's CSV reader over the file: every column text, malformed records set aside in reject_errors."""
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    return (
        f"read_csv({_quote(str(path))}, header = true, delim = {_quote(delimiter)}, quote = '\"', "
        f"escape = '\"', columns = {cols}, auto_detect = false, ignore_errors = true, store_rejects = true)"
    )


DATE_FORMATS = {  # how a file writes its dates → the DuckDB expression; one format per file, chosen on a sample
    "iso": "TRY_CAST({c} AS DATE)",
    "slash": "TRY_STRPTIME({c}, '%Y/%m/%d')::DATE",
    "digits": "TRY_STRPTIME({c}, '%Y%m%d')::DATE",
    "timestamp": "TRY_CAST({c} AS TIMESTAMP)::DATE",
}


def _date_format(con, read: str, column: int) -> str:
    """The format that parses most of the first 2,000 dates (ISO when none does: the lines become problems)."""
    exprs = ", ".join(f"count({e.format(c=f'c{column}')})" for e in DATE_FORMATS.values())
    counts = con.execute(f"SELECT {exprs} FROM (SELECT c{column} FROM {read} LIMIT 2000)").fetchone()
    best = max(range(len(counts)), key=lambda i: counts[i])
    return list(DATE_FORMATS)[best] if counts[best] else "iso"


def _source_sql(read: str, mapping: dict[str, int], date_format: str) -> str:
    """The file's mapped columns as they are (no per-line string functions: a value that needs trimming or
    upper-casing simply fails to match and becomes a candidate the service judges) and the parsed date."""
    picked = [f"c{mapping[f]} AS {f}" if f in mapping else f"NULL::VARCHAR AS {f}" for f in FIELDS]
    sd = DATE_FORMATS[date_format].format(c="service_date")
    return f"raw AS (SELECT {', '.join(picked)} FROM {read}), v AS (SELECT *, {sd} AS sd FROM raw)"


_FEN = "TRY_CAST(TRY_CAST(fund_amount AS DECIMAL(18, 2)) * 100 AS BIGINT)"
_NOT_BLANK = "coalesce(claim_id, institution_code, person_code, id_number, service_date, fund_amount) IS NOT NULL"


def _bad(max_lengths: dict[str, int]) -> str:
    """A line the scan cannot read: no ID, a date or amount that does not parse, an unknown emergency flag, or a
    cell longer than `max_lengths` (field → characters) allows, which the service then names like the roster import
    does (DuckDB's length() counts characters too)."""
    flags = ", ".join(map(_quote, EMERGENCY_TRUE + EMERGENCY_FALSE))
    longer = "".join(f" OR length({f}) > {int(n)}" for f, n in sorted(max_lengths.items()) if f in FIELDS)
    return f"(claim_id IS NULL OR sd IS NULL OR {_FEN} IS NULL OR coalesce(emergency, '') NOT IN ({flags}){longer})"


def _window(start: date | None, end: date | None) -> str:
    parts = ["sd IS NOT NULL"]
    if start:
        parts.append(f"sd >= DATE '{start.isoformat()}'")
    if end:
        parts.append(f"sd <= DATE '{end.isoformat()}'")
    return " AND ".join(parts)


def _implausible(today: date, floor: date) -> str:
    return f"(sd > DATE '{today.isoformat()}' OR sd < DATE '{floor.isoformat()}')"


def _scan_sql(
    src: str, window: str, implausible: str, sample: int | None = None, max_lengths: dict[str, int] | None = None
) -> str:
    """One scan: the counts over the whole file (a blank record counts nowhere) and, as one list, every line that
    is not plainly in order — a value the scan cannot read, or a line of the window that finds no clean stretch
    of its key (ID number, else person code) at its institution, or one dated implausibly."""
    cand = f"{_bad(max_lengths or {})} OR (({window}) AND (c.k IS NULL OR {implausible}))"
    head = f" LIMIT {sample}" if sample else ""
    return f"""WITH {src}, w AS (SELECT v.*, coalesce(id_number, person_code) AS k FROM v WHERE {_NOT_BLANK}{head})
      SELECT count(*), coalesce(sum({_FEN}), 0), min(sd), max(sd), count(*) FILTER (WHERE {window}),
             coalesce(sum({_FEN}) FILTER (WHERE {window}), 0),
             list(struct_pack({", ".join(FIELDS)}, sd, fen := {_FEN}, inside := ({window}))) FILTER (WHERE {cand})
      FROM w LEFT JOIN clean c ON c.k = w.k AND c.inst = w.institution_code AND c.f <= w.sd AND w.sd <= c.t"""


def _sample_share(con, src: str, window: str, implausible: str) -> float:
    """Share of candidates among the first 20,000 lines (0 for a short file): a wrong mapping makes nearly every
    line one, and millions of candidates would not fit the memory the check may use."""
    lines, *_rest, cands = con.execute(_scan_sql(src, window, implausible, sample=SAMPLE)).fetchone()
    return len(cands or []) / lines if lines >= SAMPLE else 0.0


def _numbers_sql(read: str, claim_column: int) -> str:
    """The serial pass that numbers records, kept to one column and a semi-join with the candidates' IDs."""
    return f"""SELECT rn, raw_id FROM (SELECT row_number() OVER () AS rn, coalesce(c{claim_column}, '') AS raw_id
                                     FROM {read}) WHERE raw_id IN (SELECT raw_id FROM wanted) ORDER BY rn"""


def _run(con, sql: str, progress: Callable[[float], None], cancelled: Callable[[], bool]) -> list[tuple]:
    """Execute in a worker thread, polling DuckDB's progress; cancel interrupts the query."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["rows"] = con.execute(sql).fetchall()
        except Exception as err:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = err

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
        if cancelled():
            con.interrupt()
            thread.join()
            raise Cancelled()
        done = con.query_progress()
        if done is not None and done >= 0:
            progress(min(done, 100.0) / 100.0)
    if cancelled():
        raise Cancelled()
    if "error" in box:
        raise _refusal(box["error"]) from None
    return box["rows"]  # type: ignore[return-value]


def _refusal(err: object) -> DomainError:
    """A DuckDB failure on the file (invalid UTF-8, unreadable) as a Chinese refusal; the detail goes to the log."""
    import logging

    logging.getLogger(__name__).warning("claims engine: %s", err)
    text = str(err)
    if "unicode" in text.lower() or "utf-8" in text.lower():
        return DomainError("文件中含有不是 UTF-8 的字符，请确认文件编码（UTF-8 或 GBK/GB18030）后重试。")
    return DomainError("结算明细文件无法读取，请确认文件为逗号或制表符分隔的文本，第1行为表头。")


def _row_numbers(rejected_lines: Sequence[int]) -> Callable[[int], int]:
    """Record number (header = 1) of the rn-th accepted record, counting the rejected records before it."""
    bad = sorted(rejected_lines)

    def number(rn: int) -> int:
        row = rn + 1
        for line in bad:
            if line <= row:
                row += 1
        return row

    return number


def check_file(
    path: Path,
    delimiter: str,
    width: int,
    mapping: dict[str, int],
    ref: Reference,
    *,
    today: date,
    floor: date,
    start: date | None = None,
    end: date | None = None,
    progress: Callable[[float], None] = lambda _f: None,
    cancelled: Callable[[], bool] = lambda: False,
    wants_row: Callable[[Candidate], bool] = lambda _c: True,
    threads: int = 2,
    max_lengths: dict[str, int] | None = None,
) -> EngineResult:
    """Scan the file (mapping: field → column index): totals, candidate lines, rejected records; the record numbers
    of the candidates `wants_row` picks (the problem rows) come from one more, one-column pass. A line with a cell
    longer than `max_lengths` (field → characters) is always a candidate."""
    con = _connect(threads)
    try:
        _register(con, ref)
        read = _read_sql(path, delimiter, width)
        src = _source_sql(read, mapping, _date_format(con, read, mapping["service_date"]))
        window, implausible = _window(start, end), _implausible(today, floor)
        if _sample_share(con, src, window, implausible) > MAX_SHARE:
            raise DomainError(
                f"文件开头的结算明细中超过 {MAX_SHARE:.0%} 与登记备案不符或无法读取，请先确认各列的对应关系"
                "和日期、金额格式是否正确。"
            )
        result = EngineResult()
        ((lines, fen, first, last, inside, inside_fen, cands),) = _run(
            con, _scan_sql(src, window, implausible, max_lengths=max_lengths), lambda f: progress(f * 0.9), cancelled
        )
        result.lines, result.fund_fen, result.first_day, result.last_day = lines, int(fen), first, last
        result.in_window, result.window_fund_fen = inside, int(inside_fen)
        rejects = con.execute("SELECT DISTINCT line, error_type, csv_line FROM reject_errors ORDER BY line").fetchall()
        result.rejected = [(int(line), kind, text) for line, kind, text in rejects]
        # the struct's dict is the values dict (its extra keys sd, fen, inside are never looked up as fields)
        result.candidates = [Candidate(c, c["sd"], c["fen"], bool(c["inside"])) for c in cands or []]
        _number(
            con,
            read,
            mapping["claim_id"],
            [c for c in result.candidates if wants_row(c)],
            [r[0] for r in rejects],
            progress,
            cancelled,
        )
        progress(1.0)
        return result
    finally:
        con.close()


def _number(
    con, read: str, claim_column: int, wanted: list[Candidate], rejected_lines: list[int], progress, cancelled
) -> None:
    """Give the wanted candidates their record numbers (header = 1), matching them by their raw 结算流水号."""
    import pyarrow as pa

    if not wanted:
        return
    con.register("wanted", pa.table({"raw_id": list({c.values["claim_id"] or "" for c in wanted})}))
    to_row = _row_numbers(rejected_lines)
    numbers: dict[str, list[int]] = {}
    for rn, raw in _run(con, _numbers_sql(read, claim_column), lambda f: progress(0.9 + f * 0.1), cancelled):
        numbers.setdefault(raw, []).append(to_row(rn))
    used: dict[str, int] = {}
    for c in wanted:
        raw = c.values["claim_id"] or ""
        at, i = numbers.get(raw, []), used.get(raw, 0)
        used[raw] = i + 1
        c.row = at[i] if i < len(at) else 0
