"""All background work through one runner: a QRunnable with progress/result/error/finished signals."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from yibao_desktop.domain.errors import Cancelled, DomainError


class TaskSignals(QObject):
    """Signals of one task (emitted from the worker thread, delivered in the GUI thread)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()


def unexpected_message(err: BaseException) -> str:
    """What the clerk reads when background work fails unexpectedly: never the driver's text (it can carry the
    ID numbers of the rows involved); a database error explained in Chinese, anything else points to the log."""
    from sqlalchemy.exc import DBAPIError  # local: the GUI imports SQLAlchemy only when it works on data

    from yibao_desktop.adapters.db.faults import explain
    from yibao_desktop.logs import log_unexpected, scrub

    path = log_unexpected(err, "background task")
    if isinstance(err, DBAPIError):
        return f"处理失败：{scrub(explain(err).message)}"
    return f"处理失败：程序内部错误，本次操作可能没有完成。详细信息已写入日志文件：{path}"


class Task(QRunnable):
    """Runs fn(progress, cancelled) in the pool; fn opens its own unit of work (sessions never cross threads)."""

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]):
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self._cancel = False
        self.setAutoDelete(False)

    def cancel(self) -> None:
        """Ask the task to stop at its next row boundary."""
        self._cancel = True

    def is_cancelled(self) -> bool:
        """Polled by the work function between rows."""
        return self._cancel

    def run(self) -> None:  # noqa: D102 - QRunnable API
        try:
            result = self.fn(self.signals.progressed.emit, self.is_cancelled)
        except Cancelled:
            self.signals.failed.emit("已取消。")
        except DomainError as err:
            self.signals.failed.emit(err.message)
        except Exception as err:  # noqa: BLE001 - a short Chinese line for the clerk, the traceback in the log
            self.signals.failed.emit(unexpected_message(err))
        else:
            if not self._cancel:
                self.signals.succeeded.emit(result)
            else:
                self.signals.failed.emit("已取消。")
        finally:
            self.signals.finished.emit()


class TaskRunner:
    """Starts tasks, drops stale results of a superseded task of the same key, waits for all on exit."""

    def __init__(self):
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(2)
        self._latest: dict[str, int] = {}
        self._tasks: dict[int, Task] = {}
        self._ids = itertools.count(1)
        self._closed = False

    def start(self, key: str, fn, on_result=None, on_error=None, on_progress=None, on_finished=None) -> Task:
        """Run fn in the background; only the newest task of a key delivers its result."""
        task = Task(fn)
        tid = next(self._ids)
        self._latest[key] = tid
        self._tasks[tid] = task

        def fresh() -> bool:
            return not self._closed and self._latest.get(key) == tid

        if on_result:
            task.signals.succeeded.connect(lambda r: fresh() and on_result(r))
        if on_error:
            task.signals.failed.connect(lambda m: fresh() and on_error(m))
        if on_progress:
            task.signals.progressed.connect(on_progress)
        task.signals.finished.connect(lambda: self._done(tid, on_finished))
        self.pool.start(task)
        return task

    def _done(self, tid: int, on_finished) -> None:
        self._tasks.pop(tid, None)
        if on_finished and not self._closed:
            on_finished()

    def shutdown(self) -> None:
        """Cancel everything and wait for the threads (called before exit and in test teardown)."""
        self._closed = True
        for t in self._tasks.values():
            t.cancel()
        self.pool.waitForDone(10000)


def progress_dialog(parent: QWidget, title: str, text: str, on_cancel) -> QProgressDialog:
    """A window-modal progress dialog that stays open until closed and cancels the task on 取消."""
    dlg = QProgressDialog(text, "取消", 0, 0, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(0)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)
    dlg.canceled.connect(on_cancel)
    dlg.show()
    return dlg
