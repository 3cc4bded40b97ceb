"""Language codes (ISO 639, sync.protocol.LANGUAGE_PATTERN) and their names in the language
itself, as a bilingual volunteer looks for them ("Español", not "Spanish")."""

from __future__ import annotations

NAMES = {
    "ar": "العربية",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ht": "Kreyòl ayisyen",
    "ko": "한국어",
    "pt": "Português",
    "ru": "Русский",
    "tl": "Tagalog",
    "vi": "Tiếng Việt",
    "zh": "中文",
}
# The languages a volunteer is offered for "Language barrier: they spoke ..." before any
# other: the US's most spoken after English.
COMMON = ("es", "zh", "tl", "vi", "ar", "fr", "ko", "ru", "ht", "pt")


def language_name(code: str) -> str:
    """The language's own name, or its code in capitals when this list has no name for it."""
    return NAMES.get(code, code.upper())
