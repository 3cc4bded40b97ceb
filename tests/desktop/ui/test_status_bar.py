"""The status bar's words for results the hub refused (they stay counted as unsent)."""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from desktop.services.views import StatusView
from desktop.ui.status_bar import StatusWidgets
from sync.messages import Code, Message


def status(pending: int, refused: int = 0, why: Message | None = None) -> StatusView:
    return StatusView(
        signed_in=True,
        online=True,
        syncing=False,
        pending=pending,
        pending_feedback=0,
        last_sync_at=None,
        last_error=None,
        progress=None,
        needs_sign_in=False,
        needs_upgrade=False,
        queued_get_names=None,
        refused=refused,
        refused_msg=why,
    )


def test_refused_results_say_why_in_the_pending_count_tooltip(qtbot: QtBot) -> None:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    widgets = StatusWidgets(bar)
    why = Message(Code.CANNOT_BE_SENT, {"why": "String should have at most 20000 characters"})
    widgets.show_status(status(pending=2, refused=1, why=why))
    assert widgets.pending_count.text() == "2 results waiting to send"
    assert widgets.pending_count.toolTip() == (
        "The hub refused 1 result. It is kept on this laptop and sent again when Phonebank "
        "next starts. Latest reason: This result cannot be sent: String should have at most "
        "20000 characters"
    )
    widgets.show_status(status(pending=2))  # sent again and taken: the tooltip goes
    assert widgets.pending_count.toolTip() == ""
