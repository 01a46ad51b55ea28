"""The log: a rotating file in the user data folder with tracebacks, never an ID number, a mobile number or a
password in plain text; the CLI and the GUI show a short Chinese line with the log path instead of a traceback."""

from __future__ import annotations

import logging
import sys

import pytest

from yibao_desktop import logs
from yibao_desktop.cli import run

ID = "445202198005170073"
MOBILE = "13800138000"


def test_scrub_masks_id_numbers_mobiles_and_passwords():
    text = (
        f"persons.id_number={ID} phone {MOBILE} postgresql+psycopg://yibao:Geheim-1@db.local/yibao "
        "password=Kaishi2026 密码：abc123"
    )
    clean = logs.scrub(text)
    assert ID not in clean and "445202************" in clean
    assert MOBILE not in clean and "138****8000" in clean
    assert "Geheim-1" not in clean and "yibao:***@db.local" in clean
    assert "Kaishi2026" not in clean and "abc123" not in clean
    assert logs.scrub("揭医保记〔2026〕12号 2026-11-23 9分") == "揭医保记〔2026〕12号 2026-11-23 9分"


@pytest.fixture
def fresh_logging(monkeypatch):
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "yibao", False)]
    for h in ours:
        root.removeHandler(h)
    yield
    for h in [h for h in root.handlers if getattr(h, "yibao", False)]:
        root.removeHandler(h)
        h.close()
    for h in ours:
        root.addHandler(h)


def test_an_unexpected_cli_error_is_one_chinese_line_and_a_scrubbed_traceback_in_the_log(
    fresh_logging, own_data_dir, monkeypatch, capsys, tmp_path
):
    from yibao_desktop import cli

    def broken(_ctx, _args):
        raise RuntimeError(f"boom for {ID} at {MOBILE}")

    monkeypatch.setitem(cli._COMMANDS, "export", broken)
    code = run(["--db", str(tmp_path / "x.sqlite3"), "--create", "export", "scores", str(tmp_path / "o.xlsx")])
    err = capsys.readouterr().err
    assert code == 3 and "程序内部错误" in err and "Traceback" not in err and ID not in err
    log = own_data_dir / "logs" / "yibao-desktop.log"
    assert str(log) in err
    written = log.read_text(encoding="utf-8")
    assert "Traceback" in written and "RuntimeError" in written and ID not in written and MOBILE not in written


def test_the_log_rotates(fresh_logging, own_data_dir, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = logs.setup_logging()
    for i in range(200):
        logging.getLogger("yibao_desktop.test").info("line %d %s", i, "x" * 40)
    assert path.is_file() and path.stat().st_size <= 2200
    assert (path.parent / "yibao-desktop.log.1").is_file()


def test_the_gui_last_resort_hook_shows_a_short_chinese_message_with_the_log_path(
    fresh_logging, own_data_dir, monkeypatch
):
    shown = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logs.install_excepthook(shown.append)
    try:
        raise ValueError(f"secret {ID}")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert len(shown) == 1 and "意外错误" in shown[0] and "yibao-desktop.log" in shown[0] and ID not in shown[0]
    assert "ValueError" in (own_data_dir / "logs" / "yibao-desktop.log").read_text(encoding="utf-8")
