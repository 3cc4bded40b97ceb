"""The application-wide look: font, palette basics and the stylesheet, in high contrast when
the system asks for it (or PHONEBANK_HIGH_CONTRAST=1: not every Linux desktop tells Qt)."""

from __future__ import annotations

import os
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui.resources import icon_path, stylesheet

HIGH_CONTRAST_ENV = "PHONEBANK_HIGH_CONTRAST"
HIGH_CONTRAST_PROPERTY = "phonebankHighContrast"  # on the QApplication, for painted widgets
# High contrast: black ground, white text and borders, yellow for what stands out (primary
# and chosen buttons, selection) with black text on it.
BLACK, WHITE, YELLOW = "#000000", "#ffffff", "#ffff00"
_DECLARATION = re.compile(r"([a-z-]+)(\s*:\s*)([^;{}]*)")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def wants_high_contrast(app: QApplication) -> bool:
    if os.environ.get(HIGH_CONTRAST_ENV, "") not in ("", "0"):
        return True
    hints = app.styleHints()  # held: PySide frees a temporary's child otherwise
    accessibility = hints.accessibility()
    return accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10.5)
    app.setFont(font)
    app.setWindowIcon(QIcon(str(icon_path())))
    high = wants_high_contrast(app)
    app.setProperty(HIGH_CONTRAST_PROPERTY, high)
    if high:
        app.setPalette(high_contrast_palette())
        app.setStyleSheet(high_contrast(stylesheet()))
    else:
        app.setStyleSheet(stylesheet())


def high_contrast(qss: str) -> str:
    """The stylesheet with its colours mapped to high contrast, its sizes kept: light grounds
    turn black and dark text white; dark or coloured grounds (primary buttons, the chosen
    answer) turn yellow and the light text on them black; borders turn white."""

    def declaration(match: re.Match[str]) -> str:
        prop, colon, value = match.groups()
        return prop + colon + _COLOR.sub(lambda c: _mapped(prop, c.group()), value)

    return _DECLARATION.sub(declaration, qss)


def high_contrast_on() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property(HIGH_CONTRAST_PROPERTY))


def painted_color(prop: str, color: str) -> str:
    """A colour a widget paints itself (`prop` as in a stylesheet: "background", "color",
    "border"), mapped like the stylesheet's when in high contrast."""
    return _mapped(prop, color) if high_contrast_on() else color


def _mapped(prop: str, color: str) -> str:
    light = QColor(color).lightnessF() > 0.6
    if prop in ("background", "background-color", "selection-background-color"):
        return BLACK if light else YELLOW
    if prop in ("color", "selection-color"):
        # Grey text on a light ground turns white; only near-white text sat on a coloured one.
        return BLACK if QColor(color).lightnessF() > 0.8 else WHITE
    return WHITE  # borders, outlines


def high_contrast_palette() -> QPalette:
    palette = QPalette()
    black, white, yellow = QColor(BLACK), QColor(WHITE), QColor(YELLOW)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        palette.setColor(role, black)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.PlaceholderText,
    ):
        palette.setColor(role, white)
    palette.setColor(QPalette.ColorRole.Highlight, yellow)
    palette.setColor(QPalette.ColorRole.HighlightedText, black)
    palette.setColor(QPalette.ColorRole.ToolTipBase, black)
    palette.setColor(QPalette.ColorRole.ToolTipText, white)
    palette.setColor(QPalette.ColorRole.Link, yellow)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#c0c0c0"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#c0c0c0"))
    return palette
