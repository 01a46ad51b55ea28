"""定点机构 tab: every institution with its agreement status; create and edit through the dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yibao_desktop.domain.pinyin import name_sort_key

from .table_model import Column
from .table_tab import TableTab

if TYPE_CHECKING:
    from yibao_desktop.services.context import AppContext


class InstitutionsTab(TableTab):
    """Institutions table with kind / agreement-status / area filters."""

    ui_name = "institutions_tab"
    key = "institutions"
    empty_text = "还没有定点医药机构。点“新增机构”逐个录入，或点“导入 Excel”按机构名册批量导入。"

    def columns(self):
        return [
            Column("机构名称", lambda r: r.name, 240, sort=lambda r: name_sort_key(r.name)),
            Column("医药机构代码", lambda r: r.code, 120),
            Column("机构类别", lambda r: r.kind_label, 170),
            Column("医保区划", lambda r: r.region, 110),
            Column("经营性质", lambda r: r.ownership_label, 70),
            Column("支付级别", lambda r: r.payment_level, 70),
            Column("床位数", lambda r: r.beds, 60, align_right=True),
            Column(
                "协议状态",
                lambda r: r.agreement_status,
                90,
                color=lambda r: "#c0392b" if r.agreement_status in ("中止", "解除") else None,
            ),
            Column("协议到期", lambda r: r.agreement_end, 90),
            Column("在册人员", lambda r: r.registrations, 70, align_right=True),
            Column("地址", lambda r: r.address, 260),
        ]

    def setup(self):
        self.add_filter("f_kind", lambda r, v: r.kind == v)
        self.add_filter("f_status", lambda r, v: r.agreement_status == v)
        self.add_filter("f_area", lambda r, v: r.region == v)

    def load_rows(self, ctx: AppContext, limit=None):
        from yibao_desktop.services.institutions import list_institutions

        return list_institutions(ctx)

    def filter_items(self, rows):
        self.set_filter_values("f_kind", sorted({(r.kind, r.kind_label) for r in rows}, key=lambda x: x[1]))
        self.set_filter_values("f_status", sorted({(r.agreement_status, r.agreement_status) for r in rows}))
        self.set_filter_values("f_area", sorted({(r.region, r.region) for r in rows if r.region}))  # 445203 揭东区
