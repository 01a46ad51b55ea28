"""A settlement-detail file where it lies: kind, encoding, delimiter, headers, SHA-256, and a UTF-8 CSV for DuckDB.

UTF-8 CSV/TSV (with or without BOM) is read by DuckDB in place; GBK/GB18030 text and .xlsx are streamed once into a
temporary UTF-8 CSV (deleted after the check). Claim lines are never loaded into the database.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from yibao_desktop.domain.errors import Cancelled, DomainError

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
CHUNK = 4 << 20
_SNIFF = 1 << 20
SAVE_AS = "请从结算系统导出为 CSV、制表符分隔的 .txt/.tsv 或 .xlsx 后再核查。"


class ClaimsFileRefused(DomainError):
    """The file cannot be checked at all (wrong kind, unreadable, no header)."""


@dataclass(frozen=True)
class ClaimSource:
    """What the check needs to know about the file before reading its lines."""

    path: Path
    kind: str  # "text" or "xlsx"
    encoding: str  # "utf-8", "utf-8-sig", "gb18030"; "" for .xlsx
    delimiter: str
    headers: list[str]

    @property
    def name(self) -> str:
        """The file name shown and stored with the run."""
        return self.path.name

    @property
    def size(self) -> int:
        """Bytes on disk."""
        return self.path.stat().st_size


def inspect(path: Path) -> ClaimSource:
    """Kind, encoding, delimiter and header row of a claims file; ClaimsFileRefused in Chinese when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise ClaimsFileRefused(f"找不到文件“{path.name}”。")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return ClaimSource(path, "xlsx", "", ",", _xlsx_headers(path))
    if suffix in (".xls", ".xlsb", ".et"):
        raise ClaimsFileRefused(f"不支持 {suffix} 文件。{SAVE_AS}")
    if suffix not in TEXT_SUFFIXES:
        raise ClaimsFileRefused(f"无法识别文件类型“{suffix or '无扩展名'}”。{SAVE_AS}")
    with path.open("rb") as f:
        head = f.read(_SNIFF)
    if head.startswith(b"PK\x03\x04"):
        raise ClaimsFileRefused(f"“{path.name}”实际是 Excel 工作簿，请把扩展名改为 .xlsx。")
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="ignore")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        raise ClaimsFileRefused("文件第1行是空的：第1行应为表头。")
    delimiter = "\t" if ("\t" in first or suffix == ".tsv") else ","
    headers = next(csv.reader([first], delimiter=delimiter))
    return ClaimSource(path, "text", encoding, delimiter, [h.strip() for h in headers])


def detect_encoding(head: bytes) -> str:
    """utf-8-sig with a BOM; utf-8 when the sample decodes as UTF-8; otherwise GB18030 (a superset of GBK)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise ClaimsFileRefused("文件编码无法识别（应为 UTF-8 或 GBK/GB18030）。") from None


def sha256(path: Path, cancelled: Callable[[], bool] = lambda: False) -> str:
    """SHA-256 of the file, read in chunks (hashlib releases the GIL, so this runs beside the check)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while block := f.read(CHUNK):
            if cancelled():
                raise Cancelled()
            digest.update(block)
    return digest.hexdigest()


def duckdb_input(source: ClaimSource, workdir: Path, progress, cancelled) -> Path:
    """A UTF-8 CSV DuckDB can read: the file itself, or a transcoded copy in `workdir` (progress 0…1000)."""
    if source.kind == "text" and source.encoding in ("utf-8", "utf-8-sig"):
        return source.path
    out = workdir / "claims-utf8.csv"
    if source.kind == "xlsx":
        _xlsx_to_csv(source.path, out, progress, cancelled)
    else:
        _transcode(source, out, progress, cancelled)
    return out


def _transcode(source: ClaimSource, out: Path, progress, cancelled) -> None:
    """GB18030 → UTF-8 in 4 MiB chunks; a byte sequence that is not GB18030 refuses the file."""
    decoder = codecs.getincrementaldecoder(source.encoding)()
    total, done = max(source.size, 1), 0
    with source.path.open("rb") as f, out.open("w", encoding="utf-8", newline="") as w:
        while block := f.read(CHUNK):
            if cancelled():
                raise Cancelled()
            try:
                w.write(decoder.decode(block))
            except UnicodeDecodeError:
                raise ClaimsFileRefused(f"文件在第{done + 1}字节附近含有无法识别的字符（应为 GBK/GB18030）。") from None
            done += len(block)
            progress(done * 1000 // total, 1000)
        w.write(decoder.decode(b"", final=True))


def _open_sheet(path: Path):
    """The first visible worksheet of an .xlsx, through calamine (safety-checked first)."""
    from yibao_desktop.adapters.excel.reader import open_first_sheet

    try:
        return open_first_sheet(path.read_bytes())
    except DomainError as err:
        raise ClaimsFileRefused(err.message) from None


def _xlsx_headers(path: Path) -> list[str]:
    """Row 1 of the first sheet as text."""
    from yibao_desktop.adapters.excel.reader import sheet_rows

    for row in sheet_rows(_open_sheet(path)):
        return [_cell_text(v).strip() for v in row]
    raise ClaimsFileRefused("工作表是空的：第1行应为表头。")


def _cell_text(value: object) -> str:
    """A calamine cell as the text a CSV export would hold (dates ISO, whole numbers without '.0')."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _xlsx_to_csv(path: Path, out: Path, progress, cancelled) -> None:
    """Stream the sheet's rows into a CSV with the same row order (row n of the sheet = record n)."""
    from yibao_desktop.adapters.excel.reader import sheet_rows

    sheet = _open_sheet(path)
    total = max(sheet.total_height or sheet.height or 1, 1)
    with out.open("w", encoding="utf-8", newline="") as w:
        writer = csv.writer(w)
        for n, row in enumerate(sheet_rows(sheet)):  # padded: a sheet that starts at B3 keeps its columns
            if n % 20000 == 0:
                if cancelled():
                    raise Cancelled()
                progress(min(n * 1000 // total, 1000), 1000)
            writer.writerow([_cell_text(v) for v in row])
