"""My list: the reserved names grouped by household, each with its state; the hold countdown;
"Release unused names". The model holds ids and plain rows, never database objects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.accessibility import name_countdown, show_countdown, show_text
from desktop.ui.app_style import painted_color
from desktop.ui.formatting import (
    format_countdown,
    format_countdown_words,
    format_phone,
    state_label,
)
from desktop.ui.steady_layout import WrappedSlot

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.services.views import ContactRow, ListEntry, MyList

ContactIdRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
SameHouseholdRole = Qt.ItemDataRole.UserRole + 3

STATE_COLORS = {
    "to_call": ("#1d4ed8", "#dbeafe"),
    "done": ("#166534", "#dcfce7"),
    "call_back": ("#9a3412", "#ffedd5"),
    "dnc": ("#991b1b", "#fee2e2"),
}

AnyIndex = QModelIndex | QPersistentModelIndex


class ContactListModel(QAbstractListModel):
    """One row per contact, members of a household next to each other.

    Holds the store's plain entries and makes a row's ContactRow only when the row is asked
    for (painted, read out, chosen): with 100,000 names on the laptop, making all of them at
    every start and every reload cost ~0.3 s (bench/notes.md, cold_start_median). The row
    count is the whole list's, so the view's scroll bar and screen readers see every name.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ListEntry] = []
        self._rows: list[ContactRow | None] = []  # made on first use; a save replaces one
        self._positions: dict[int, int] = {}  # contact id -> row
        self._remaining = 0

    @property
    def remaining(self) -> int:
        """Contacts still to call (to call or call back), kept up to date row by row."""
        return self._remaining

    def set_entries(self, entries: Sequence[ListEntry]) -> None:
        # Imported here, not at the top: the views load on the database worker with the
        # core, off the main thread's path to the first paint.
        from desktop.services.views import OPEN_STATES

        entries = _households_together(entries)
        self.beginResetModel()
        self._entries = entries
        self._rows = [None] * len(entries)
        self._positions = {e[0]: i for i, e in enumerate(entries)}
        self._remaining = sum(1 for e in entries if e[5] in OPEN_STATES)
        self.endResetModel()

    def update_rows(self, rows: tuple[ContactRow, ...] | list[ContactRow]) -> int:
        """Replace the given rows in place (a save changed them): no reset, no full reload.

        Rows not in the model are ignored; returns how many were updated."""
        from desktop.services.views import OPEN_STATES

        updated = 0
        for row in rows:
            position = self._positions.get(row.id)
            if position is None:
                continue
            old = self.row_at(position)
            self._remaining += (row.state in OPEN_STATES) - (old.state in OPEN_STATES)
            self._rows[position] = row
            index = self.index(position, 0)
            self.dataChanged.emit(index, index)
            updated += 1
        return updated

    def row_at(self, position: int) -> ContactRow:
        row = self._rows[position]
        if row is None:
            from desktop.services.views import entry_row

            row = self._rows[position] = entry_row(self._entries[position])
        return row

    def row_and_household(self, position: int) -> tuple[ContactRow, bool]:
        """The row at `position`, and whether it continues the household above it."""
        row = self.row_at(position)
        # A save never moves a contact to another household: the entry's is current.
        return row, position > 0 and self._entries[position - 1][4] == row.household

    def row_of(self, contact_id: int) -> int | None:
        return self._positions.get(contact_id)

    def contact(self, contact_id: int) -> ContactRow | None:
        """The row of this contact, if it is in the list."""
        position = self._positions.get(contact_id)
        return None if position is None else self.row_at(position)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        if role == ContactIdRole:
            return self._entries[index.row()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            row = self.row_at(index.row())
            return f"{row.name}, {state_label(row.state)}"
        if role == RowRole:
            return self.row_at(index.row())
        if role == SameHouseholdRole:
            return self.row_and_household(index.row())[1]
        return None


def _households_together(entries: Sequence[ListEntry]) -> list[ListEntry]:
    """The entries with each household's members together, where its first member is (a
    stable sort by the household's first appearance); one pass when they already are, as
    the hub hands them out."""
    order: dict[str, int] = {}
    together = True
    previous = None
    for entry in entries:
        household = entry[4]
        if household != previous:
            if household in order:
                together = False
            else:
                order[household] = len(order)
            previous = household
    if together:
        return list(entries)
    return sorted(entries, key=lambda e: order[e[4]])


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_ELIDE = Qt.TextElideMode.ElideRight
_SELECTED = QStyle.StateFlag.State_Selected


class ContactDelegate(QStyledItemDelegate):
    """Name and number on the left, a coloured state pill on the right.

    Every visible row is painted again when the list scrolls (each Save & next moves the
    selection down): colours, pens, fonts and labels are made once, not per row.
    """

    HEIGHT = 58

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colors: dict[str, QColor] = {}
        self._labels: dict[str, str] = {}
        self._fonts: tuple[QFont, QFont, QFont] | None = None  # (base, small, name)
        self._rule = QPen(self._color("#e5e7eb", "border"))
        self._household_pen = QPen(self._color("#9ca3af", "border"), 2)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(option.rect.width(), self.HEIGHT)

    def _color(self, name: str, prop: str = "color") -> QColor:
        """`name` as painted for `prop` ("color", "background", "border": high contrast maps
        them as the stylesheet's), made once."""
        key = f"{prop}:{name}"
        color = self._colors.get(key)
        if color is None:
            color = self._colors[key] = QColor(painted_color(prop, name))
        return color

    def _tried(self, attempts: int) -> str:
        label = self._labels.get(f"tried {attempts}")
        if label is None:
            label = self._labels[f"tried {attempts}"] = self.tr("  ·  tried %n×", "", attempts)
        return label

    def _label(self, state: str) -> str:
        label = self._labels.get(state)
        if label is None:
            label = self._labels[state] = state_label(state)
        return label

    def _fonts_for(self, font: QFont) -> tuple[QFont, QFont]:
        if self._fonts is None or self._fonts[0] != font:
            small = QFont(font)
            small.setPointSizeF(font.pointSizeF() * 0.9)
            name_font = QFont(font)
            name_font.setPointSizeF(font.pointSizeF() * 1.05)
            name_font.setWeight(QFont.Weight.DemiBold)
            self._fonts = (QFont(font), small, name_font)
        return self._fonts[1], self._fonts[2]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        model = index.model()
        if isinstance(model, ContactListModel):  # the list's own model: no role lookups
            row, same_household = model.row_and_household(index.row())
        else:
            row, same_household = index.data(RowRole), bool(index.data(SameHouseholdRole))
        rect = QRect(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & _SELECTED:
            painter.fillRect(rect, self._color("#e0e7ff", "background"))
            painter.fillRect(
                QRect(rect.left(), rect.top(), 4, rect.height()),
                self._color("#4338ca", "background"),
            )
        if not same_household:
            painter.setPen(self._rule)
            painter.drawLine(rect.left() + 12, rect.top(), rect.right() - 12, rect.top())
        indent = 34 if same_household else 16
        if same_household:
            painter.setPen(self._household_pen)
            painter.drawLine(rect.left() + 22, rect.top() + 4, rect.left() + 22, rect.center().y())
        small, name_font = self._fonts_for(option.font)

        # The state pill on the right decides how much room the text gets.
        fg, bg = STATE_COLORS.get(row.state, ("#374151", "#f3f4f6"))
        label = self._label(row.state)
        painter.setFont(small)
        width = painter.fontMetrics().horizontalAdvance(label) + 20
        pill = QRect(rect.right() - width - 14, rect.top() + 8, width, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color(bg, "background"))
        painter.drawRoundedRect(pill, 11, 11)
        painter.setPen(self._color(fg))
        painter.drawText(pill, _CENTER, label)

        text_width = pill.left() - 10 - (rect.left() + indent)
        detail = format_phone(row.phone)
        if row.attempts and not same_household:
            detail += self._tried(row.attempts)
        painter.setPen(self._color("#6b7280"))
        detail_width = rect.right() - 14 - (rect.left() + indent)
        detail_rect = QRect(rect.left() + indent, rect.top() + 30, detail_width, 20)
        metrics = painter.fontMetrics()
        painter.drawText(detail_rect, _LEFT, metrics.elidedText(detail, _ELIDE, detail_width))

        painter.setFont(name_font)
        painter.setPen(self._color("#6b7280" if row.state in ("done", "dnc") else "#111827"))
        name_rect = QRect(rect.left() + indent, rect.top() + 8, text_width, 22)
        metrics = painter.fontMetrics()
        painter.drawText(name_rect, _LEFT, metrics.elidedText(row.name, _ELIDE, text_width))
        painter.restore()


class MyListPanel(QFrame):
    """The left side of the calling page: the current list and its timers."""

    sig_contact_chosen = Signal(int)
    """The caller picked a contact (by id) to call now."""
    sig_release_requested = Signal()
    """The caller wants to give back the names they have not called."""
    sig_choose_list_requested = Signal()
    """The caller wants the "Choose a state" screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myListPanel")
        self._list: MyList | None = None

        self._title = QLabel(self.tr("My list"), self)
        self._title.setObjectName("panelTitle")
        self._subtitle = QLabel(self)
        self._subtitle.setObjectName("panelSubtitle")
        self._subtitle_slot = WrappedSlot(self._subtitle, self)
        self.hold_timer = QLabel(self)
        self.hold_timer.setObjectName("holdTimer")
        self.hold_timer.setAccessibleName("holdTimer")
        self.hold_timer.setWordWrap(True)
        self.cooldown = QLabel(self)
        self.cooldown.setObjectName("listCooldown")

        self.model = ContactListModel(self)
        # A flat QTreeView, not a QListView: QListView lays out every row again on each
        # dataChanged (~150 ms with 100,000 names), the tree view with uniform rows does not.
        self.view = QTreeView(self)
        self.view.setObjectName("contactList")
        self.view.setAccessibleName("contactList")
        self.view.setAccessibleDescription(self.tr("My list: Enter opens the chosen name"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(ContactDelegate(self.view))
        self.view.setUniformRowHeights(True)
        self.view.setRootIsDecorated(False)
        self.view.setItemsExpandable(False)
        self.view.setIndentation(0)
        self.view.setHeaderHidden(True)
        self.view.header().setStretchLastSection(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)

        self._release = QPushButton(self.tr("Release unused names"), self)
        self._release.setObjectName("releaseButton")
        self._release.setToolTip(self.tr("Give the names you have not called back to the campaign"))
        self._release.clicked.connect(self.sig_release_requested)
        self._other = QPushButton(self.tr("Choose a state…"), self)
        self._other.setObjectName("chooseListButton")
        self._other.clicked.connect(self.sig_choose_list_requested)

        buttons = QVBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self._release)
        buttons.addWidget(self._other)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(8)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle_slot)
        layout.addWidget(self.hold_timer)
        layout.addWidget(self.cooldown)
        layout.addSpacing(4)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    @property
    def current_list(self) -> MyList | None:
        return self._list

    def show_list(self, my_list: MyList | None, *, current_contact: int | None = None) -> None:
        self._list = my_list
        if my_list is None:
            self._title.setText(self.tr("My list"))
            self._subtitle_slot.set_text(self.tr("No names yet. Choose a state to get a list."))
            self.model.set_entries([])
            self._release.setEnabled(False)
            self.tick(datetime.now(UTC))
            return
        self._title.setText(my_list.list_name)
        self.model.set_entries(my_list.entries)
        self._show_counts()
        if current_contact is not None:
            self.select_contact(current_contact)
        self.tick(datetime.now(UTC))

    def update_rows(self, rows: tuple[ContactRow, ...] | list[ContactRow]) -> None:
        """A save changed these rows: update them and the counts, keep the rest as it is."""
        if self._list is None or not self.model.update_rows(rows):
            return
        self._show_counts()
        self.tick(datetime.now(UTC))

    @property
    def remaining(self) -> int:
        """Names on the laptop still to call."""
        return self.model.remaining

    def _show_counts(self) -> None:
        my_list = self._list
        if my_list is None:
            return
        left = self.model.remaining
        self._subtitle_slot.set_text(
            self.tr("%1 · %2 of %n name(s) left to call", "", self.model.rowCount())
            .replace("%1", my_list.campaign_name)
            .replace("%2", str(left))
        )
        self._release.setEnabled(left > 0 and not my_list.expired)

    def select_contact(self, contact_id: int) -> None:
        row = self.model.row_of(contact_id)
        if row is not None:
            index = self.model.index(row, 0)
            # setCurrentIndex would scroll by itself (autoScroll), by one row at the edge.
            self.view.setAutoScroll(False)
            self.view.setCurrentIndex(index)
            self.view.setAutoScroll(True)
            self._scroll_into_view(row)

    def _scroll_into_view(self, row: int) -> None:
        """Scroll only when the row is out of sight, and then by a page: the row before it
        goes to the top. Scrolling one row per Save & next repainted every visible row and
        the scroll bar each time (bench/notes.md, save_next_p99)."""
        view = self.view
        rect = view.visualRect(self.model.index(row, 0))
        if view.viewport().rect().contains(rect):
            return
        above = self.model.index(max(row - 1, 0), 0)
        view.scrollTo(above, QTreeView.ScrollHint.PositionAtTop)
        # The list's end: the row may still be below, with the page as far as it goes.
        view.scrollTo(self.model.index(row, 0))

    def tick(self, now: datetime) -> None:
        """Refresh the hold and cooldown countdowns (the main window calls this every second)."""
        my_list = self._list
        warning = False
        if my_list is None:
            hold = ""
        elif self.model.remaining == 0:
            hold = self.tr("Everyone on this list has been called.")
        elif my_list.expired or my_list.expires_at <= now:
            hold = self.tr("Your hold on these names has ended. Results you record are still kept.")
            warning = True
        else:
            held = self.tr("Held for you for %1")
            show_countdown(
                self.hold_timer,
                held.replace("%1", format_countdown(my_list.expires_at, now)),
                held.replace("%1", format_countdown_words(my_list.expires_at, now)),
            )
            hold = None
        if hold is not None:
            show_text(self.hold_timer, hold)
        if self.hold_timer.property("warning") != warning:
            self.hold_timer.setProperty("warning", warning)
            self.hold_timer.style().unpolish(self.hold_timer)
            self.hold_timer.style().polish(self.hold_timer)
        if my_list is not None and my_list.next_request_at > now:
            more = self.tr("More names in %1")
            name_countdown(
                self.cooldown,
                more.replace("%1", format_countdown(my_list.next_request_at, now)),
                more.replace("%1", format_countdown_words(my_list.next_request_at, now)),
            )
        else:
            now_text = self.tr("You can get more names now.") if my_list else ""
            name_countdown(self.cooldown, now_text, now_text)

    def _activated(self, index: QModelIndex) -> None:
        contact_id = index.data(ContactIdRole)
        if contact_id is not None:
            self.sig_contact_chosen.emit(int(contact_id))
