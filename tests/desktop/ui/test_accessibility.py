"""Every screen through Qt's accessibility tree: each control has a role, a name, and a
description where the name is only SPEC's identifier; Tab follows the reading order;
nothing needs the mouse; the call screen announces the next name and each question."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.accessibility import announcer
from desktop.ui.feedback_dialog import FeedbackDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from desktop.ui.tasks import TaskRunner
from tests.desktop.ui.helpers import show_active

Text = QAccessible.Text
Role = QAccessible.Role
# An accessible name that is only an identifier (SPEC's "saveNext"), not words.
IDENTIFIER = re.compile(r"^[a-z]+([A-Z][a-z]*)+$|^[a-z]+$")
# Controls out of the Tab order on purpose, and the key that does what they do.
KEYBOARD_EQUIVALENT = {"syncNow": "F5"}
NO_ROLE = (Role.NoRole, Role.Client, Role.Pane, Role.Grouping)


def takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def controls(top: QWidget) -> list[QWidget]:
    """The visible controls a person acts on: what takes the focus by Tab, and buttons."""
    return [
        widget
        for widget in top.findChildren(QWidget)
        if widget.isVisibleTo(top)
        and widget.isEnabled()
        and not widget.objectName().startswith("qt_")  # Qt's own parts (a spin box's editor)
        and (takes_tab(widget) or isinstance(widget, QAbstractButton))
    ]


def accessibility_problems(top: QWidget) -> list[str]:
    problems = []
    for widget in controls(top):
        iface = QAccessible.queryAccessibleInterface(widget)
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if iface is None or not iface.isValid():
            problems.append(f"{where}: not in the accessibility tree")
            continue
        name = iface.text(Text.Name)
        description = iface.text(Text.Description)
        if iface.role() in NO_ROLE:
            problems.append(f"{where}: no role ({iface.role().name})")
        if not name.strip():
            problems.append(f"{where}: no accessible name")
        elif IDENTIFIER.match(name) and not description.strip():
            problems.append(f"{where}: named {name!r} with no description in words")
        if not takes_tab(widget) and not keyboard_reachable(widget, top):
            problems.append(f"{where}: only reachable with the mouse")
    return problems


def keyboard_reachable(widget: QWidget, top: QWidget) -> bool:
    if isinstance(widget, QAbstractButton) and (
        not widget.shortcut().isEmpty() or re.search(r"&[^&]", widget.text())
    ):
        return True
    key = KEYBOARD_EQUIVALENT.get(widget.objectName())
    window = top.window()
    return key is not None and any(
        action.shortcut() == QKeySequence(key) and action.isEnabled() for action in window.actions()
    )


def tab_walk(qtbot: QtBot, first: QWidget) -> list[QWidget]:
    """Where real Tab presses take the focus, from `first` until it comes round again."""
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(first.hasFocus)
    seen = [first]
    for _ in range(60):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is None or now is first:
            break
        seen.append(now)
    return seen


def rect_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def out_of_reading_order(widgets: list[QWidget], top: QWidget) -> list[str]:
    """Pairs where Tab goes up, or left within a row (rows: boxes that overlap vertically)."""
    found = []
    for before, after in pairwise(widgets):
        a, b = rect_in(before, top), rect_in(after, top)
        same_row = a.top() < b.bottom() and b.top() < a.bottom()
        if (same_row and b.left() < a.left()) or (not same_row and b.top() < a.top()):
            found.append(f"{before.objectName()} -> {after.objectName()}")
    return found


@pytest.fixture
def window(main_window: Callable[[], MainWindow], qtbot: QtBot) -> MainWindow:
    made = main_window()
    qtbot.waitUntil(lambda: made.work.call.view is not None)
    return made


def test_sign_in_screen(qtbot: QtBot, tasks: TaskRunner) -> None:
    window = MainWindow(SampleCore(signed_in=False), tasks, sync_interval=3600)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    show_active(qtbot, window)
    window.start()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in)
    assert accessibility_problems(window.sign_in) == []
    order = tab_walk(qtbot, window.sign_in.hub_url)
    assert [w.objectName() for w in order] == ["hubUrl", "email", "password", "signIn"]
    iface = QAccessible.queryAccessibleInterface(window.sign_in.hub_url)
    assert iface.text(Text.Description) == "Hub address"


def test_call_screen(window: MainWindow, qtbot: QtBot) -> None:
    call = window.work.call
    assert accessibility_problems(window) == []
    order = tab_walk(qtbot, window.work.list_panel.view)
    names = [w.objectName() for w in order]
    # The list, then the call from top to bottom: number, the script's language (beside the
    # intro), answers, outcome, notes, save.
    assert names[:3] == ["contactList", "releaseButton", "chooseListButton"]
    assert names[3:6] == ["copyNumber", "dialButton", "scriptLanguage"]
    assert names[6:9] == ["answerButton"] * 3
    assert names[9].startswith("disposition_") and names[-2:] == ["notes", "saveNext"]
    assert out_of_reading_order(order[3:], call) == []
    # The question label's name is SPEC's; its words are its description.
    label = call.script.findChild(QLabel, "questionText")
    question = QAccessible.queryAccessibleInterface(label)
    assert question.text(Text.Name) == "questionText"
    assert label.text() and question.text(Text.Description) == label.text()


def test_call_back_picker_and_next_question_keep_the_rules(window: MainWindow) -> None:
    call = window.work.call
    call.script.choose_number(1)  # "Yes": the polling place question, with a Back button
    call.dispositions.findChild(QAbstractButton, "disposition_call_back").click()
    assert accessibility_problems(window) == []


def test_campaigns_screen(window: MainWindow, qtbot: QtBot) -> None:
    window.show_campaigns()
    qtbot.waitUntil(lambda: window.campaigns.list_picker.count() > 0)
    window.campaigns.list_picker.setCurrentRow(0)
    assert accessibility_problems(window.campaigns) == []
    screen = window.campaigns
    order = tab_walk(qtbot, screen.campaign_picker)
    expected = [screen.campaign_picker, screen.list_picker, screen.reserve_button]
    expected = [w for w in expected if w.isEnabled()]  # Get names waits out its cooldown
    assert order[: len(expected)] == expected
    assert [w.objectName() for w in order[len(expected) :]] == ["backToList"]


def test_feedback_dialog(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.open_feedback()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog, FeedbackDialog)
    assert accessibility_problems(dialog) == []
    dialog.reject()


def test_status_texts_are_spoken_as_descriptions(window: MainWindow, qtbot: QtBot) -> None:
    pending = window.status.pending_count
    qtbot.waitUntil(lambda: "waiting to send" in pending.text())
    iface = QAccessible.queryAccessibleInterface(pending)
    assert iface.text(Text.Name) == "pendingCount"
    assert iface.text(Text.Description) == pending.text()


def test_countdowns_change_what_they_say_to_screen_readers_once_a_minute(
    window: MainWindow, sample_core: SampleCore
) -> None:
    window.findChild(QTimer, "ticker").stop()  # the test's clock only
    panel, campaigns = window.work.list_panel, window.campaigns
    start = sample_core.now  # the hold ends 23:41:12 later, more names 7:45 later
    campaigns.set_next_request_at(start + timedelta(minutes=2, seconds=12))

    def heard(seconds: int) -> tuple[str, ...]:
        now = start + timedelta(seconds=seconds)
        panel.tick(now)
        campaigns.tick(now)
        hold, cooldown, more = (
            QAccessible.queryAccessibleInterface(label)
            for label in (panel.hold_timer, campaigns.cooldown_timer, panel.cooldown)
        )
        return (
            panel.hold_timer.text(),
            hold.text(Text.Description),
            cooldown.text(Text.Description),
            more.text(Text.Name),
        )

    second = [heard(s) for s in (0, 1, 2, 3)]
    # What is shown counts down every second; what is said stays the same.
    assert [shown for shown, *_ in second] == [
        f"Held for you for 23:41:{s}" for s in (12, 11, 10, "09")
    ]
    assert {tuple(said) for _, *said in second} == {
        (
            "Held for you for 23 hours 42 minutes",
            "You can get more names in 3 minutes",
            "More names in 8 minutes",
        )
    }
    # A new minute: new words.
    assert heard(12)[1:] == (
        "Held for you for 23 hours 41 minutes",
        "You can get more names in 2 minutes",
        "More names in 8 minutes",
    )
    assert heard(73)[1:] == (
        "Held for you for 23 hours 40 minutes",
        "You can get more names in 1 minute",
        "More names in 7 minutes",
    )


def test_next_name_and_each_question_are_announced(window: MainWindow, qtbot: QtBot) -> None:
    call = window.work.call
    heard: list[str] = []
    announcer().sig_announced.connect(heard.append)
    try:
        call.script.choose_number(1)
        assert heard[-1] == "Question 2 Do you know where your polling place is?"
        call.dispositions.findChild(QAbstractButton, "disposition_contacted").click()
        with qtbot.waitSignal(window.sig_result_saved):
            call.save()
        qtbot.waitUntil(lambda: any(text.startswith("Next name: ") for text in heard))
        name = call.view.name if call.view else ""
        assert f"Next name: {name}, " in " ".join(heard)
        qtbot.waitUntil(lambda: heard[-1].startswith("Question 1 "))
    finally:
        announcer().sig_announced.disconnect(heard.append)


def test_high_contrast_keeps_only_black_white_and_yellow() -> None:
    from desktop.ui.app_style import high_contrast
    from desktop.ui.resources import stylesheet

    original = stylesheet()
    mapped = high_contrast(original)
    colours = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", mapped))
    assert colours == {"#000000", "#ffffff", "#ffff00"}
    # Only the colours change: sizes, paddings and selectors stay.
    strip = re.compile(r"#[0-9a-fA-F]{3,6}\b")
    assert strip.sub("", mapped) == strip.sub("", original)
