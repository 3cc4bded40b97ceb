"""The status bar: online/offline/syncing with the last sync time, results waiting, the goal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from desktop.ui.accessibility import show_text
from desktop.ui.formatting import format_count, format_local_clock
from desktop.ui.messages import say

if TYPE_CHECKING:
    from desktop.services.views import StatusView


def hold_widest(label: QLabel) -> None:
    """Fix `label` at the widest size its texts have needed: the count changes with every
    save, and a label whose size can change sends each new text up through the status bar
    to the main window's layout, which then repaints the whole bar (bench/notes.md)."""
    hint = label.sizeHint()
    if hint.width() > label.minimumWidth() or hint.height() != label.minimumHeight():
        label.setFixedSize(max(hint.width(), label.minimumWidth()), hint.height())


class StatusWidgets(QObject):
    """syncStatus, pendingCount and goalProgress, added to a `QStatusBar`."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.sync_status = QLabel(bar)
        self.sync_status.setObjectName("syncStatus")
        self.sync_status.setAccessibleName("syncStatus")
        self.pending_count = QLabel(bar)
        self.pending_count.setObjectName("pendingCount")
        self.pending_count.setAccessibleName("pendingCount")
        self.goal_progress = QProgressBar(bar)
        self.goal_progress.setObjectName("goalProgress")
        self.goal_progress.setAccessibleName("goalProgress")
        self.goal_progress.setRange(0, 1)
        self.goal_progress.setValue(0)
        self.goal_progress.setFormat("")
        # Visible, with its key: F5 was only in the menu, and nothing said it syncs now.
        self.sync_now = QPushButton(self.tr("Sync now (F5)"), bar)
        self.sync_now.setObjectName("syncNow")
        self.sync_now.setAccessibleName(self.tr("Sync now"))
        self.sync_now.setToolTip(self.tr("Send results and fetch changes now (F5)"))
        self.sync_now.setFlat(True)
        self.sync_now.setAutoDefault(False)
        self.sync_now.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never in the call's Tab order
        bar.addWidget(self.sync_status)
        bar.addWidget(self.sync_now)
        bar.addWidget(self.pending_count)
        bar.addPermanentWidget(self.goal_progress)
        self._syncing = False
        self._status: StatusView | None = None

    def set_syncing(self, syncing: bool) -> None:
        self._syncing = syncing
        self._show_sync_state()

    def show_status(self, status: StatusView) -> None:
        self._status = status
        self._show_sync_state()
        self.show_pending(status.pending)
        self.pending_count.setToolTip(self._refused_tip(status))
        progress = status.progress
        if progress is None:
            self.goal_progress.setRange(0, 1)
            self.goal_progress.setValue(0)
            self.goal_progress.setFormat(self.tr("No campaign yet"))
            self.goal_progress.setToolTip("")
        else:
            self.show_goal(progress.calls_made, progress.goal, progress.mine)
        self.goal_progress.setTextVisible(True)

    def show_pending(self, pending: int) -> None:
        """How many results wait to be sent (a save says so without a status query)."""
        if pending == 0:
            show_text(self.pending_count, self.tr("All results sent"))
        else:
            show_text(self.pending_count, self.tr("%Ln result(s) waiting to send", "", pending))
        hold_widest(self.pending_count)

    def _refused_tip(self, status: StatusView) -> str:
        """Why some results stay unsent although the hub answers: it refused them."""
        if not status.refused:
            return ""
        tip = self.tr(
            "The hub refused %Ln result(s). They are kept on this laptop and sent again when "
            "Phonebank next starts.",
            "",
            status.refused,
        )
        if status.refused_msg is not None:
            tip += " " + self.tr("Latest reason: %1").replace("%1", say(status.refused_msg))
        return tip

    def show_goal(self, calls_made: int, goal: int, mine: int) -> None:
        """The campaign's calls against its goal (the bar and its words)."""
        self.goal_progress.setRange(0, max(1, goal))
        self.goal_progress.setValue(min(calls_made, goal))
        self.goal_progress.setFormat(
            self.tr("%1 of %2 calls")
            .replace("%1", format_count(calls_made))
            .replace("%2", format_count(goal))
        )
        self.goal_progress.setToolTip(
            self.tr("Calls made in the campaign toward its goal (%1 by you)").replace(
                "%1", format_count(mine)
            )
        )
        self.goal_progress.setTextVisible(True)

    def _show_sync_state(self) -> None:
        status = self._status
        if self._syncing:
            state, text = "syncing", self.tr("● Syncing…")
        elif status is None or status.online is None:
            state, text = "unknown", self.tr("○ Not synced yet")
        elif status.online:
            state = "online"
            text = self.tr("● Online · synced %1").replace(
                "%1", format_local_clock(status.last_sync_at)
            )
        else:
            state = "offline"
            text = self.tr("● Offline · last sync %1").replace(
                "%1", format_local_clock(status.last_sync_at)
            )
        show_text(self.sync_status, text)
        self.sync_status.setProperty("state", state)
        tip = say(status.last_error_msg, status.last_error or "") if status else ""
        self.sync_status.setToolTip(tip)
        self.sync_status.style().unpolish(self.sync_status)
        self.sync_status.style().polish(self.sync_status)
