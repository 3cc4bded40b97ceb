"""Phone numbers as written in a list -> E.164 and the time zone of the person called."""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers
from phonenumbers import timezone as phone_timezone

# When the number itself does not name one zone (an unknown prefix, a toll-free or mobile
# number valid country-wide), the contact is placed in the main zone of its region so calling
# hours still apply somewhere sensible; other regions fall back to the first zone listed.
REGION_DEFAULT_ZONES = {
    "US": "America/New_York",
    "CA": "America/Toronto",
    "GB": "Europe/London",
    "AU": "Australia/Sydney",
    "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo",
}
_UNKNOWN_ZONE = "Etc/Unknown"
_NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
# "(614) 555-0123", "614-555-0123", "+1 614 555 0123", "1.614.555.0123": area code and
# exchange start with 2-9; the separators are the usual ones and nothing else.
_NANP_SIMPLE = re.compile(r"(?:\+?1[ .-]?)?\(?([2-9]\d\d)\)?[ .-]?([2-9]\d\d)[ .-]?(\d{4})")
# North American fictional numbers: NXX-555-0100 to 0199 are reserved for fiction, so they
# reach nobody, and the demo uses them. phonenumbers currently calls them valid; should its
# metadata ever disagree, they are still accepted here on purpose (the area code still
# gives the time zone), because demos and training lists depend on them.
_NANP_FICTIONAL = re.compile(r"[2-9]\d\d55501\d\d")


class Phone(NamedTuple):  # a tuple: made for every number of a large import
    e164: str
    timezone: str


# North American numbers by their first seven digits (area code, exchange, first digit of
# the line) -> time zone, or "" when not valid. libphonenumber's North American patterns
# leave the last three digits free (Barbados and Jamaica look at the seventh;
# tests/hub/test_import.py checks the installed metadata) and its time-zone prefixes stop at
# 1 + 6 digits, so the rest of the number cannot change either answer. This was most of a
# large import's phone work (bench/notes.md). Exchange 555 is left out (the fictional
# 555-01xx are accepted, the rest of 555 are not).
_NANP_PREFIXES: dict[str, str] = {}
_MAX_PREFIXES = 100_000
PREFIX_DIGITS = 7  # the key's length


def normalize_phone(raw: str, region: str) -> Phone | None:
    """E.164 and time zone for a number as written; None when it is not a valid number."""
    if region in _NANP_REGIONS or raw.startswith("+1"):
        match = _NANP_SIMPLE.fullmatch(raw)
        if match:
            digits = "".join(match.groups())
            if digits[3:6] == "555":
                return _checked(_nanp(digits), region)
            zone = _NANP_PREFIXES.get(digits[:PREFIX_DIGITS])
            if zone is None:
                phone = _checked(_nanp(digits), region)
                zone = phone.timezone if phone else ""
                if len(_NANP_PREFIXES) >= _MAX_PREFIXES:
                    _NANP_PREFIXES.clear()
                _NANP_PREFIXES[digits[:PREFIX_DIGITS]] = zone
            return Phone("+1" + digits, zone) if zone else None
    number = parse_phone(raw, region)
    if number is None:
        return None
    return _checked(number, region)


def _nanp(digits: str) -> phonenumbers.PhoneNumber:
    return phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))


def _checked(number: phonenumbers.PhoneNumber, region: str) -> Phone | None:
    # Valid for the default region settles it in one pattern check; else any region.
    if not (
        phonenumbers.is_valid_number_for_region(number, region)
        or phonenumbers.is_valid_number(number)
        or _is_fictional(number)
    ):
        return None
    # The prefix table names the zone(s) of a geographic number and the country's zones for
    # the rest (mobile, toll-free), which is what time_zones_for_number would give too.
    zones = phone_timezone.time_zones_for_geographical_number(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, _pick_zone(zones, number))


def parse_phone(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    # Fast path for the common North American spellings ("(614) 555-0123", "+1 614.555.0123",
    # "16145550123"): the same PhoneNumber phonenumbers.parse builds, in a tenth of the time.
    # Anything else (extensions, letters, other countries) goes through phonenumbers.parse.
    if region in _NANP_REGIONS or raw.startswith("+1"):
        match = _NANP_SIMPLE.fullmatch(raw)
        if match:
            return _nanp("".join(match.groups()))
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def _is_fictional(number: phonenumbers.PhoneNumber) -> bool:
    national = str(number.national_number)
    return bool(
        number.country_code == 1
        and _NANP_FICTIONAL.fullmatch(national)
        and phonenumbers.is_possible_number(number)
    )


def _pick_zone(zones: tuple[str, ...] | list[str], number: phonenumbers.PhoneNumber) -> str:
    known = [z for z in zones if z != _UNKNOWN_ZONE]
    if len(known) == 1:
        return known[0]
    region = phonenumbers.region_code_for_number(number) or ""
    default = REGION_DEFAULT_ZONES.get(region)
    if default and (not known or default in known):
        return default
    return known[0] if known else "UTC"


# "614-555-0123 x12", "(614) 555-0123 ext. 45", "6145550123 #7", "614 555 0123 extension 3"
_EXTENSION = re.compile(
    r"(.*?\d)[\s,;]*(?:x|ext\.?|extn\.?|extension|#)\s*(\d{1,7})", re.IGNORECASE
)
# What a spreadsheet makes of a number column it took for a quantity: "5046218927.0" keeps
# every digit; "5.04621E+09" has lost the last ones for good.
_DECIMAL = re.compile(r"(\d{7,15})\.0+")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d{1,2}")


def split_extension(raw: str) -> tuple[str, str]:
    """`("614-555-0123", "12")` for "614-555-0123 x12"; `(raw, "")` without an extension."""
    if "x" not in raw and "X" not in raw and "#" not in raw:  # every marker has one
        return raw, ""
    match = _EXTENSION.fullmatch(raw)
    if match is None:
        return raw, ""
    return match.group(1), match.group(2)


def spreadsheet_decimal(raw: str) -> str | None:
    """The digits of a number a spreadsheet wrote as a decimal ("5046218927.0"), else None."""
    if "." not in raw:
        return None
    match = _DECIMAL.fullmatch(raw)
    return match.group(1) if match else None


def spreadsheet_rounded(raw: str) -> bool:
    """True for a number a spreadsheet rounded into scientific notation ("5.04621E+09")."""
    return ("E" in raw or "e" in raw) and _SCIENTIFIC.fullmatch(raw) is not None
