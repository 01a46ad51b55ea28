"""Command line: argument parsing only; every command calls the same services as the GUI."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from yibao_desktop import cli_accounts, cli_backup, cli_claims, cli_reports

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext

ROSTERS = ("institutions", "personnel", "scores")
FORMS = ("annex1", "annex2", "annex3", "annex4", "annex5", "annex6", "annex7")


def _parser() -> argparse.ArgumentParser:
    from yibao_desktop import __version__

    p = argparse.ArgumentParser(prog="yibao-desktop", description="医保定点管理桌面系统")
    p.add_argument("--version", action="version", version=f"医保定点管理桌面系统 yibao-desktop {__version__}")
    p.add_argument("--db", help="数据库：SQLite 文件路径或 PostgreSQL URL（默认为用户数据目录中的 SQLite 文件）")
    p.add_argument(
        "--create", action="store_true", help="--db 指定的 SQLite 文件不存在时新建（否则拒绝，以免输错路径）"
    )
    sub = p.add_subparsers(dest="command")
    g = sub.add_parser("gui", help="打开主窗口（默认）")
    g.add_argument(
        "--demo-persons", type=int, default=3000, help="首次运行时若选择生成演示数据，演示人员数（0 = 不询问、不生成）"
    )
    d = sub.add_parser("demo", help="生成演示数据")
    d.add_argument("--persons", type=int, default=3000)
    d.add_argument("--seed", type=int, default=2026)
    d.add_argument(
        "--password",
        default=None,
        help="演示用户 admin、clerk、reviewer 的密码（或 YIBAO_PASSWORD；不给则随机生成并显示一次）",
    )
    t = sub.add_parser("template", help="导出导入模板")
    t.add_argument("kind", choices=ROSTERS)
    t.add_argument("out")
    i = sub.add_parser("import", help="导入 Excel 名册")
    i.add_argument("kind", choices=ROSTERS)
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    i.add_argument("--accept-valid", action="store_true", help="有错误行时仍写入其余有效行")
    i.add_argument(
        "--max-errors",
        type=int,
        default=None,
        metavar="N",
        help="错误超过 N 处即停止检查（默认 10000；0 表示不设上限，检查全部行）",
    )
    i.add_argument(
        "--mask-report", action="store_true", help="错误报告中隐去身份证号和手机号的中间位数（报告发往单位外时）"
    )
    e = sub.add_parser("export", help="导出 Excel 名册")
    e.add_argument("kind", choices=ROSTERS)
    e.add_argument("out")
    e.add_argument("--year", type=int)
    pr = sub.add_parser("print", help="打印表格为 PDF")
    prs = pr.add_subparsers(dest="what", required=True)
    b = prs.add_parser("blank", help="空白表格")
    b.add_argument("form", choices=FORMS)
    b.add_argument("out")
    n = prs.add_parser("notice", help="按文号打印已签发的文书（处理通知书、抄告书、机构通知）")
    n.add_argument("number")
    n.add_argument("out")
    n.add_argument(
        "--regenerate",
        action="store_true",
        help="存档原件缺失或不符时，依当前数据重新生成一份标明“重新生成件”的副本（不覆盖原件）",
    )
    cli_claims.add_arguments(sub)
    cli_reports.add_arguments(sub)
    r = sub.add_parser("recompute", help="重新计算年度累计记分")
    r.add_argument("--year", type=int)
    sub.add_parser("migrate", help="升级数据库结构")
    cli_accounts.add_arguments(p, sub)
    cli_backup.add_arguments(sub)
    return p


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move `--db X` / `--db=X` in front of the subcommand, wherever scripts put it (`import personnel F --db URL`).

    Everything after a bare `--` stays where it is, so a file name starting with `-` (or one called `--db`) still
    reaches the subcommand as a file name.
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg == "--db" and i + 1 < len(argv):
            front += argv[i : i + 2]
            i += 2
            continue
        if arg.startswith("--db="):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def run(argv: list[str]) -> int:
    """Dispatch a command; returns the process exit code (2: refused or database unusable, 3: internal error)."""
    from yibao_desktop.logs import setup_logging

    args = _parser().parse_args(hoist_global_options(argv))
    setup_logging()
    if args.command in (None, "gui"):
        from yibao_desktop.qt.app import run_gui

        return run_gui(args.db, getattr(args, "demo_persons", 3000), create=args.create)
    return _run_command(args)


def _run_command(args) -> int:
    """A batch command; every failure ends as one Chinese line on stderr (the traceback goes to the log)."""
    import logging

    from sqlalchemy.exc import DBAPIError

    from yibao_desktop.adapters.db.faults import explain
    from yibao_desktop.bootstrap import build_context
    from yibao_desktop.domain.errors import DomainError
    from yibao_desktop.logs import log_unexpected, scrub

    try:
        if args.command in cli_backup.COMMANDS:
            return cli_backup.run(args)
        ctx = build_context(args.db, create=args.create or args.command in ("demo", "migrate"))
        cli_accounts.sign_in_for(ctx, args)
        return _COMMANDS[args.command](ctx, args)
    except DomainError as err:
        logging.getLogger("yibao_desktop").info("refused: %s", err.message, exc_info=err.__cause__ is not None)
        print(f"错误：{scrub(err.message)}", file=sys.stderr)
        return 2
    except DBAPIError as err:
        log_unexpected(err, args.command)
        print(f"错误：{scrub(explain(err).message)}", file=sys.stderr)
        return 2
    except OSError as err:
        log_unexpected(err, args.command)
        print(
            f"错误：读写文件“{scrub(str(err.filename or ''))}”失败（{err.strerror or type(err).__name__}）。",
            file=sys.stderr,
        )
        return 2
    except Exception as err:  # noqa: BLE001 - last resort: a short Chinese line, the traceback in the log
        path = log_unexpected(err, args.command)
        print(f"错误：程序内部错误，本次操作可能没有完成。详细信息已写入日志文件：{path}", file=sys.stderr)
        return 3


def _demo(ctx: AppContext, args) -> int:
    from yibao_desktop.bootstrap import is_empty
    from yibao_desktop.services.demo import generate

    if not is_empty(ctx):
        print("数据库中已有数据，未生成演示数据。", file=sys.stderr)
        return 1
    created = cli_accounts.demo_accounts(ctx, args.password or os.environ.get("YIBAO_PASSWORD"))
    counts = generate(ctx, persons=args.persons, seed=args.seed)
    print(
        f"已生成演示数据：定点医药机构 {counts['institutions']} 家，相关人员 {counts['persons']} 人，"
        f"登记备案 {counts['registrations']} 条（其中 {counts['scored']} 条有记分）。"
    )
    if created and not (args.password or os.environ.get("YIBAO_PASSWORD")):
        print("已建立演示用户（密码只显示这一次，请妥善保存）：")
        for name, password in created.items():
            print(f"  {name}\t{password}")
    elif created:
        print(f"已建立演示用户：{'、'.join(created)}（密码为指定的密码）")
    return 0


def _template(ctx: AppContext, args) -> int:
    from yibao_desktop.services.rosters import template_bytes

    Path(args.out).write_bytes(template_bytes(ctx, args.kind))
    print(f"模板已写入 {args.out}")
    return 0


def _import(ctx: AppContext, args) -> int:
    from yibao_desktop.services.rosters import run_cli_import

    return run_cli_import(
        ctx,
        args.kind,
        Path(args.file),
        dry_run=args.dry_run,
        accept_valid=args.accept_valid,
        mask_report=args.mask_report,
        max_errors=args.max_errors,
    )


def _export(ctx: AppContext, args) -> int:
    from yibao_desktop.services.rosters import export_roster

    Path(args.out).write_bytes(export_roster(ctx, args.kind, args.year))
    print(f"已导出到 {args.out}")
    return 0


def _print(ctx: AppContext, args) -> int:
    from yibao_desktop.services.printing import blank_form_pdf
    from yibao_desktop.services.reprint import document_pdf

    pdf = (
        blank_form_pdf(ctx, args.form)
        if args.what == "blank"
        else document_pdf(ctx, args.number, regenerate=args.regenerate)
    )
    Path(args.out).write_bytes(pdf)
    print(f"已写入 {args.out}")
    return 0


def _recompute(ctx: AppContext, args) -> int:
    from yibao_desktop.services.scoring import recompute_all

    n = recompute_all(ctx, args.year or ctx.today().year)
    print(f"已重新计算 {n} 人的年度累计记分。")
    return 0


def _migrate(ctx: AppContext, _args) -> int:
    print(f"数据库已是最新结构：{ctx.db_label}")
    return 0


_COMMANDS = {
    "claims": cli_claims.claims,
    "report": cli_reports.report,
    "demo": _demo,
    "template": _template,
    "import": _import,
    "export": _export,
    "print": _print,
    "recompute": _recompute,
    "migrate": _migrate,
    "users": cli_accounts.users,
    "audit": cli_accounts.audit,
}
