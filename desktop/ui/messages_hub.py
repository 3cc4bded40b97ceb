"""The hub's refusals (HTTP error bodies) and the laptop's trouble talking to the hub, in
the user's language (desktop/ui/messages.py puts the tables together)."""

from __future__ import annotations

import math

from desktop.ui.message_words import Render, fill, messages, quoted, translate, wait_words
from sync.messages import Code, Params


def _cap(p: Params) -> str:
    seconds, cap = int(p["seconds"]), int(p["cap"])
    if seconds < 2 * 3600:
        when = wait_words(seconds)
    else:
        when = messages.tr("%n hour(s)", "", math.ceil(seconds / 3600))
    if p["window"] == "hour":
        text = messages.tr(
            "You have had %n list(s) from %1 in the last hour, the most its organizers allow. "
            "You can ask for more names in %2.",
            "",
            cap,
        )
    else:
        text = messages.tr(
            "You have had %n list(s) from %1 in the last 24 hours, the most its organizers "
            "allow. You can ask for more names in %2.",
            "",
            cap,
        )
    return fill(text, quoted(p["campaign"]), when)


HUB_TEXTS: dict[Code, Render] = {
    # ---- the hub's refusals
    Code.NOT_SIGNED_IN: lambda p: translate(
        "messages", "Not signed in, or the session has expired. Please sign in again."
    ),
    Code.WRONG_CREDENTIALS: lambda p: translate("messages", "Wrong email or password."),
    Code.ACCOUNT_DEACTIVATED: lambda p: translate(
        "messages",
        "This account has been deactivated by an organizer. Ask your campaign's organizers "
        "if you think this is a mistake.",
    ),
    Code.ORGANIZERS_ONLY: lambda p: translate("messages", "Organizers only."),
    Code.UNKNOWN_LIST: lambda p: fill(
        translate("messages", "There is no call list with id %1."), p["id"]
    ),
    Code.UNKNOWN_RESERVATION: lambda p: fill(
        translate("messages", "You have no reservation with id %1."), p["id"]
    ),
    Code.UNKNOWN_SCRIPT: lambda p: fill(translate("messages", "No script with id %1."), p["id"]),
    Code.UNKNOWN_CAMPAIGN: lambda p: fill(
        translate("messages", "There is no campaign with id %1."), p["id"]
    ),
    Code.LIST_FINISHED: lambda p: fill(
        translate(
            "messages",
            "Everyone on %1 has been called: this list is finished. Thank you! "
            "Choose another list.",
        ),
        quoted(p["list"]),
    ),
    Code.OUTSIDE_CALLING_HOURS: lambda p: fill(
        translate(
            "messages",
            "It is outside calling hours (%1–%2, the contacts' own time) for everyone left on "
            "%3: nobody can be called right now. Try again later or choose another list.",
        ),
        p["start"],
        p["end"],
        quoted(p["list"]),
    ),
    Code.LIST_BUSY: lambda p: fill(
        translate(
            "messages",
            "Nobody on %1 can be called right now: the names left are reserved by other "
            "volunteers, waiting to be tried again, or waiting for someone who speaks their "
            "language. Try again later or choose another list.",
        ),
        quoted(p["list"]),
    ),
    Code.CAMPAIGN_PAUSED: lambda p: fill(
        translate(
            "messages",
            "The organizers have paused %1: no new names are handed out for now. Lists you "
            "already have can still be called.",
        ),
        quoted(p["campaign"]),
    ),
    Code.CAMPAIGN_ARCHIVED: lambda p: fill(
        translate("messages", "%1 has ended: its organizers archived it. Choose another campaign."),
        quoted(p["campaign"]),
    ),
    Code.LIST_CLOSED: lambda p: fill(
        translate(
            "messages",
            "The organizers have closed the list %1: no more names are handed out from it. "
            "Choose another list.",
        ),
        quoted(p["list"]),
    ),
    Code.COOLING_DOWN: lambda p: fill(
        translate(
            "messages",
            "You can ask for more names in %1, or as soon as you finish your current list.",
        ),
        wait_words(int(p["seconds"])),
    ),
    Code.LIST_CAP: _cap,
    Code.TOO_MANY_SIGN_INS: lambda p: fill(
        messages.tr(
            "Too many failed sign-in attempts. Please wait %n second(s) and try again (at %1 UTC).",
            "",
            int(p["seconds"]),
        ),
        p["at"],
    ),
    Code.TOO_LARGE: lambda p: fill(
        translate(
            "messages",
            "The request is larger than the hub accepts (%1 MB). Send results in smaller batches.",
        ),
        p["megabytes"],
    ),
    Code.INVALID_REQUEST: lambda p: fill(translate("messages", "%1: %2"), p["where"], p["problem"]),
    Code.BAD_PROTOCOL_HEADER: lambda p: fill(
        translate("messages", "%1 must be an integer, got %2"), p["header"], quoted(p["value"])
    ),
    Code.UPGRADE_REQUIRED: lambda p: translate(
        "messages",
        "This version of Phonebank is too old for the hub. Please upgrade the app; your "
        "unsent results are kept.",
    ),
    Code.INTERNAL_ERROR: lambda p: translate("messages", "Internal error on the hub."),
    # ---- talking to the hub
    Code.HUB_UNREACHABLE: lambda p: fill(
        translate("messages", "Cannot reach the hub at %1."), p["url"]
    ),
    Code.HUB_TIMEOUT: lambda p: fill(
        translate("messages", "The hub at %1 did not answer in time."), p["url"]
    ),
    Code.HUB_NOT_HTTPS: lambda p: fill(
        translate(
            "messages",
            "The hub at %1 does not use a secure (https) connection. If your organizer gave "
            "you an http:// address, type it in full: %2",
        ),
        p["url"],
        p["plain"],
    ),
    Code.HUB_BAD_CERTIFICATE: lambda p: fill(
        translate("messages", "The hub at %1 did not present a valid certificate."), p["url"]
    ),
    Code.HUB_UNREADABLE: lambda p: fill(
        translate(
            "messages",
            "The hub sent an unreadable answer (HTTP %1); is the address really a Phonebank hub?",
        ),
        p["status"],
    ),
    Code.HUB_MISMATCH: lambda p: fill(
        translate(
            "messages",
            "The hub's answer did not match what this app expects (%1: %2). The hub may be a "
            "different version.",
        ),
        p["where"],
        p["problem"],
    ),
    Code.HUB_FAILED: lambda p: fill(
        translate("messages", "The hub at %1 had a problem (HTTP %2)."), p["url"], p["status"]
    ),
    Code.HUB_SAID: lambda p: str(p["detail"]),  # the hub's own words: nothing to translate
    Code.ADDRESS_MISSING: lambda p: translate("messages", "Please enter the hub address."),
    Code.ADDRESS_INVALID: lambda p: fill(
        translate("messages", "%1 is not a hub address (e.g. https://hub.example.org)."),
        quoted(p["address"]),
    ),
    Code.ADDRESS_BAD_PORT: lambda p: fill(
        translate("messages", "%1 has a bad port number."), quoted(p["address"])
    ),
}
