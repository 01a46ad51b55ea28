"""`claims` commands: check a settlement file where it lies, the template, the remembered column mappings.

Exit codes of `claims check`: 0 no findings, 1 findings written, 2 file refused (nothing checked)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext


def _date(text: str) -> date:
    return date.fromisoformat(text)


def add_arguments(sub) -> None:
    """The claims subcommands."""
    c = sub.add_parser("claims", help="结算核查：核查结算明细文件（CSV/TXT/TSV/XLSX）、导出追回清单")
    cs = c.add_subparsers(dest="what", required=True)
    cc = cs.add_parser("check", help="核查结算明细并写出追回清单（退出码：0 无问题，1 有问题已写出，2 文件被拒绝）")
    cc.add_argument("file", help="结算明细文件：.csv、.txt、.tsv（UTF-8 或 GBK，逗号或制表符分隔）或 .xlsx")
    cc.add_argument("out", help="追回清单 .xlsx")
    cc.add_argument("--mapping", default=None, help="使用已保存的列对应关系（名称）")
    cc.add_argument("--from", dest="start", type=_date, help="只核查该日及以后的服务日期")
    cc.add_argument("--to", dest="end", type=_date, help="只核查该日及以前的服务日期")
    cc.add_argument("--strict", action="store_true", help="严格模式：有任何错误行则不核查")
    cc.add_argument("--errors", default=None, help="错误报告 .xlsx（默认与追回清单同目录）")
    cc.add_argument("--notices", default=None, help="同时写出各机构的追回通知 PDF")
    t = cs.add_parser("template", help="导出本系统结算明细模板")
    t.add_argument("out")
    cs.add_parser("mappings", help="列出已保存的列对应关系")


def claims(ctx: AppContext, args) -> int:
    """Dispatch the claims subcommands."""
    from yibao_desktop.services import settlement, settlement_outputs

    if args.what == "template":
        Path(args.out).write_bytes(settlement_outputs.template(ctx))
        print(f"模板已写入 {args.out}")
        return 0
    if args.what == "mappings":
        for name in settlement.mapping_names(ctx):
            print(name)
        return 0
    return _check(ctx, args)


def _check(ctx: AppContext, args) -> int:
    from yibao_desktop.services import settlement, settlement_outputs

    outcome = settlement.check_file(
        ctx, Path(args.file), mapping_name=args.mapping, start=args.start, end=args.end, strict=args.strict
    )
    for when in outcome.earlier:
        print(f"提示：该文件已于 {when[1]:%Y-%m-%d %H:%M} 核查过（第 {when[0]} 次）。", file=sys.stderr)
    if outcome.problems:
        errors = Path(args.errors) if args.errors else Path(args.out).with_name(Path(args.out).stem + "_错误报告.xlsx")
        errors.write_bytes(settlement_outputs.error_report(outcome))
        for p in outcome.problems[:20]:
            print(f"第{p.row}行 {p.column}：{p.message}", file=sys.stderr)
        more = len(outcome.problems) - 20
        print((f"……另有 {more} 个问题；" if more > 0 else "") + f"错误报告已写入 {errors}", file=sys.stderr)
    if outcome.refused:
        print(f"错误：{outcome.refused}", file=sys.stderr)
        return 2
    Path(args.out).write_bytes(settlement_outputs.recovery_list(ctx, outcome.run_id))
    if args.notices:
        from yibao_desktop.services.settlement_notices import recovery_notices_pdf

        Path(args.notices).write_bytes(recovery_notices_pdf(ctx, outcome.run_id))
    print(
        f"核查 {outcome.lines_checked} 行（文件共 {outcome.lines} 行），问题 {len(outcome.findings)} 条，"
        f"应追回 {outcome.recoverable_fen / 100:,.2f} 元；追回清单已写入 {args.out}"
    )
    if outcome.unmaintained:
        print(f"未及时维护人员状态的机构（第四十六条）：{'、'.join(outcome.unmaintained)}")
    return 1 if outcome.findings else 0
