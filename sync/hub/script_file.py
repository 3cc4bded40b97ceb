"""Script files (YAML, SPEC §4): parse, validate, and say exactly what is wrong and where.

    doc = parse_script(text)        # ScriptDocument, or ScriptError naming question and field

YAML's old yes/no booleans are switched off, so `value: yes` stays the string "yes".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sync.hub.script_errors import ScriptError as ScriptError
from sync.hub.script_translations import check_language, check_translations
from sync.protocol import DEFAULT_LANGUAGE, END, Option, Question, QuestionKind, ScriptTranslation

ID_PATTERN = re.compile(r"^[a-z0-9_]+$")
# What the app fills in the intro and closing (desktop/services/calls.py).
PLACEHOLDERS = ("first_name", "last_name", "volunteer_name")
_PLACEHOLDER = re.compile(r"\{\s*(\w+)\s*\}")
MAX_QUESTIONS = 200
MAX_OPTIONS = 20
MAX_SCALE_POINTS = 11  # 0..10
MAX_FILE_BYTES = 1_000_000

Path_ = tuple[str | int, ...]


class ScriptDocument(BaseModel):
    """A validated script, ready to publish as a new version.

    `warnings` are things an organizer should know that do not stop publishing.
    """

    title: str
    intro: str
    closing: str = ""
    questions: list[Question]
    language: str = DEFAULT_LANGUAGE
    translations: dict[str, ScriptTranslation] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- YAML with line numbers


class _Loader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans (YAML 1.2), so yes/no/on/off are text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


MAX_DEPTH = 12  # a script nests 5 deep; anything far deeper is not a script


def _load(text: str) -> tuple[Any, dict[Path_, int]]:
    """The document and the line (1-based) of every value in it, keyed by its path.

    Anchors and aliases are refused: scripts have no use for them, and an alias bomb
    (a few lines that expand to billions of items) must not hang the hub.
    """
    try:
        loader = _Loader(text)  # refuses control characters at once, before parsing
    except yaml.reader.ReaderError as exc:
        raise _unprintable(exc, text) from None
    lines: dict[Path_, int] = {}
    seen: set[int] = set()

    def walk(node: yaml.Node, path: Path_) -> None:
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise ScriptError("anchors and aliases (& and *) are not supported", line=line)
        seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise ScriptError("nested too deeply to be a script", line=line)
        lines[path] = line
        if isinstance(node, yaml.ScalarNode) and "\x00" in node.value:
            # A "\0" escape: no script needs one, and PostgreSQL text cannot hold it.
            raise ScriptError("the text contains a NUL character (\\0)", line=line)
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if "\x00" in name:
                    raise ScriptError(
                        "a key contains a NUL character (\\0)", line=key.start_mark.line + 1
                    )
                if name in keys:
                    raise ScriptError(f"duplicate key {name!r}", line=key.start_mark.line + 1)
                keys.add(name)
                walk(value, (*path, name))
                lines[(*path, name)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines
        walk(node, ())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem])) or "not valid YAML"
        raise ScriptError(
            f"not valid YAML: {problem}", line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise ScriptError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise ScriptError("nested too deeply to be a script") from None
    finally:
        loader.dispose()
    return data, lines


def _unprintable(exc: yaml.reader.ReaderError, text: str) -> ScriptError:
    character = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
    return ScriptError(
        f"the file contains a control character{character}, which a script cannot hold",
        line=text.count("\n", 0, exc.position) + 1,
    )


# ---------------------------------------------------------------- structure (pydantic)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


class _RawOption(_Strict):
    value: str = Field(min_length=1, max_length=100)
    label: str | None = Field(default=None, max_length=200)
    next: str | None = None


class _RawQuestion(_Strict):
    id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=2000)
    kind: QuestionKind
    options: list[_RawOption] = Field(default_factory=list, max_length=MAX_OPTIONS)
    next: str | None = None
    scale_min: int | None = None
    scale_max: int | None = None


class _RawScript(_Strict):
    title: str = Field(min_length=1, max_length=300)
    intro: str = Field(min_length=1, max_length=10_000)
    closing: str = Field(default="", max_length=10_000)
    questions: list[_RawQuestion] = Field(min_length=1, max_length=MAX_QUESTIONS)
    # Checked by sync/hub/script_translations.py, with messages of their own.
    language: Any = None
    translations: Any = None


def _structure_error(exc: ValidationError, data: Any, lines: dict[Path_, int]) -> ScriptError:
    error = exc.errors()[0]
    loc: Path_ = tuple(error["loc"])
    question: str | None = None
    field: str | None = None
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        raw = data["questions"][loc[1]] if isinstance(data, dict) else None
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        question = str(raw_id) if isinstance(raw_id, str | int) else f"#{loc[1] + 1}"
        rest = loc[2:]
        field = ".".join(str(p) if isinstance(p, str) else f"[{p + 1}]" for p in rest) or None
        if field:
            field = field.replace(".[", "[")
    elif loc:
        field = str(loc[0])
    message = error["msg"]
    if error["type"] == "missing":
        message = "is missing"
    elif error["type"] == "extra_forbidden":
        message = "is not a known field"
    elif error["type"] == "enum":
        kinds = ", ".join(k.value for k in QuestionKind)
        message = f"unknown kind {error.get('input')!r} (expected one of: {kinds})"
    elif error["type"] in ("string_too_short", "too_short"):
        message = "is empty"
    line = None
    for depth in range(len(loc), 0, -1):
        if loc[:depth] in lines:
            line = lines[loc[:depth]]
            break
    return ScriptError(message, question=question, field=field, line=line)


# ---------------------------------------------------------------- meaning


def _check_question(raw: _RawQuestion, index: int, lines: dict[Path_, int]) -> Question:
    def fail(field: str | None, message: str, *path: str | int) -> ScriptError:
        return ScriptError(
            message,
            question=raw.id,
            field=field,
            line=lines.get(("questions", index, *path)) or lines.get(("questions", index)),
        )

    if not ID_PATTERN.match(raw.id):
        raise fail("id", "must use only a-z, 0-9 and _", "id")
    if raw.id == END:
        raise fail("id", f"{END!r} is reserved for finishing the script", "id")
    kind = raw.kind
    options = raw.options
    scale_min, scale_max = 1, 5
    if kind in (QuestionKind.choice, QuestionKind.multi) and not options:
        raise fail("options", f"a {kind.value} question needs at least one option")
    if kind == QuestionKind.text and options:
        raise fail("options", "a text question takes no options", "options")
    if kind == QuestionKind.yesno:
        for n, option in enumerate(options):
            if option.value not in ("yes", "no"):
                raise fail(
                    f"options[{n + 1}].value",
                    f"a yes/no question's options are 'yes' and 'no', got {option.value!r}",
                    "options",
                    n,
                    "value",
                )
    if kind == QuestionKind.scale:
        if options:
            raise fail("options", "a scale question takes scale_min and scale_max", "options")
        scale_min = 1 if raw.scale_min is None else raw.scale_min
        scale_max = 5 if raw.scale_max is None else raw.scale_max
        if scale_max <= scale_min:
            raise fail(
                "scale_max",
                f"must be greater than scale_min ({scale_min}), got {scale_max}",
                "scale_max",
            )
        if scale_max - scale_min + 1 > MAX_SCALE_POINTS:
            raise fail(
                "scale_max",
                f"a scale has at most {MAX_SCALE_POINTS} points ({scale_min}..{scale_max})",
                "scale_max",
            )
    elif raw.scale_min is not None or raw.scale_max is not None:
        field = "scale_min" if raw.scale_min is not None else "scale_max"
        raise fail(field, "only a scale question has a scale", field)
    seen: set[str] = set()
    built: list[Option] = []
    for n, option in enumerate(options):
        if option.value in seen:
            raise fail(
                f"options[{n + 1}].value",
                f"duplicate option value {option.value!r}",
                "options",
                n,
                "value",
            )
        seen.add(option.value)
        if kind == QuestionKind.multi and option.next is not None:
            raise fail(
                f"options[{n + 1}].next",
                "a multi question cannot branch per option; give the question a `next`",
                "options",
                n,
                "next",
            )
        label = option.label or (
            option.value.capitalize() if kind == QuestionKind.yesno else option.value
        )
        built.append(Option(value=option.value, label=label, next=option.next))
    return Question(
        id=raw.id,
        text=raw.text,
        kind=kind,
        options=built,
        next=raw.next,
        scale_min=scale_min,
        scale_max=scale_max,
    )


def _targets(question: Question, following: str) -> list[tuple[str, str, Path_, bool]]:
    """(target, field, path, taken) for every `next` of `question` and its fall-through.

    `taken` is False for a question's own `next` that no answer can reach (every option
    branches): it must still name a question, but it cannot make a loop.
    """
    out: list[tuple[str, str, Path_, bool]] = []
    falls_through = True
    if question.kind in (QuestionKind.choice, QuestionKind.yesno):
        for n, option in enumerate(question.options):
            if option.next is not None:
                out.append((option.next, f"options[{n + 1}].next", ("options", n, "next"), True))
        falls_through = any(option.next is None for option in question.choices())
    if question.next is not None:
        out.append((question.next, "next", ("next",), falls_through))
    elif falls_through:
        out.append((following, "next", ("id",), True))
    return out


def _check_graph(questions: list[Question], lines: dict[Path_, int]) -> dict[str, list[str]]:
    """Refuse unknown targets and loops; return the branching graph (question -> next ids)."""
    ids = [q.id for q in questions]
    index = {qid: n for n, qid in enumerate(ids)}
    edges: dict[str, list[str]] = {}
    for n, question in enumerate(questions):
        following = ids[n + 1] if n + 1 < len(ids) else END
        edges[question.id] = []
        for target, field, path, taken in _targets(question, following):
            if target != END and target not in index:
                raise ScriptError(
                    f"unknown question {target!r} (use a question id or {END!r})",
                    question=question.id,
                    field=field,
                    line=lines.get(("questions", n, *path)),
                )
            if target != END and taken:
                edges[question.id].append(target)
    # Any cycle would trap a caller in the script: refuse it, naming the way back.
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(qid: str) -> None:
        state[qid] = 1
        stack.append(qid)
        for target in edges[qid]:
            if state.get(target) == 1:
                loop = [*stack[stack.index(target) :], target]
                raise ScriptError(
                    "the script loops: " + " -> ".join(loop),
                    question=qid,
                    field="next",
                    line=lines.get(("questions", index[qid])),
                )
            if target not in state:
                visit(target)
        stack.pop()
        state[qid] = 2

    for qid in ids:
        if qid not in state:
            visit(qid)
    return edges


def _unreachable(questions: list[Question], edges: dict[str, list[str]]) -> list[str]:
    """Questions no sequence of answers leads to, in script order."""
    reached: set[str] = set()
    todo = [questions[0].id]
    while todo:
        qid = todo.pop()
        if qid not in reached:
            reached.add(qid)
            todo.extend(edges[qid])
    return [q.id for q in questions if q.id not in reached]


def parse_script(text: str) -> ScriptDocument:
    """Validate a script file's text; raise ScriptError saying what and where."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScriptError(f"the file is larger than {MAX_FILE_BYTES // 1000} kB")
    data, lines = _load(text)
    if not isinstance(data, dict):
        raise ScriptError(
            "a script file is a mapping with title, intro, questions (and closing)", line=1
        )
    try:
        raw = _RawScript.model_validate(data)
    except ValidationError as exc:
        raise _structure_error(exc, data, lines) from None
    for field in ("intro", "closing"):
        _check_placeholders(getattr(raw, field), field, lines.get((field,)))
    seen: dict[str, int] = {}
    questions = []
    for n, raw_question in enumerate(raw.questions):
        if raw_question.id in seen:
            raise ScriptError(
                f"duplicate id (question {seen[raw_question.id] + 1} has it too)",
                question=raw_question.id,
                field="id",
                line=lines.get(("questions", n, "id")),
            )
        seen[raw_question.id] = n
        questions.append(_check_question(raw_question, n, lines))
    edges = _check_graph(questions, lines)
    warnings = [
        f"question {qid!r} can never be reached: no answer or `next` leads to it"
        for qid in _unreachable(questions, edges)
    ]
    language = check_language(data, lines)
    translations = check_translations(
        data, language, questions, raw.closing, lines, _check_placeholders
    )
    return ScriptDocument(
        title=raw.title,
        intro=raw.intro,
        closing=raw.closing,
        questions=questions,
        language=language,
        translations=translations,
        warnings=warnings,
    )


def _check_placeholders(text: str, field: str, line: int | None) -> None:
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0)[1:-1] not in PLACEHOLDERS:
            known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            raise ScriptError(
                f"unknown placeholder {match.group(0)} (the app fills {known})",
                field=field,
                line=line,
            )


def load_script_file(path: str | Path) -> ScriptDocument:
    """Read and validate a script file; unreadable files are ScriptErrors too."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScriptError("no such file") from None
    except IsADirectoryError:
        raise ScriptError("is a directory, not a script file") from None
    except OSError as exc:
        raise ScriptError(f"cannot read the file: {exc.strerror}") from None
    return parse_script(script_text(data))


def script_text(data: bytes) -> str:
    """A script file's bytes as text (UTF-8, a byte-order mark allowed), as `load-script`
    and the console's upload read it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScriptError(f"not UTF-8 text (byte {exc.start})") from None
