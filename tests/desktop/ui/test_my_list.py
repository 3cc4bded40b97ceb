"""My list with many names: a saved call updates its row without walking the whole list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.views import ContactRow, MyList
from desktop.ui.my_list import ContactIdRole, ContactListModel, MyListPanel

NAMES = 5_000


class CountingModel(ContactListModel):
    """Counts how often the view asks for the number of rows (a full layout asks per row)."""

    calls = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        CountingModel.calls += 1
        return super().rowCount(parent)


def big_list() -> MyList:
    now = datetime.now(UTC)
    entries = tuple(
        (i, "Name", str(i), f"+1614555{i:04d}", f"h{i}", "to_call", 0, None) for i in range(NAMES)
    )
    return MyList(1, 1, "GOTV", 1, "Ohio", now + timedelta(hours=1), now, False, entries)


def test_a_saved_row_is_redrawn_without_laying_out_every_row(qtbot: QtBot) -> None:
    """A QListView relaid out all rows on each dataChanged (~150 ms per save with 100,000
    names); the contact list must only redraw the row that changed."""
    panel = MyListPanel()
    qtbot.addWidget(panel)
    panel.model = CountingModel(panel)
    panel.view.setModel(panel.model)
    panel.resize(340, 700)
    panel.show()
    panel.show_list(big_list(), current_contact=0)
    qtbot.waitExposed(panel)
    for _ in range(3):
        QApplication.processEvents()
    CountingModel.calls = 0
    panel.update_rows([ContactRow(0, "Name 0", "+16145550000", "h0", "done", 1)])
    panel.select_contact(1)
    for _ in range(3):  # the view's delayed layout and repaint run on zero-time timers
        QApplication.processEvents()
    assert panel.remaining == NAMES - 1
    assert CountingModel.calls < NAMES // 10, CountingModel.calls


def test_saving_down_the_list_keeps_the_next_name_in_sight_and_scrolls_by_pages(
    qtbot: QtBot,
) -> None:
    """Each Save & next selects the next name: it is always fully visible, with the name
    just called above it, and the list scrolls a page at a time, not a row per save (a
    scroll repaints every visible row and the scroll bar)."""
    panel = MyListPanel()
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    panel.show_list(big_list(), current_contact=0)
    qtbot.waitExposed(panel)
    view, bar = panel.view, panel.view.verticalScrollBar()
    scrolls: list[int] = []
    bar.valueChanged.connect(scrolls.append)
    saves = 60
    for contact in range(1, saves + 1):
        panel.select_contact(contact)
        rect = view.visualRect(panel.model.index(contact, 0))
        assert view.viewport().rect().contains(rect), contact
        # The name just called is still on screen, above the next one.
        above = view.visualRect(panel.model.index(contact - 1, 0))
        assert above.bottom() <= rect.top() and above.top() >= 0, contact
    rows_per_page = view.viewport().height() // view.visualRect(panel.model.index(0, 0)).height()
    assert rows_per_page >= 4
    assert 0 < len(scrolls) <= saves // (rows_per_page - 2) + 1, (len(scrolls), rows_per_page)


def test_a_household_split_across_the_list_is_shown_together_where_it_first_appears(
    qtbot: QtBot,
) -> None:
    """The list groups a household's members under its first member, the others in their
    order; rows made on demand still say who they are and how many are left."""
    now = datetime.now(UTC)
    people = [(1, "h1"), (2, "h2"), (3, "h1"), (4, "h3"), (5, "h2")]
    entries = tuple(
        (cid, f"P{cid}", "X", "+16145550100", household, "done" if cid == 4 else "to_call", 0, None)
        for cid, household in people
    )
    panel = MyListPanel()
    qtbot.addWidget(panel)
    panel.show_list(MyList(1, 1, "GOTV", 1, "Ohio", now + timedelta(hours=1), now, False, entries))
    model = panel.model
    assert [model.index(r, 0).data(ContactIdRole) for r in range(5)] == [1, 3, 2, 5, 4]
    assert [model.row_and_household(r)[1] for r in range(5)] == [False, True, False, True, False]
    assert model.index(1, 0).data() == "P3 X, To call"
    assert panel.remaining == 4 and model.row_of(5) == 3 and model.contact(4).state == "done"
