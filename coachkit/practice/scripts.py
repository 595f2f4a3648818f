"""The practice conversation's scripted coachees: one JSON file per scenario in assets/practice/, checked.

A script says who the coachee is, what they say first, the layers of their situation that open questions
draw out in order, the replies to every other kind of turn, and which layers count as reaching each stage of
GROW. The model that plays a script is in coachkit/practice/conversation.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachkit.paths import assets_dir
from coachkit.roleplay.scenarios import ID_PATTERN, Scenario, ScenarioError, load_scenarios, read_json_file

TEXT_LIMIT = 600  # characters in one line of the coachee's; a reply is a few sentences, not a speech
STAGES = ("goal", "reality", "options", "will")
# Goal and Reality come in either order; options only after both; a first step last of all
LAYER_RANK = {"reality": 0, "goal": 0, "options": 1, "will": 2}
# The reply groups every script needs, one per kind of turn the coachee answers in its own way (an open
# question reveals the next layer instead). "guarded" answers an open question right after a loaded one;
# "done" answers an open question once every layer is out.
REPLY_GROUPS = (
    "closed",
    "leading",
    "loaded",
    "why",
    "silence",
    "playback",
    "advice",
    "contracting",
    "stacked",
    "other-language",
    "statement",
    "guarded",
    "done",
)
MIN_VARIANTS = 2  # so the same kind of turn twice in a row never gets the same sentence
POSSESSIVES = ("his", "her", "their")


class ScriptError(ValueError):
    """A practice script is missing or broken; the message names the file and the field."""


@dataclass(frozen=True)
class Layer:
    """One part of the coachee's situation; an open question reveals it, a silence after it adds ``aloud``."""

    id: str
    stage: str
    ask: str  # an open question that would draw this layer out: offered as the better option in feedback
    reply: str
    aloud: str


@dataclass(frozen=True)
class StageGoal:
    """What counts as reaching one GROW stage: every layer in ``reached_when`` revealed."""

    reached_when: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class CoacheeScript:
    id: str
    scenario: Scenario
    name: str
    possessive: str
    manner: str
    opening: str
    opening_aloud: str
    layers: tuple[Layer, ...]
    replies: dict[str, tuple[str, ...]]
    stages: dict[str, StageGoal]

    @property
    def title(self) -> str:
        return self.scenario.title


def scripts_dir() -> Path:
    return assets_dir() / "practice"


