"""The application-wide look: font, palette basics and the stylesheet."""

from __future__ import annotations

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from desktop.ui.resources import icon_path, stylesheet


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10.5)
    app.setFont(font)
    app.setWindowIcon(QIcon(str(icon_path())))
    app.setStyleSheet(stylesheet())
