"""Checks an uploaded .xlsx before any parser sees it: format, size, zip bombs, XML entity attacks."""

from __future__ import annotations

import io
import re
import zipfile

from .errors import FileRefused

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024
# Real sheet XML compresses 5–50×; deflate tops out near 1030×, so anything far above 200× is a bomb.
MAX_RATIO = 200
RATIO_APPLIES_ABOVE = 1024 * 1024
XML_HEAD_BYTES = 64 * 1024

SAVE_AS_XLSX = "请用 Excel 或 WPS 打开后“另存为” .xlsx 格式，再导入"

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Comments and processing instructions (even unterminated ones) may hide a fake start tag.
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|\Z)", re.S)
_START_TAG = re.compile(rb"<[A-Za-z_]")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def check_xlsx(data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Raise FileRefused unless `data` looks like a safe, complete .xlsx package."""
    if not data:
        raise FileRefused("文件是空的（0 字节），请检查是否选错了文件")
    if len(data) > max_bytes:
        raise FileRefused(
            f"文件太大（{len(data) / 1048576:.0f} MB，上限 {max_bytes // 1048576} MB），请拆分成几个文件后分别导入"
        )
    head = data[:8]
    if head == _OLE2_MAGIC:
        raise FileRefused(
            f"该文件是旧版 .xls 格式或设置了打开密码的文件，无法直接导入。{SAVE_AS_XLSX}（如有密码请先取消）"
        )
    if not head.startswith(_ZIP_MAGIC):
        if _looks_like_text(data[:4096]):
            raise FileRefused(f"该文件是 CSV/文本或网页格式，只是扩展名写成了 Excel。{SAVE_AS_XLSX}")
        raise FileRefused(f"该文件不是 Excel 文件，或文件已损坏。{SAVE_AS_XLSX}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(f"文件已损坏，无法打开。{SAVE_AS_XLSX}") from None
    with zf:
        infos = zf.infolist()
        _check_package(infos)
        _check_sizes(infos)
        _check_xml_parts(zf, infos)


def _looks_like_text(head: bytes) -> bool:
    """True when the bytes decode as UTF-8/GBK text without control bytes (CSV, TSV, HTML)."""
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for encoding in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _check_package(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse .xlsb, .ods, encrypted entries, and zips that are not spreadsheets."""
    if len(infos) > MAX_ENTRIES:
        raise FileRefused(f"文件内部条目过多（{len(infos)} 个），疑似异常文件，已拒绝导入")
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        raise FileRefused(f"该文件是 .xlsb（二进制工作簿）格式。{SAVE_AS_XLSX}")
    if "mimetype" in names and "content.xml" in names:
        raise FileRefused(f"该文件是 .ods（OpenDocument）格式。{SAVE_AS_XLSX}")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(f"该文件不是有效的 .xlsx 工作簿（可能是其他压缩包改了扩展名）。{SAVE_AS_XLSX}")
    if any(i.flag_bits & 0x1 for i in infos):
        raise FileRefused("文件内容已加密，请取消密码保护后另存为 .xlsx 再导入")


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse zip bombs by the declared uncompressed sizes and compression ratios."""
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise FileRefused(
            f"文件解压后体积异常（{total / 1048576:.0f} MB），疑似“压缩炸弹”，已拒绝导入；如确为超大名册请拆分后导入"
        )
    for info in infos:
        if info.file_size > RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRefused(f"文件内部“{info.filename}”压缩比异常，疑似“压缩炸弹”，已拒绝导入")


def _check_xml_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse any XML part whose prolog declares a DOCTYPE or ENTITY (billion laughs, external entities)."""
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(XML_HEAD_BYTES)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            raise FileRefused(f"文件内部“{info.filename}”已损坏，无法读取。{SAVE_AS_XLSX}") from None
        head = _as_utf8(head)
        if _DTD.search(head):
            raise FileRefused(f"文件内部“{info.filename}”含有 DOCTYPE/ENTITY 声明，存在安全风险，已拒绝导入")
        prolog_end = _START_TAG.search(_COMMENT.sub(b"", head))
        if prolog_end is None and len(head) >= XML_HEAD_BYTES:
            raise FileRefused(f"文件内部“{info.filename}”结构异常，已拒绝导入")


def _as_utf8(head: bytes) -> bytes:
    """Re-encode a UTF-16 XML head as UTF-8 so the byte patterns match."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace").encode("utf-8")
    return head
