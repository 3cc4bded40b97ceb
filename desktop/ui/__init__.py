"""The Qt user interface: windows, screens, widgets, item models, the task runner.

The only package that imports PySide6; it reaches data only through the core (desktop.services).
"""
