"""`phonebank-hub demo`: a sample campaign with lists, a script and two accounts.

Everything is generated from a fixed seed, so every demo hub holds the same people. Phone
numbers are only the North American fictional range NXX-555-0100..0199 (they reach nobody);
the area codes are real ones of each state so the time zones are right. Running it again finds
the campaign and only prints the sign-in details.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import scripts as scripts_crud
from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.hub.importing import import_contacts
from sync.hub.models import Campaign, Contact, HubMeta, ScriptVersion
from sync.hub.script_file import ScriptError, load_script_file
from sync.resources import resources_dir

CAMPAIGN_NAME = "Get out the vote — March 4"
DEMO_KEY = "demo_campaign_id"  # hub_meta key naming the demo campaign
GOAL = 10_000
SEED = 2008
RESOURCES = resources_dir()
SCRIPT_FILE = RESOURCES / "scripts" / "gotv.yaml"
VOLUNTEER = ("volunteer@example.org", "Demo Volunteer", "demo-volunteer")
ORGANIZER = ("organizer@example.org", "Demo Organizer", "demo-organizer")
# Calling hours cover the whole day so the demo can be tried at any hour (a real campaign
# keeps the 09:00-21:00 default); a short cooldown lets a tester ask for names again soon.
CALLING_HOURS = ("00:00", "23:59")
COOLDOWN_SECONDS = 60


@dataclass(frozen=True)
class DemoState:
    name: str
    contacts: int
    area_codes: dict[int, str]  # area code -> the city it serves
    precinct_prefix: str


STATES = (
    DemoState(
        "Ohio",
        750,
        {614: "Columbus", 216: "Cleveland", 513: "Cincinnati", 330: "Akron", 937: "Dayton"},
        "OH",
    ),
    DemoState(
        "Texas",
        750,
        {512: "Austin", 214: "Dallas", 713: "Houston", 210: "San Antonio", 817: "Fort Worth"},
        "TX",
    ),
    DemoState("Rhode Island", 250, {401: "Providence"}, "RI"),
    DemoState("Vermont", 250, {802: "Burlington"}, "VT"),
)


def _names(file_name: str) -> list[str]:
    text = (RESOURCES / "demo" / file_name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@dataclass
class DemoInfo:
    """What `phonebank demo` and the command print: where to sign in and what is there."""

    campaign_id: int
    created: bool  # False: the demo was there already and nothing was added
    campaign_name: str = CAMPAIGN_NAME
    lists: dict[str, int] = field(default_factory=dict)  # list name -> contacts
    script_version: int = 0
    volunteer_email: str = VOLUNTEER[0]
    volunteer_password: str = VOLUNTEER[2]
    organizer_email: str = ORGANIZER[0]
    organizer_password: str = ORGANIZER[2]

    @property
    def contacts(self) -> int:
        return sum(self.lists.values())


def demo_csv(
    state: DemoState, rng: random.Random, first_names: list[str], last_names: list[str]
) -> str:
    """The state's contacts as CSV: households of 1-3 people on fictional 555-01xx numbers."""
    phones = [f"({area}) 555-{line:04d}" for area in state.area_codes for line in range(100, 200)]
    rng.shuffle(phones)
    households = min(len(phones), state.contacts * 10 // 22)  # about 2.2 people each
    sizes = [1] * households
    room = [i for i in range(households)]
    for _ in range(state.contacts - households):
        i = rng.choice(room)
        sizes[i] += 1
        if sizes[i] == 3:
            room.remove(i)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["first_name", "last_name", "phone", "age", "precinct", "city"])
    for phone, size in zip(phones, sizes, strict=False):
        family = rng.choice(last_names)
        city = state.area_codes[int(phone[1:4])]
        precinct = f"{state.precinct_prefix}-{rng.randint(1, 60):03d}{rng.choice('ABCD')}"
        firsts = rng.sample(first_names, size)
        for first in firsts:
            # now and then a housemate with another family name
            last = family if rng.random() < 0.85 else rng.choice(last_names)
            writer.writerow([first, last, phone, rng.randint(18, 92), precinct, city])
    return out.getvalue()


