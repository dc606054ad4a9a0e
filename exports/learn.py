"""Learn actors from gold: what annotators added, written back into a gazetteer for a person to review.

Annotators meet actors the gazetteer lacks (they pick "new actor" and type a
name: ``new:<slug>``) and names of known actors it lacks ("the militants"
tagged as the Taliban). `learn_actors` collects both from the gold records of
an export; `write_gazetteer` writes a gazetteer file holding the base file
unchanged (its comments too, through ruamel.yaml) plus:

- one entry per new actor, with a ``local:<slug>`` id, the typed name, the
  label and country its gold spans have most often, the span texts as
  aliases, and a comment above it saying where it was learned;
- the new aliases of known actors, appended to their ``aliases`` with a
  comment naming them.

An alias that another actor already claims is not written (the gazetteer would
then refuse to load) but reported. The file written is loaded back with
`annotation.gazetteer.parse_gazetteer` before it is written, so what is
written is usable by the next ``corpus push --actors FILE``. Nothing is looked up online and no id is
guessed: a QID is for the reviewer to add.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from annotation.gazetteer import LOCAL_PREFIX, NEW_PREFIX, Gazetteer, parse_gazetteer
from cleaning.errors import CorpusError
from cleaning.writers import atomic_write
from exports import scheme
from exports.network import mentions_by_actor, most_common


@dataclass(frozen=True)
class NewActor:
    """An actor annotators added, as a gazetteer entry to review."""

    id: str  # local:<slug>, from the new:<slug> the gold gives it
    learned_from: str  # the new:<slug> id in the gold
    name: str
    label: str
    country: str
    aliases: tuple[str, ...]
    mentions: int
    documents: int


@dataclass
class Learned:
    """What the gold teaches the gazetteer, and what it could not take."""

    new_actors: list[NewActor] = field(default_factory=list)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # known actor id -> aliases to add
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (alias, for actor id, already of actor id)
    unlisted: list[str] = field(default_factory=list)  # ids neither in the gazetteer nor new: (another gazetteer?)

    @property
    def empty(self) -> bool:
        return not (self.new_actors or self.aliases)


def read_gold(folder: Path) -> list[dict]:
    """Read an export's gold.jsonl (the folder `corpus export` wrote, or the file itself)."""
    path = Path(folder)
    path = path / "gold.jsonl" if path.is_dir() else path
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise CorpusError(f"gold records not found: {path}", "give the folder `corpus export` wrote") from None
    try:
        return [json.loads(line) for line in lines if line.strip()]
    except json.JSONDecodeError as err:
        raise CorpusError(f"{path}, line {err.lineno}: not JSON", "give the gold.jsonl `corpus export` wrote") from err


def learn_actors(records: list[dict], gazetteer: Gazetteer) -> Learned:
    """Collect the new actors and the new aliases of known actors from the gold spans."""
    spans = mentions_by_actor(records)
    learned = Learned()
    claimed = {alias: actor.id for alias, actor in gazetteer.by_alias.items()}
    for actor_id, found in sorted(spans.items()):
        texts = sorted({span["text"] for _, span in found})
        if actor_id in gazetteer.by_id:
            known = set(gazetteer.by_id[actor_id].aliases)
            added = _claim([t for t in texts if t not in known], actor_id, claimed, learned)
            if added:
                learned.aliases[actor_id] = tuple(added)
        elif actor_id.startswith(NEW_PREFIX):
            local = LOCAL_PREFIX + actor_id[len(NEW_PREFIX):]
            if local in gazetteer.by_id:  # learned before and reviewed: its new names are aliases of that entry
                known = set(gazetteer.by_id[local].aliases)
                added = _claim([t for t in texts if t not in known], local, claimed, learned)
                if added:
                    learned.aliases[local] = tuple(sorted(set(learned.aliases.get(local, ())) | set(added)))
                continue
            learned.new_actors.append(_new_actor(actor_id, local, found, _claim(texts, local, claimed, learned)))
        else:
            learned.unlisted.append(actor_id)
    return learned


def _claim(texts: list[str], actor_id: str, claimed: dict[str, str], learned: Learned) -> list[str]:
    """Keep the texts no other actor claims as an alias (and claim them); report the others."""
    kept = []
    for text in texts:
        owner = claimed.setdefault(text, actor_id)
        if owner == actor_id:
            kept.append(text)
        else:
            learned.refused.append((text, actor_id, owner))
    return kept


def _new_actor(actor_id: str, local: str, found: list[tuple[str, dict]], aliases: list[str]) -> NewActor:
    spans = [span for _, span in found]
    name = most_common(s.get(scheme.ACTOR_NAME) for s in spans) or spans[0]["text"]
    return NewActor(local, actor_id, name, most_common(s["label"] for s in spans) or "OTHER",
                    most_common(s.get(scheme.COUNTRY) for s in spans) or "OTHER", tuple(aliases or [name]),
                    len(spans), len({doc_id for doc_id, _ in found}))


def write_gazetteer(base: Path, learned: Learned, out: Path, source: str, force: bool = False) -> Gazetteer:
    """Write `base` plus what was learned (from `source`, named in the comments) to `out`; return it loaded back.

    An existing `out` is replaced only with `force`; the caller says so.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if Path(out).exists() and not force:
        raise CorpusError(f"{out} exists: it was left as it is",
                          "give another --out, or --force to replace it (its comments are kept when it is the base)")
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    try:
        data = yaml.load(Path(base).read_text(encoding="utf-8")) or CommentedMap()
    except FileNotFoundError:
        raise CorpusError(f"gazetteer not found: {base}", "give --actors the path of an actors.yaml") from None
    entries = data.setdefault("actors", CommentedSeq())
    for entry in entries:
        added = learned.aliases.get(str(entry.get("id") or ""))
        if added:
            entry.setdefault("aliases", CommentedSeq([entry["name"]])).extend(added)
            entry.yaml_add_eol_comment(f"learned from {source}: {', '.join(added)} (review)", "aliases")
    for actor in learned.new_actors:
        aliases = CommentedSeq(actor.aliases)
        aliases.fa.set_flow_style()
        entries.append(CommentedMap(id=actor.id, name=actor.name, label=actor.label, country=actor.country,
                                    aliases=aliases))
        entries.yaml_set_comment_before_after_key(
            len(entries) - 1, indent=2,
            before=f"learned from {source}: {actor.learned_from}, {actor.mentions} mention(s) in "
                   f"{actor.documents} document(s); review the name, label, country and aliases, "
                   "and give a Wikidata QID as id if you know it")
    text = io.StringIO()
    yaml.dump(data, text)
    written = parse_gazetteer(text.getvalue(), str(out))  # checked before anything is written
    with atomic_write(Path(out)) as f:
        f.write(text.getvalue())
    return written
