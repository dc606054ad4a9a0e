"""The gazetteer: canonical actors, the names texts give them, and the checks that keep one id per actor.

Researchers study actors, not strings: "Taliban" and "Islamic Emirate" are one
node of their network. Each entry of `actors.yaml` (or a file given with
``--actors``) is one actor with an ``id``: its Wikidata QID where the file's
author gives one (``Q42418``), a local id otherwise (``local:zalmay-khalilzad``,
made from the name when the entry gives no id). Nothing is looked up online.

Loading checks what would make an id ambiguous: two entries with one id, or
one alias claimed by two actors (a match could then name either). Each problem
is a `CorpusError` naming the file and both entries.

A span an annotator links to no listed actor gets a ``new:<slug of its name>``
id (`new_actor_id`); `corpus actors learn` turns such actors into entries for a
person to review.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cleaning.errors import CorpusError

GAZETTEER_FILE = Path(__file__).parent / "actors.yaml"
LOCAL_PREFIX = "local:"  # an actor the file's author gave no Wikidata id
NEW_PREFIX = "new:"  # an actor an annotator added: not in any gazetteer yet
QID = re.compile(r"Q[1-9][0-9]*")


def slugify(name: str) -> str:
    """Make a lowercase ASCII slug of a name, for ids.

    >>> slugify("Zalmay Khalilzad"), slugify("  Mullah Abdul Ghani Baradar's office "), slugify("Türkiye")
    ('zalmay-khalilzad', 'mullah-abdul-ghani-baradar-s-office', 'turkiye')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def local_id(name: str) -> str:
    """The id of an actor the file gives no id: ``local:`` and the slug of its name."""
    return LOCAL_PREFIX + slugify(name)


def new_actor_id(name: str) -> str | None:
    """The id of an actor an annotator typed in; None for a name with no letter or digit.

    >>> new_actor_id("Zalmay Khalilzad"), new_actor_id(" ")
    ('new:zalmay-khalilzad', None)
    """
    slug = slugify(name)
    return NEW_PREFIX + slug if slug else None


@dataclass(frozen=True)
class Actor:
    """One gazetteer entry: its id, canonical name, sector label and country, and how texts name it."""

    name: str
    label: str
    country: str
    aliases: tuple[str, ...]
    label_before: tuple[tuple[str, str], ...] = ()  # (ISO date, label) pairs, earliest first
    id: str = ""  # a Wikidata QID or a local id; empty: made from the name

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", local_id(self.name))

    def label_on(self, date: str | None) -> str | None:
        """Return the label for an article of `date` (ISO-8601); None if it depends on a date not given.

        >>> taliban = Actor("Taliban", "GOV", "AFG", ("Taliban",), (("2021-08-15", "REB"),))
        >>> taliban.label_on("2021-06-30"), taliban.label_on("2024-02-03"), taliban.label_on(None)
        ('REB', 'GOV', None)
        """
        if not date:
            return None if self.label_before else self.label
        for until, label in self.label_before:
            if date[:10] < until:
                return label
        return self.label


@dataclass(frozen=True)
class Match:
    """An alias found in a text: offsets in the clean text and the actor it names."""

    start: int
    end: int
    text: str
    actor: Actor


class Gazetteer:
    """Actors and one compiled pattern over all their aliases (longest alias first)."""

    def __init__(self, actors: list[Actor]):
        self.actors = actors
        self.by_id = {actor.id: actor for actor in actors}
        self.by_alias = {alias: actor for actor in actors for alias in actor.aliases}
        aliases = sorted(self.by_alias, key=lambda a: (-len(a), a))
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, aliases)) + r")(?!\w)") if aliases else None

    def find(self, text: str) -> list[Match]:
        """Find every alias in `text`, leftmost-longest, never overlapping.

        >>> g = Gazetteer([Actor("US State Department", "GOV", "USA", ("State Department", "U.S. State Department")),
        ...                Actor("Taliban", "GOV", "AFG", ("Taliban",))])
        >>> [(m.start, m.text) for m in g.find("The U.S. State Department condemned the Taliban’s killings")]
        [(4, 'U.S. State Department'), (40, 'Taliban')]
        """
        if self.pattern is None:
            return []
        return [Match(m.start(), m.end(), m.group(), self.by_alias[m.group()]) for m in self.pattern.finditer(text)]

    def candidates(self, text: str) -> list[Actor]:
        """Return the actors named in `text`, in the order the text first names them."""
        return named_actors(self.find(text))


