"""Phonebank desktop app: the volunteer's side of the phone bank."""

__version__ = "0.1.0"
APP_NAME = "Phonebank"
ORG_NAME = "Phonebank"
