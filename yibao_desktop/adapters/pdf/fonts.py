"""CJK font discovery and glyph checks for reportlab (configured file → system fonts → FontMissing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from yibao_desktop.domain.errors import DomainError

INSTALL_HINT = (
    "未找到可用的中文字体，无法生成PDF。"
    "Debian/Ubuntu 请安装：sudo apt install fonts-arphic-uming fonts-wqy-zenhei；"
    "Windows 自带仿宋/宋体（simfang.ttf、simsun.ttc），请确认 C:\\Windows\\Fonts 中存在；"
    "也可在设置中指定一个 .ttf/.ttc 中文字体文件（.otf 字体不可用）。"
)

# Known files by lowercase name → (subfont index). Order inside each role = preference.
# Why file names and not font metadata: opening every system font to read its name costs seconds.
ROLE_FILES: dict[str, list[tuple[str, int]]] = {
    "body": [  # 仿宋-style first (Windows 仿宋_GB2312/仿宋, UOS/Kylin 方正仿宋); Linux has no free 仿宋: a 宋 face
        ("fs_gb2312.ttf", 0),
        ("fsgb2312.ttf", 0),
        ("仿宋_gb2312.ttf", 0),
        ("simfang.ttf", 0),
        ("fzfsk.ttf", 0),
        ("stfangso.ttf", 0),
        ("fangsong.ttf", 0),
        ("fzfsjw.ttf", 0),
        ("uming.ttc", 0),
        ("simsun.ttc", 0),
        ("simsun.ttf", 0),
        ("stsong.ttf", 0),
        ("lxgwwenkai-regular.ttf", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
    ],
    "title": [  # 小标宋 (Windows/UOS/Kylin 方正), 中宋, then Debian's 文鼎PL简报宋 (a 宋 face, full GB 2312), 黑体 last
        ("fzxbsjw.ttf", 0),
        ("fzxbsjw--gb1-0.ttf", 0),
        ("fzxbsk.ttf", 0),
        ("方正小标宋简体.ttf", 0),
        ("方正小标宋_gbk.ttf", 0),
        ("stzhongs.ttf", 0),
        ("gbsn00lp.ttf", 0),
        ("simhei.ttf", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("simsun.ttc", 0),
        ("uming.ttc", 0),
    ],
    "heading": [
        ("simhei.ttf", 0),
        ("fzhtjw.ttf", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("simsun.ttc", 0),
        ("uming.ttc", 0),
    ],
    "kai": [
        ("simkai.ttf", 0),
        ("stkaiti.ttf", 0),
        ("fzktjw.ttf", 0),
        ("ukai.ttc", 0),
        ("lxgwwenkai-regular.ttf", 0),
        ("uming.ttc", 0),
        ("simsun.ttc", 0),
    ],
}
# Check boxes ☐☑ are missing from the common CJK fonts; a symbol face supplies them when present.
SYMBOL_FILES = [("seguisym.ttf", 0), ("dejavusans.ttf", 0), ("freeserif.ttf", 0)]
FONT_SUFFIXES = (".ttf", ".ttc")


class FontMissing(DomainError):
    """No usable CJK TrueType font was found; the message says what to install."""


class MissingGlyph(DomainError):
    """A character to be printed exists in none of the loaded fonts."""


@dataclass
class FontSet:
    """Registered reportlab font names per role, their files, and the glyph fallback chain."""

    body: str
    title: str
    heading: str
    kai: str
    files: dict[str, str] = field(default_factory=dict)
    symbol: str | None = None
    warnings: list[str] = field(default_factory=list)
    _cmaps: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)

    def chain(self) -> list[str]:
        """Fonts tried for a character, body first, without repeats."""
        names = [self.body, self.title, self.heading, self.kai, self.symbol]
        return list(dict.fromkeys(n for n in names if n))

    def has(self, font_name: str, ch: str) -> bool:
        """True when `font_name` has a glyph for `ch`."""
        return ord(ch) in self._cmaps[font_name]

    def font_for(self, ch: str, preferred: str) -> str | None:
        """First font (preferred, then the chain) that has `ch`; None when none has it."""
        if ord(ch) in self._cmaps[preferred]:
            return preferred
        for name in self.chain():
            if ord(ch) in self._cmaps[name]:
                return name
        return None


def _windows_dirs() -> list[Path]:
    windir = os.environ.get("WINDIR", r"C:\Windows")
    dirs = [Path(windir) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def default_search_dirs() -> list[Path]:
    """Folders scanned for fonts on this platform."""
    if sys.platform.startswith("win"):
        return _windows_dirs()
    home = Path.home()
    dirs = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
    ]
    if sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    return dirs


def _fc_list_files() -> list[Path]:
    """Chinese font files fontconfig knows of (Linux); empty when fc-list is absent."""
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]


def _scan(dirs: list[Path]) -> dict[str, Path]:
    """Lowercase file name → path for every .ttf/.ttc under `dirs`."""
    found: dict[str, Path] = {}
    for root_dir in dirs:
        if not root_dir.is_dir():
            continue
        for root, _subdirs, names in os.walk(root_dir):
            for name in names:
                if name.lower().endswith(FONT_SUFFIXES):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


_REGISTERED: dict[tuple[str, int], tuple[str, frozenset[int]]] = {}


def _register(path: Path, index: int) -> tuple[str, frozenset[int]] | None:
    """Register one face with reportlab (once per process); None if it cannot be used."""
    key = (str(path), index)
    if key in _REGISTERED:
        return _REGISTERED[key]
    # the same file name may exist in several folders (a configured copy, a user font dir): keep names apart
    name = f"yb{len(_REGISTERED)}-{path.stem}-{index}"
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except Exception:  # reportlab raises bare TTFError/others for CFF, broken or foreign files
        return None
    pdfmetrics.registerFont(font)
    entry = (name, frozenset(font.face.charToGlyph))
    _REGISTERED[key] = entry
    return entry


def _pick(candidates: list[tuple[str, int]], files: dict[str, Path], need_cjk: bool = True):
    for fname, index in candidates:
        path = files.get(fname)
        if path is None:
            continue
        entry = _register(path, index)
        if entry and (not need_cjk or ord("医") in entry[1]):
            return path, entry
    return None


def _any_cjk(files: dict[str, Path]):
    """Last resort: any TrueType file that has the common characters (unknown vendor fonts)."""
    for path in files.values():
        entry = _register(path, 0)
        if entry and all(ord(c) in entry[1] for c in "医保定点"):
            return path, entry
    return None


_CACHE: dict[tuple, FontSet] = {}


def find_fonts(configured_path: str | None = None, search_dirs: list[Path] | None = None) -> FontSet:
    """Find and register the CJK fonts: configured file → system fonts → FontMissing (cached per process)."""
    key = (configured_path, tuple(map(str, search_dirs)) if search_dirs is not None else None)
    if key not in _CACHE:
        _CACHE[key] = _discover(configured_path, search_dirs)
    return _CACHE[key]


def _discover(configured_path: str | None, search_dirs: list[Path] | None) -> FontSet:
    warnings: list[str] = []
    configured = None
    if configured_path:
        entry = _register(Path(configured_path), 0) if Path(configured_path).is_file() else None
        if entry and ord("医") in entry[1]:
            configured = (Path(configured_path), entry)
        else:
            warnings.append(
                f"设置中的字体文件“{configured_path}”不存在或不可用（需 .ttf/.ttc 中文字体），已改用系统字体。"
            )
    files = _scan(default_search_dirs() if search_dirs is None else search_dirs)
    if search_dirs is None:
        for path in _fc_list_files():
            if path.suffix.lower() in FONT_SUFFIXES:
                files.setdefault(path.name.lower(), path)
    roles = {role: _pick(cands, files) for role, cands in ROLE_FILES.items()}
    if configured:
        roles["body"] = configured
    fallback = roles["body"] or next((r for r in roles.values() if r), None) or _any_cjk(files)
    if fallback is None:
        raise FontMissing(INSTALL_HINT)
    roles = {role: (found or fallback) for role, found in roles.items()}
    symbol = _pick(SYMBOL_FILES, files, need_cjk=False)
    fs = FontSet(
        body=roles["body"][1][0],
        title=roles["title"][1][0],
        heading=roles["heading"][1][0],
        kai=roles["kai"][1][0],
        files={role: str(found[0]) for role, found in roles.items()},
        symbol=symbol[1][0] if symbol else None,
        warnings=warnings,
    )
    for path, (name, cmap) in [*roles.values(), *([symbol] if symbol else [])]:
        fs._cmaps[name] = cmap
        fs.files.setdefault(name, str(path))
    return fs


def check_glyphs(text: str, field_label: str, fonts: FontSet) -> None:
    """Raise MissingGlyph naming the first character of `text` that no loaded font can print."""
    chain = fonts.chain()
    for ch in text:
        if ch in "\n\r\t":
            continue
        if not any(fonts.has(name, ch) for name in chain):
            shown = Path(fonts.files.get("body", fonts.body)).name
            raise MissingGlyph(
                f"字段“{field_label}”中的字“{ch}”(U+{ord(ch):04X})不在字体{shown}等已安装字体中，无法打印。"
                "请安装含该字的字体（如 Windows 的 SimSun-ExtB）并在设置中指定，或改用通用字。",
                field=field_label,
            )
