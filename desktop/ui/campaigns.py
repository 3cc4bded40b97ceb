""" "Choose a state": pick a campaign and a call list, see the goal, press "Get names"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.accessibility import show_countdown, show_text
from desktop.ui.formatting import format_count, format_countdown, format_countdown_words
from desktop.ui.messages import say
from desktop.ui.tasks import TaskRunner, plain_message

if TYPE_CHECKING:
    from desktop.services.views import CampaignRow, Changes, ReserveOutcome
    from desktop.ui.core_api import CoreAPI

ListIdRole = Qt.ItemDataRole.UserRole + 1
RemainingRole = Qt.ItemDataRole.UserRole + 2
LIST_ROW_HEIGHT = 39  # px: one list in the picker, with its padding


class CampaignsScreen(QWidget):
    """Campaign and list pickers, the goal, "Get names" with its cooldown countdown."""

    sig_list_reserved = Signal(object)
    """A list of names is now on the laptop (the `ReserveOutcome`)."""
    sig_campaign_shown = Signal()
    """A campaign (or none) is now the chosen one; its goal is on screen."""
    sig_back_to_list_requested = Signal()
    """The caller wants to go back to the list they already have."""

    def __init__(self, core: CoreAPI, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignsScreen")
        self._core = core
        self._tasks = tasks
        self._reload_queued = False
        tasks.sig_changes.connect(self._changed)
        self._campaigns: list[CampaignRow] = []
        self._next_request_at: datetime | None = None
        self._busy = False

        card = QFrame(self)
        card.setObjectName("card")
        card.setMaximumWidth(760)
        title = QLabel(self.tr("Choose a state"), card)
        title.setObjectName("screenTitle")
        intro = QLabel(
            self.tr(
                "Pick a campaign and a list. You get a short list of names that only you "
                "will receive, and the script leads you through each call."
            ),
            card,
        )
        intro.setObjectName("screenSubtitle")
        intro.setWordWrap(True)

        campaign_label = QLabel(self.tr("&Campaign"), card)
        campaign_label.setObjectName("fieldLabel")
        self.campaign_picker = QComboBox(card)
        self.campaign_picker.setObjectName("campaignPicker")
        self.campaign_picker.setAccessibleName("campaignPicker")
        self.campaign_picker.setAccessibleDescription(self.tr("Campaign"))
        campaign_label.setBuddy(self.campaign_picker)
        self.campaign_picker.currentIndexChanged.connect(self._campaign_changed)

        self._goal_text = QLabel(card)
        self._goal_text.setObjectName("goalText")
        self._goal = QProgressBar(card)
        self._goal.setObjectName("campaignGoal")
        self._goal.setTextVisible(False)
        self._goal.setFixedHeight(10)
        self._goal.setAccessibleName(self.tr("Progress toward the goal"))

        list_label = QLabel(self.tr("&List"), card)
        list_label.setObjectName("fieldLabel")
        self.list_picker = QListWidget(card)
        self.list_picker.setObjectName("listPicker")
        self.list_picker.setAccessibleName("listPicker")
        self.list_picker.setAccessibleDescription(self.tr("List: Enter gets its names"))
        list_label.setBuddy(self.list_picker)
        self.list_picker.itemActivated.connect(lambda _item: self.request_names())
        self.list_picker.currentItemChanged.connect(lambda *_: self._update_button())

        self.reserve_button = QPushButton(self.tr("Get names"), card)
        self.reserve_button.setObjectName("reserveButton")
        self.reserve_button.setAccessibleName("reserveButton")
        self.reserve_button.setAccessibleDescription(self.tr("Get names"))
        self.reserve_button.setProperty("primary", True)
        self.reserve_button.clicked.connect(self.request_names)
        self.cooldown_timer = QLabel(card)
        self.cooldown_timer.setObjectName("cooldownTimer")
        self.cooldown_timer.setAccessibleName("cooldownTimer")
        self._back = QPushButton(self.tr("Back to my list"), card)
        self._back.setObjectName("backToList")
        self._back.clicked.connect(self.sig_back_to_list_requested)
        self._back.hide()
        self.message = QLabel(card)
        self.message.setObjectName("screenMessage")
        self.message.setWordWrap(True)

        actions = QHBoxLayout()
        actions.setSpacing(12)
        actions.addWidget(self.reserve_button)
        actions.addWidget(self.cooldown_timer, 1)
        actions.addWidget(self._back)

        layout = QVBoxLayout(card)
        layout.setContentsMargins(36, 32, 36, 32)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(10)
        layout.addWidget(campaign_label)
        layout.addWidget(self.campaign_picker)
        layout.addSpacing(4)
        layout.addWidget(self._goal_text)
        layout.addWidget(self._goal)
        layout.addSpacing(10)
        layout.addWidget(list_label)
        layout.addWidget(self.list_picker)
        layout.addSpacing(6)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addStretch(1)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        outer.addStretch(1)
        outer.addWidget(card, 4, Qt.AlignmentFlag.AlignTop)
        outer.addStretch(1)

    # ------------------------------------------------------------------ public API

    def reload(self) -> None:
        """Read the campaigns kept on the laptop (one read queued at a time: a request
        while one waits to start would read the same)."""
        if self._reload_queued:
            return
        self._reload_queued = True

        def read() -> list[CampaignRow]:
            self._reload_queued = False  # from here on, a new request reads again
            return self._core.campaigns()

        self._tasks.run_db(
            read,
            self.show_campaigns,
            lambda error: self.show_message(plain_message(error)),
            what="campaigns",
        )

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """Campaigns, lists and counts came with a sync, a new list or a sign-in."""
        if changes.campaigns or changes.account:
            self.reload()

    def show_campaigns(self, campaigns: list[CampaignRow]) -> None:
        previous_campaign = self.selected_campaign()
        previous_list = self.selected_list_id()
        self._campaigns = list(campaigns)
        self.campaign_picker.blockSignals(True)
        self.campaign_picker.clear()
        for campaign in self._campaigns:
            self.campaign_picker.addItem(campaign.name, campaign.id)
        index = next(
            (
                i
                for i, c in enumerate(self._campaigns)
                if previous_campaign and c.id == previous_campaign.id
            ),
            0,
        )
        self.campaign_picker.setCurrentIndex(index)
        self.campaign_picker.blockSignals(False)
        self._campaign_changed()
        if previous_list is not None:
            self.select_list(previous_list)
        if not self._campaigns:
            self.show_message(
                self.tr("Getting campaigns from the hub… They appear here after the first sync."),
                "waiting",
            )
        elif self.message.property("kind") == "waiting":
            self.show_message("")

    def set_has_list(self, has_list: bool) -> None:
        self._back.setVisible(has_list)

    def set_next_request_at(self, when: datetime | None) -> None:
        self._next_request_at = when
        self.tick(datetime.now(UTC))

    def selected_campaign(self) -> CampaignRow | None:
        index = self.campaign_picker.currentIndex()
        return self._campaigns[index] if 0 <= index < len(self._campaigns) else None

    def selected_list_id(self) -> int | None:
        item = self.list_picker.currentItem()
        return int(item.data(ListIdRole)) if item is not None else None

    def select_list(self, list_id: int) -> None:
        for row in range(self.list_picker.count()):
            item = self.list_picker.item(row)
            if item.data(ListIdRole) == list_id:
                self.list_picker.setCurrentItem(item)
                return

    def request_names(self) -> None:
        list_id = self.selected_list_id()
        if list_id is None or self._busy or self._cooling_down(datetime.now(UTC)):
            return
        self._busy = True
        self._update_button()
        self.show_message(self.tr("Getting your names…"))
        self._tasks.run_net(
            lambda: self._core.request_names(list_id),
            self._reserved,
            self._reserve_failed,
            what="request_names",
        )

    def tick(self, now: datetime) -> None:
        """Refresh the cooldown countdown (called every second)."""
        if self._cooling_down(now):
            assert self._next_request_at is not None
            wait = self.tr("You can get more names in %1")
            show_countdown(
                self.cooldown_timer,
                wait.replace("%1", format_countdown(self._next_request_at, now)),
                wait.replace("%1", format_countdown_words(self._next_request_at, now)),
            )
        else:
            show_text(self.cooldown_timer, "")
        self._update_button()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # ------------------------------------------------------------------ internals

    def _cooling_down(self, now: datetime) -> bool:
        return self._next_request_at is not None and self._next_request_at > now

    def _update_button(self) -> None:
        item = self.list_picker.currentItem()
        has_names = item is not None and item.data(RemainingRole) > 0
        self.reserve_button.setEnabled(
            has_names and not self._busy and not self._cooling_down(datetime.now(UTC))
        )

    def _campaign_changed(self) -> None:
        self._show_campaign()
        self.sig_campaign_shown.emit()

    def _show_campaign(self) -> None:
        campaign = self.selected_campaign()
        self.list_picker.clear()
        if campaign is None:
            self._goal_text.setText("")
            self._goal.setRange(0, 1)
            self._goal.setValue(0)
            self._update_button()
            return
        self._goal_text.setText(
            self.tr("%1 of %2 calls made toward the goal · %3 by you")
            .replace("%1", format_count(campaign.calls_made))
            .replace("%2", format_count(campaign.goal))
            .replace("%3", format_count(campaign.mine))
        )
        self._goal.setRange(0, max(1, campaign.goal))
        self._goal.setValue(min(campaign.calls_made, campaign.goal))
        for call_list in campaign.lists:
            if call_list.remaining:
                text = (
                    # Households: one call each.
                    self.tr("%1 — %Ln number(s) left to call", "", call_list.remaining).replace(
                        "%1", call_list.name
                    )
                )
            else:
                text = self.tr("%1 — everyone has been called").replace("%1", call_list.name)
            item = QListWidgetItem(text)
            item.setData(ListIdRole, call_list.id)
            item.setData(RemainingRole, call_list.remaining)
            if not call_list.remaining:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list_picker.addItem(item)
        rows = min(max(self.list_picker.count(), 3), 7)
        self.list_picker.setFixedHeight(rows * LIST_ROW_HEIGHT + 4)
        first = next(
            (
                row
                for row in range(self.list_picker.count())
                if self.list_picker.item(row).data(RemainingRole) > 0
            ),
            None,
        )
        if first is not None:
            self.list_picker.setCurrentRow(first)
        self._update_button()

    def _reserved(self, outcome: ReserveOutcome) -> None:
        self._busy = False
        kind = "error" if outcome.kind in ("empty", "error") else "info"
        self.show_message(say(outcome.msg, outcome.message), kind)
        if outcome.kind == "cooling_down" and outcome.retry_at is not None:
            self.set_next_request_at(outcome.retry_at)
        self._update_button()
        if outcome.kind == "reserved":
            self.sig_list_reserved.emit(outcome)

    def _reserve_failed(self, error: BaseException) -> None:
        self._busy = False
        self.show_message(plain_message(error), "error")
        self._update_button()