def find_demo(session: Session) -> Campaign | None:
    """The demo campaign, known by its id in hub_meta (not by name: an organizer may well
    call a real campaign the same)."""
    value = session.exec(select(HubMeta.value).where(HubMeta.key == DEMO_KEY)).first()
    if value is None or not value.isdigit():
        return None
    return session.get(Campaign, int(value))


def create_demo(session: Session) -> DemoInfo:
    """Create the demo (campaign, 4 lists, 2,000 contacts, script, two accounts) if missing.

    Flushes; the caller commits. When the campaign exists, only missing accounts are added.
    """
    _ensure_account(session, *VOLUNTEER, "volunteer")
    _ensure_account(session, *ORGANIZER, "organizer")
    existing = find_demo(session)
    if existing is not None:
        assert existing.id is not None
        return _describe(session, existing.id)
    # Campaign names are unique: beside a real campaign of this name the demo says it is one.
    same = func.lower(col(Campaign.name)) == CAMPAIGN_NAME.lower()
    taken = session.exec(select(Campaign.id).where(same)).first()
    campaign = campaigns_crud.create_campaign(
        session,
        f"{CAMPAIGN_NAME} (demo)" if taken is not None else CAMPAIGN_NAME,
        GOAL,
        calling_hours=CALLING_HOURS,
        cooldown_seconds=COOLDOWN_SECONDS,
    )
    assert campaign.id is not None
    marker = session.get(HubMeta, DEMO_KEY)
    if marker is None:
        session.add(HubMeta(key=DEMO_KEY, value=str(campaign.id)))
    else:  # the campaign it named was deleted
        marker.value = str(campaign.id)
    scripts_crud.publish_script(session, campaign.id, load_script_file(SCRIPT_FILE))
    rng = random.Random(SEED)
    first_names, last_names = _names("first_names.txt"), _names("last_names.txt")
    for state in STATES:
        text = demo_csv(state, rng, first_names, last_names)
        report = import_contacts(session, campaign.id, io.StringIO(text), list_name=state.name)
        if report.rejected:  # the generator and the importer disagree: a bug, say so loudly
            raise RuntimeError(f"demo data rejected: {report.rejects[0]}")
    info = _describe(session, campaign.id)
    info.created = True
    return info


def _ensure_account(session: Session, email: str, name: str, password: str, role: str) -> None:
    if users_crud.user_by_email(session, email) is None:
        users_crud.create_user(session, email, name, role, password)


def _describe(session: Session, campaign_id: int) -> DemoInfo:
    campaign = session.get(Campaign, campaign_id)
    name = campaign.name if campaign is not None else CAMPAIGN_NAME
    info = DemoInfo(campaign_id=campaign_id, created=False, campaign_name=name)
    for call_list in campaigns_crud.lists_of(session, campaign_id):
        contacts = session.exec(
            select(col(Contact.id)).where(Contact.call_list_id == call_list.id)
        ).all()
        info.lists[call_list.name] = len(contacts)
    latest = scripts_crud.latest_script(session, campaign_id)
    info.script_version = latest.version if isinstance(latest, ScriptVersion) else 0
    return info


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            info = create_demo(session)
    except (OSError, ScriptError) as exc:
        raise CommandError(
            f"the demo's data files are missing or unreadable under {RESOURCES} ({exc}); "
            "run the demo from a Phonebank checkout. Nothing was created."
        ) from None
    finally:
        engine.dispose()
    if info.created:
        print(
            f'Created the demo campaign "{info.campaign_name}" (id {info.campaign_id}): '
            f"{len(info.lists)} lists, {info.contacts:,} contacts, "
            f"script version {info.script_version}."
        )
    else:
        print(
            f'The demo campaign "{info.campaign_name}" already exists (id {info.campaign_id}); '
            "nothing was added."
        )
    for name, count in info.lists.items():
        print(f"  {name}: {count:,} contact{'' if count == 1 else 's'}")
    print("Sign in with:")
    print(f"  volunteer  {info.volunteer_email}  password: {info.volunteer_password}")
    print(f"  organizer  {info.organizer_email}  password: {info.organizer_password}")
    return 0