def named_actors(matches: list[Match]) -> list[Actor]:
    """Return the actors that `matches` name, each once, in the order of their first match.

    For matches already found (`Gazetteer.find`), so a push that needs them
    for the pre-annotations too does not search the text again.
    """
    return list({m.actor.id: m.actor for m in matches}.values())


def actor_options(candidates: list[Actor], new_value: str, new_text: str) -> list[dict[str, str]]:
    """Return the options of a task's actor choice: each candidate, then "new actor".

    Label Studio builds a `<Choices value="$field">` from such a list in the
    task data: ``value`` is what the annotation records, ``html`` what the
    annotator reads.

    >>> [o["value"] for o in actor_options([Actor("Taliban", "GOV", "AFG", (), id="Q42418")], "new", "New actor")]
    ['Q42418', 'new']
    """
    options = [{"value": a.id, "html": f"<b>{html.escape(a.name)}</b> <small>{html.escape(a.country)} · "
                                      f"{html.escape(a.id)}</small>"} for a in candidates]
    return options + [{"value": new_value, "html": f"<i>{html.escape(new_text)}</i>"}]


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read and check a gazetteer file; every problem is a `CorpusError` naming the file and the entry."""
    path = Path(path or GAZETTEER_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(f"gazetteer not found: {path}", "give --actors the path of an actors.yaml") from None
    return parse_gazetteer(text, str(path))


def parse_gazetteer(text: str, path: str) -> Gazetteer:
    """Parse and check the text of a gazetteer file; `path` names it in the errors."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise CorpusError(f"{path}: not valid YAML: {err}", "annotation/actors.yaml is the model") from err
    if not isinstance(raw, dict) or not isinstance(raw.get("actors") or [], list):
        raise CorpusError(f"{path}: expected a mapping with a list under `actors`",
                          "annotation/actors.yaml is the model")
    entries = raw.get("actors") or []
    actors = [actor_from_dict(entry, f"{path}: actor #{number}") for number, entry in enumerate(entries, 1)]
    check_actors(actors, path)
    return Gazetteer(actors)


def actor_from_dict(entry: Any, where: str) -> Actor:
    """Build an `Actor` from one parsed entry; a malformed one is a `CorpusError` saying `where`."""
    try:
        before = tuple(sorted((str(d), str(lab)) for d, lab in (entry.get("label_before") or {}).items()))
        aliases = tuple(dict.fromkeys(str(a) for a in entry.get("aliases") or [entry["name"]]))
        actor = Actor(str(entry["name"]), str(entry["label"]), str(entry.get("country") or "OTHER"), aliases,
                      before, str(entry.get("id") or ""))
    except (KeyError, TypeError, AttributeError) as err:
        raise CorpusError(f"{where} is malformed (missing {err})",
                          "each actor needs name, label, country and aliases (and an id, or one is made)") from err
    if actor.id.startswith(NEW_PREFIX) or not (QID.fullmatch(actor.id) or actor.id.startswith(LOCAL_PREFIX)):
        raise CorpusError(f"{where} ({actor.name}) has id {actor.id!r}",
                          f"an id is a Wikidata QID like Q42418 or a local id like {local_id(actor.name)}")
    return actor


def check_actors(actors: list[Actor], where: str) -> None:
    """Fail on two entries with one id, or one alias claimed by two actors."""
    first_id: dict[str, int] = {}
    first_alias: dict[str, int] = {}
    for number, actor in enumerate(actors, 1):
        if actor.id in first_id:
            other = first_id[actor.id]
            raise CorpusError(f"{where}: actor #{number} ({actor.name}) has id {actor.id}, as actor #{other} "
                              f"({actors[other - 1].name}) has", "give each actor its own id, or merge the two entries")
        first_id[actor.id] = number
        for alias in actor.aliases:
            other = first_alias.setdefault(alias, number)
            if other != number:
                raise CorpusError(f"{where}: alias {alias!r} of actor #{number} ({actor.name}) is also an alias of "
                                  f"actor #{other} ({actors[other - 1].name})",
                                  "an alias names one actor: keep it in one entry")
