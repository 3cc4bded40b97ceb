"""Contact import: `import_contacts(session, campaign_id, path_or_stream, ...)` -> ImportReport.

A file that is not usable (binary, not text in a known encoding, no first name, last name or
phone column) is refused whole with `ImportRefused`. Rows that cannot be imported are rejected
one by one with the physical line where the record starts and a reason; the other rows are
imported.
"""

from sync.hub.importing.contacts import import_contacts
from sync.hub.importing.phones import Phone, normalize_phone
from sync.hub.importing.report import ImportProgress, ImportRefused, ImportReport, RejectedRow

__all__ = [
    "ImportProgress",
    "ImportRefused",
    "ImportReport",
    "Phone",
    "RejectedRow",
    "import_contacts",
    "normalize_phone",
]