def _text(value: object, where: str, source: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScriptError(f"{source}: '{where}' must be non-empty text.")
    if len(value) > TEXT_LIMIT:
        raise ScriptError(f"{source}: '{where}' is {len(value)} characters; the limit is {TEXT_LIMIT}.")
    return value.strip()


def _object(value: object, where: str, source: str) -> dict:
    if not isinstance(value, dict):
        raise ScriptError(f"{source}: '{where}' must be a JSON object.")
    return value


def _fields(raw: dict, where: str, source: str, names: tuple[str, ...]) -> None:
    missing = [name for name in names if name not in raw]
    if missing:
        raise ScriptError(f"{source}: '{where}' is missing {', '.join(repr(m) for m in missing)}.")
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise ScriptError(f"{source}: '{where}' has unknown fields {', '.join(repr(u) for u in unknown)}.")


def parse_script(raw: object, cards: dict[str, Scenario], source: str = "script") -> CoacheeScript:
    """One script from its JSON data, or ScriptError saying which field of ``source`` is wrong."""
    raw = _object(raw, "the script", source)
    _fields(
        raw, "the script", source, ("id", "scenario", "persona", "opening", "layers", "replies", "stages")
    )
    script_id = _text(raw["id"], "id", source)
    if not ID_PATTERN.match(script_id):
        raise ScriptError(
            f"{source}: id {script_id!r} must be lower-case letters, digits and single hyphens."
        )
    card_id = _text(raw["scenario"], "scenario", source)
    if card_id not in cards:
        raise ScriptError(f"{source}: 'scenario' {card_id!r} is not a card in assets/scenarios/.")

    persona = _object(raw["persona"], "persona", source)
    _fields(persona, "persona", source, ("name", "possessive", "manner"))
    possessive = _text(persona["possessive"], "persona.possessive", source)
    if possessive not in POSSESSIVES:
        raise ScriptError(f"{source}: 'persona.possessive' must be one of {', '.join(POSSESSIVES)}.")
    opening = _object(raw["opening"], "opening", source)
    _fields(opening, "opening", source, ("says", "aloud"))

    if not isinstance(raw["layers"], list) or not raw["layers"]:
        raise ScriptError(f"{source}: 'layers' must be a non-empty list.")
    layers: list[Layer] = []
    for number, item in enumerate(raw["layers"], start=1):
        where = f"layers[{number}]"
        item = _object(item, where, source)
        _fields(item, where, source, ("id", "stage", "ask", "reply", "aloud"))
        layer = Layer(**{key: _text(item[key], f"{where}.{key}", source) for key in item})
        if layer.stage not in STAGES:
            raise ScriptError(f"{source}: '{where}.stage' must be one of {', '.join(STAGES)}.")
        if any(layer.id == other.id for other in layers):
            raise ScriptError(f"{source}: '{where}.id' {layer.id!r} is used twice.")
        layers.append(layer)
    order = [LAYER_RANK[layer.stage] for layer in layers]
    if order != sorted(order) or layers[-1].stage != "will":
        raise ScriptError(
            f"{source}: the layers must put reality and goal first, then options, and end with will (a first "
            "step), so the coachee names a first step only after the questions got them there."
        )

    replies_raw = _object(raw["replies"], "replies", source)
    _fields(replies_raw, "replies", source, REPLY_GROUPS)
    replies: dict[str, tuple[str, ...]] = {}
    for group in REPLY_GROUPS:
        variants = replies_raw[group]
        if not isinstance(variants, list) or len(variants) < MIN_VARIANTS:
            raise ScriptError(f"{source}: 'replies.{group}' must be a list of at least {MIN_VARIANTS} lines.")
        lines = tuple(_text(line, f"replies.{group}[{i}]", source) for i, line in enumerate(variants, 1))
        if len(set(lines)) != len(lines):
            raise ScriptError(f"{source}: 'replies.{group}' has the same line twice.")
        replies[group] = lines

    stages_raw = _object(raw["stages"], "stages", source)
    _fields(stages_raw, "stages", source, STAGES)
    known = {layer.id: layer for layer in layers}
    stages: dict[str, StageGoal] = {}
    for stage in STAGES:
        item = _object(stages_raw[stage], f"stages.{stage}", source)
        _fields(item, f"stages.{stage}", source, ("reached_when", "summary"))
        needed = item["reached_when"]
        if not isinstance(needed, list) or not needed:
            raise ScriptError(
                f"{source}: 'stages.{stage}.reached_when' must be a non-empty list of layer ids."
            )
        for layer_id in needed:
            if layer_id not in known:
                raise ScriptError(
                    f"{source}: 'stages.{stage}.reached_when' names {layer_id!r}, which no layer has."
                )
            if known[layer_id].stage != stage:
                raise ScriptError(
                    f"{source}: 'stages.{stage}.reached_when' names {layer_id!r}, "
                    f"a layer of {known[layer_id].stage}."
                )
        stages[stage] = StageGoal(tuple(needed), _text(item["summary"], f"stages.{stage}.summary", source))

    return CoacheeScript(
        id=script_id,
        scenario=cards[card_id],
        name=_text(persona["name"], "persona.name", source),
        possessive=possessive,
        manner=_text(persona["manner"], "persona.manner", source),
        opening=_text(opening["says"], "opening.says", source),
        opening_aloud=_text(opening["aloud"], "opening.aloud", source),
        layers=tuple(layers),
        replies=replies,
        stages=stages,
    )


def load_scripts(folder: Path | None = None, cards: list[Scenario] | None = None) -> list[CoacheeScript]:
    """Every script in ``folder`` (default assets/practice/) by title; ScriptError if any is broken."""
    folder = scripts_dir() if folder is None else Path(folder)
    try:
        by_id = {card.id: card for card in (load_scenarios() if cards is None else cards)}
    except ScenarioError as exc:
        raise ScriptError(f"The scenario cards could not be loaded: {exc}") from exc
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ScriptError(f"No practice scripts (*.json) found in {folder}.")
    scripts: list[CoacheeScript] = []
    for file in files:
        script = parse_script(read_json_file(file, ScriptError), by_id, file.name)
        if script.id != file.stem:
            raise ScriptError(f"{file.name}: id {script.id!r} must match the file name ({file.stem!r}).")
        scripts.append(script)
    return sorted(scripts, key=lambda script: script.title.lower())
