"""The 工作台 chart: scores and dispositions per month, persons by qualification status, institutions by points
(QtCharts from PySide6-Addons), exportable as PNG."""

from __future__ import annotations

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from . import ask

CHARTS = (
    ("months", "本年每月记分与处理意见"),
    ("status", "人员医保支付资格状态"),
    ("institutions", "本年记分最多的机构（前10）"),
)
COLOURS = ("#2e86c1", "#d35400")
STATUS_COLOURS = ("#27ae60", "#d35400", "#c0392b")  # 正常, 暂停, 终止 (as in the 人员记分 table)


def nice_ticks(maximum: float, most: int = 6) -> tuple[int, int]:
    """(top, step) of a count axis: whole round steps (1, 2, 5 × 10ⁿ), at most `most` intervals, room above the
    highest bar for its label — 0/5/10/15/20/25 instead of Qt's 0/6/13/19/26."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            top = (int(maximum * 1.1) // candidate + 1) * candidate
            if top // candidate <= most:
                return top, candidate
        step *= 10


def _count_axis(maximum: float):
    """A QValueAxis of whole, round ticks from 0."""
    from PySide6.QtCharts import QValueAxis

    top, step = nice_ticks(maximum)
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setMinorTickCount(0)
    axis.setLabelFormat("%d")
    return axis


class ChartPanel(QWidget):
    """A chart chooser, the chart, and 导出图片."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        from PySide6.QtCharts import QChartView  # Addons: loaded with the 工作台, after the first paint

        self.window = window
        self.data = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("图表"))
        self.choice = QComboBox(self)
        self.choice.setObjectName("chart_choice")
        for key, label in CHARTS:
            self.choice.addItem(label, key)
        self.choice.currentIndexChanged.connect(self.draw)
        top.addWidget(self.choice, 1)
        self.export_button = QPushButton("导出图片…", self)
        self.export_button.setObjectName("btn_chart_png")
        self.export_button.setToolTip("把当前图表保存为 PNG 图片，可插入报告或工作总结")
        self.export_button.clicked.connect(self.export_png)
        top.addWidget(self.export_button)
        lay.addLayout(top)
        self.view = QChartView(self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumSize(240, 120)
        lay.addWidget(self.view, 1)

    def show_data(self, data) -> None:
        """New figures arrived: redraw the chosen chart."""
        self.data = data
        self.draw()

    def draw(self, *_a) -> None:
        """Build the chosen chart from the figures."""
        from PySide6.QtCharts import QChart

        if self.data is None:
            return
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        key = self.choice.currentData()
        {"months": self._months, "status": self._status, "institutions": self._institutions}[key](chart)
        chart.setTitle(
            f"{self.data.year}年 {self.choice.currentText()}" if key != "status" else self.choice.currentText()
        )
        self.view.setChart(chart)
        self.chart = chart

    def _months(self, chart) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet

        series = QBarSeries()
        for label, values, colour in (
            ("记分（分）", self.data.points_by_month, COLOURS[0]),
            ("处理意见（件）", self.data.dispositions_by_month, COLOURS[1]),
        ):
            bar = QBarSet(label)
            bar.setColor(QColor(colour))
            bar.append([float(v) for v in values])
            series.append(bar)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([str(m) for m in range(1, 13)])  # “10月” is cut to “1…” on a narrow pane
        axis_x.setTitleText("月份")
        axis_y = _count_axis(max([*self.data.points_by_month, *self.data.dispositions_by_month, 1]))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)

    def _status(self, chart) -> None:
        from PySide6.QtCharts import QPieSeries

        series = QPieSeries()
        for (label, n), colour in zip(self.data.persons_by_status, STATUS_COLOURS, strict=False):
            piece = series.append(f"{label} {n}人", n)
            piece.setColor(QColor(colour))
            piece.setLabelVisible(n > 0)
        chart.addSeries(series)

    def _institutions(self, chart) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QHorizontalBarSeries

        rows = list(reversed(self.data.top_institutions))  # highest at the top
        bar = QBarSet("记分（分）")
        bar.setColor(QColor(COLOURS[0]))
        bar.append([float(n) for _name, n in rows])
        series = QHorizontalBarSeries()
        series.append(bar)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([name for name, _n in rows] or ["（本年尚无记分）"])
        axis_x = _count_axis(max([n for _name, n in rows] + [1]))
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        chart.legend().setVisible(False)

    def export_png(self) -> str | None:
        """Save the chart as a PNG where the clerk says; returns the path."""
        if self.data is None:
            return None
        path = ask.save_path(self.window.qwindow, "导出图表", f"{self.choice.currentText()}.png", "PNG 图片 (*.png)")
        if not path:
            return None
        if not path.lower().endswith(".png"):
            path += ".png"
        if not self.view.grab().save(path, "PNG"):
            self.window.show_error("导出图表", f"无法保存图片：{path}")
            return None
        self.window.qwindow.statusBar().showMessage(f"图表已导出：{path}", 8000)
        return path
