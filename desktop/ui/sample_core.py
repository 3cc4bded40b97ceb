"""An in-memory stand-in for `PhonebankCore` with realistic data, for screenshots and UI tests.

It answers the same calls with the same plain dataclasses, without a disk or a hub, so the
screens can be rendered and driven on their own. The real app never uses it.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from desktop.services.errors import user_error
from desktop.services.views import (
    Account,
    Attempt,
    CallDraft,
    CallView,
    CampaignRow,
    Changes,
    ContactRow,
    HouseholdMember,
    ListRow,
    MyList,
    ProgressView,
    Released,
    ReserveOutcome,
    ResultDraft,
    RetryOutlook,
    SavedResult,
    SignedIn,
    SignOutOutcome,
    StatusView,
    SyncReport,
)
from sync.messages import Code, Message
from sync.protocol import (
    Option,
    Question,
    QuestionKind,
    QuestionTranslation,
    Script,
    ScriptTranslation,
)

SAMPLE_SCRIPT = Script(
    id=1,
    campaign_id=1,
    version=3,
    title="Get out the vote — March 4",
    intro=(
        "Hi, may I speak with {first_name}? I'm {volunteer_name}, a volunteer with the "
        "Neighbors for Ohio campaign. We're calling voters about Tuesday's election."
    ),
    questions=[
        Question(
            id="support",
            text="Can we count on your vote on Tuesday?",
            kind=QuestionKind.choice,
            options=[
                Option(value="yes", label="Yes", next="plan"),
                Option(value="undecided", label="Undecided", next="issue"),
                Option(value="no", label="No", next="end"),
            ],
        ),
        Question(
            id="issue",
            text="What matters most to you this year?",
            kind=QuestionKind.text,
            next="end",
        ),
        Question(
            id="plan", text="Do you know where your polling place is?", kind=QuestionKind.yesno
        ),
        Question(
            id="ride",
            text="How will you get to the polls?",
            kind=QuestionKind.multi,
            options=[
                Option(value="walk", label="Walk"),
                Option(value="drive", label="Drive"),
                Option(value="transit", label="Public transit"),
                Option(value="ride", label="Needs a ride"),
            ],
        ),
        Question(
            id="enthusiasm",
            text="How excited are you to vote, from 1 to 5?",
            kind=QuestionKind.scale,
        ),
    ],
    closing="Thank you so much for your time — and see you at the polls on Tuesday!",
    translations={
        "es": ScriptTranslation(
            intro=(
                "Hola, ¿puedo hablar con {first_name}? Soy {volunteer_name}, voluntario/a de "
                "la campaña Vecinos por Ohio. Llamamos a votantes sobre la elección del martes."
            ),
            questions={
                "support": QuestionTranslation(
                    text="¿Podemos contar con su voto el martes?",
                    options={"yes": "Sí", "undecided": "Indeciso/a", "no": "No"},
                ),
                "issue": QuestionTranslation(text="¿Qué es lo más importante para usted?"),
                "plan": QuestionTranslation(
                    text="¿Sabe dónde está su lugar de votación?",
                    options={"yes": "Sí", "no": "No"},
                ),
                "ride": QuestionTranslation(
                    text="¿Cómo llegará a las urnas?",
                    options={
                        "walk": "A pie",
                        "drive": "En coche",
                        "transit": "Transporte público",
                        "ride": "Necesita transporte",
                    },
                ),
                "enthusiasm": QuestionTranslation(
                    text="¿Qué tan entusiasmado/a está por votar, del 1 al 5?"
                ),
            },
            closing="¡Muchas gracias por su tiempo, y nos vemos en las urnas el martes!",
        )
    },
)

_PEOPLE = [
    ("Maria", "Lopez", "+16145550123", "h1", "54", "Columbus 12-B", "Columbus"),
    ("Daniel", "Lopez", "+16145550123", "h1", "57", "Columbus 12-B", "Columbus"),
    ("Aisha", "Rahman", "+12165550142", "h2", "31", "Cleveland 4-A", "Cleveland"),
    ("Tom", "Becker", "+15135550107", "h3", "68", "Cincinnati 7", "Cincinnati"),
    ("Grace", "O'Neill", "+16145550188", "h4", "42", "Dublin 2", "Dublin"),
    ("Samuel", "Okafor", "+12165550171", "h5", "23", "Lakewood 1", "Lakewood"),
    ("Linh", "Nguyen", "+15135550133", "h6", "39", "Norwood 3", "Norwood"),
    ("Robert", "Hughes", "+16145550159", "h7", "71", "Westerville 5", "Westerville"),
    ("Priya", "Shah", "+12165550119", "h8", "35", "Parma 9", "Parma"),
    ("José", "Ñúñez", "+15135550196", "h9", "46", "Hamilton 6", "Hamilton"),
]


EVERYTHING = Changes(contacts=True, reservations=True, campaigns=True, status=True, account=True)


class SampleCore:
    """Same methods as `PhonebankCore`, kept in memory; `saved` lists recorded drafts."""

    def __init__(self, *, signed_in: bool = True, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)
        self.signed_in = signed_in
        self.saved: list[tuple[uuid.UUID, ResultDraft]] = []
        self.feedback: list[str] = []
        self.online = True
        self.synced_at = self.now - timedelta(minutes=2)
        self.sync_calls = 0
        self.probes = 0  # tests: hub_reachable() calls while offline
        self.draft: CallDraft | None = None  # the call in progress, as the core keeps it
        self.languages: list[str] = ["en"]  # the volunteer's, as "My languages" sets them
        self.retries: RetryOutlook | None = None  # tests: who waits for a retry time
        self.my_list_calls = 0  # tests: a save must not reload the whole list
        self.status_calls = 0  # tests: a save must not ask for the status again
        self.within_hours = True
        self.timezone = "America/New_York"  # every sample contact's zone
        self._states: dict[int, str] = {}
        self._has_list = signed_in
        self.language = ""  # the interface language chosen in the app
        for index in range(len(_PEOPLE)):
            self._states[index + 1] = "to_call"

    # ------------------------------------------------------------ accounts

    @property
    def default_hub_url(self) -> str:
        return "https://hub.neighborsforohio.org"

    def set_language(self, language: str) -> None:
        self.language = language

    def saved_account(self) -> Account | None:
        return Account(
            hub_url="https://hub.neighborsforohio.org",
            email="sam.rivera@example.org",
            volunteer_id=7 if self.signed_in else None,
            volunteer_name="Sam Rivera",
            role="volunteer",
            has_token=self.signed_in,
        )

    def sign_in(self, hub_url: str, email: str, password: str) -> SignedIn:
        if password != "right":
            raise user_error(Code.SIGN_IN_REFUSED, then=Message(Code.CHECK_CREDENTIALS))
        self.signed_in = True
        account = self.saved_account()
        assert account is not None
        return SignedIn(account, EVERYTHING)

    def sign_out(self, force: bool = False) -> SignOutOutcome:
        pending, messages = len(self.saved), len(self.feedback)
        if (pending or messages) and not force:
            return SignOutOutcome(signed_out=False, pending=pending, pending_feedback=messages)
        self.signed_in = False
        return SignOutOutcome(
            signed_out=True, pending=pending, pending_feedback=messages, changes=EVERYTHING
        )

    # ------------------------------------------------------------ campaigns and lists

    def campaigns(self) -> list[CampaignRow]:
        lists = (
            ListRow(1, "Ohio", 1_482),
            ListRow(2, "Texas", 2_950),
            ListRow(3, "Rhode Island", 312),
            ListRow(4, "Vermont", 0),
        )
        return [
            CampaignRow(
                id=1,
                name="Get out the vote — March 4",
                goal=1_000_000,
                calls_made=612_384 + len(self.saved),
                mine=14 + len(self.saved),
                script_version=3,
                lists=lists,
                list_size=20,
                cooldown_seconds=600,
                calling_hours=("09:00", "21:00"),
            ),
            CampaignRow(
                id=2,
                name="Town hall turnout",
                goal=50_000,
                calls_made=8_120,
                mine=0,
                script_version=1,
                lists=(ListRow(5, "Columbus", 640),),
                list_size=20,
                cooldown_seconds=600,
                calling_hours=("10:00", "20:00"),
            ),
        ]

    def request_names(self, call_list_id: int) -> ReserveOutcome:
        if not self.online:
            return ReserveOutcome("queued", "You're offline: the names will come at the next sync.")
        self._has_list = True
        return ReserveOutcome(
            "reserved",
            "20 names are yours for 24 hours.",
            reservation_id=41,
            changes=Changes(contacts=True, reservations=True, campaigns=True, status=True),
        )

    def my_list(self) -> MyList | None:
        self.my_list_calls += 1
        if not self._has_list:
            return None
        rows = [self._row(index + 1) for index in range(len(_PEOPLE))]
        return MyList(
            reservation_id=41,
            campaign_id=1,
            campaign_name="Get out the vote — March 4",
            call_list_id=1,
            list_name="Ohio",
            expires_at=self.now + timedelta(hours=23, minutes=41, seconds=12),
            next_request_at=self.now + timedelta(minutes=7, seconds=45),
            expired=False,
            entries=tuple(
                (r.id, first, last, r.phone, r.household, r.state, r.attempts, None)
                for r, (first, last, *_) in zip(rows, _PEOPLE, strict=True)
            ),
        )

    def release_unused(self) -> Released:
        released = [cid for cid, state in self._states.items() if state == "to_call"]
        self._has_list = False
        return Released(len(released), Changes(contacts=True, reservations=True, status=True))

    # ------------------------------------------------------------ calling

    def next_contact_id(self, after_contact_id: int | None = None) -> int | None:
        ids = sorted(self._states)
        start = ids.index(after_contact_id) + 1 if after_contact_id in ids else 0
        for cid in ids[start:] + ids[:start]:
            if self._states[cid] in ("to_call", "call_back"):
                return cid
        return None

    def call_view(self, contact_id: int) -> CallView:
        if contact_id not in self._states:
            raise user_error(Code.CONTACT_GONE)
        first, last, phone, household, age, precinct, city = _PEOPLE[contact_id - 1]
        extra = (("age", age), ("precinct", precinct), ("city", city))
        members = tuple(
            HouseholdMember(i + 1, f"{p[0]} {p[1]}", self._states[i + 1])  # type: ignore[arg-type]
            for i, p in enumerate(_PEOPLE)
            if p[3] == household and i + 1 != contact_id
        )
        replaced = {d.supersedes for _rid, d in self.saved}
        attempts = tuple(
            Attempt(
                rid, self.now, d.disposition, d.notes, False, dict(d.answers), bool(d.supersedes)
            )
            for rid, d in self.saved
            if d.contact_id == contact_id and rid not in replaced
        )
        return CallView(
            contact_id=contact_id,
            reservation_id=41,
            campaign_id=1,
            first_name=first,
            last_name=last,
            phone=phone,
            timezone=self.timezone,
            local_time="14:05 Tue" if self.within_hours else "22:40 Tue",
            within_calling_hours=self.within_hours,
            calling_hours=("09:00", "21:00"),
            state=self._states[contact_id],  # type: ignore[arg-type]
            household=members,
            extra=extra,
            hub_attempts=1 if contact_id == 4 else 0,
            attempts=attempts,
            script=SAMPLE_SCRIPT,
            intro=SAMPLE_SCRIPT.intro.replace("{first_name}", first).replace(
                "{volunteer_name}", "Sam"
            ),
            closing=SAMPLE_SCRIPT.closing,
            volunteer_name="Sam Rivera",
            intros={
                code: tr.intro.replace("{first_name}", first).replace("{volunteer_name}", "Sam")
                for code, tr in SAMPLE_SCRIPT.translations.items()
            },
        )

    def _row(self, contact_id: int) -> ContactRow:
        first, last, phone, household, *_ = _PEOPLE[contact_id - 1]
        return ContactRow(
            id=contact_id,
            name=f"{first} {last}",
            phone=phone,
            household=household,
            state=self._states[contact_id],  # type: ignore[arg-type]
            attempts=1 if contact_id == 4 else 0,
        )

    def record_result(self, draft: ResultDraft) -> SavedResult:
        result_id = uuid.uuid4()
        self.saved.append((result_id, draft))
        self.discard_draft(draft.contact_id)
        state = {"call_back": "call_back", "do_not_call": "dnc"}.get(draft.disposition, "done")
        self._states[draft.contact_id] = state
        return SavedResult(
            result_id,
            draft.contact_id,
            state,  # type: ignore[arg-type]
            Changes(
                rows=(self._row(draft.contact_id),),
                pending=len(self.saved),
                progress=self._status().progress,
            ),
        )

    def retry_outlook(self) -> RetryOutlook | None:
        return self.retries

    def save_draft(self, draft: CallDraft) -> Changes:
        self.draft = replace(draft, saved_at=self.now)
        return Changes()

    def saved_draft(self) -> CallDraft | None:
        return self.draft

    def discard_draft(self, contact_id: int | None = None) -> Changes:
        if contact_id is None or (self.draft is not None and self.draft.contact_id == contact_id):
            self.draft = None
        return Changes()

    # ------------------------------------------------------------ status and sync

    def status(self) -> StatusView:
        self.status_calls += 1
        return self._status()

    def _status(self) -> StatusView:
        return StatusView(
            signed_in=self.signed_in,
            online=self.online,
            syncing=False,
            pending=len(self.saved) or 3,
            pending_feedback=0,
            last_sync_at=self.synced_at,
            last_error=None if self.online else "The hub can't be reached.",
            progress=ProgressView(1, 1_000_000, 612_384 + len(self.saved), 14),
            needs_sign_in=False,
            needs_upgrade=False,
            queued_get_names=None,
        )

    def sync_once(self) -> SyncReport:
        self.sync_calls += 1
        if not self.online:
            return SyncReport(
                ok=False, online=False, retry_in=5, message="Offline", changes=Changes(status=True)
            )
        return SyncReport(ok=True, online=True, changes=Changes(status=True))

    def hub_reachable(self) -> bool:
        self.probes += 1
        return self.online

    def my_languages(self) -> list[str]:
        return list(self.languages)

    def set_my_languages(self, codes: list[str]) -> None:
        self.languages = list(codes)

    def send_feedback(self, text: str, campaign_id: int | None = None) -> Changes:
        if not text.strip():
            raise user_error(Code.FEEDBACK_EMPTY)
        self.feedback.append(text)
        return Changes(status=True)

    def close(self) -> None:
        pass

    def set_state(self, contact_id: int, state: str) -> None:
        self._states[contact_id] = state
