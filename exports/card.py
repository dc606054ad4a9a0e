"""Render the export's data card (`README.md`): counts, labels, agreement, cleaning, provenance."""

from __future__ import annotations

import importlib.metadata
import platform
from collections import Counter

from exports import scheme
from exports.agreement import agreement_rows
from exports.splits import SPLITS

TOOLS = (
    "label-studio-sdk",
    "spacy",
    "datasets",
    "pandas",
    "pyarrow",
    "krippendorff",
    "scikit-learn",
    "matplotlib",
    "networkx",
)

FILES = (
    (
        "gold.jsonl",
        "one gold document per line: text, spans (with raw offsets), relations, stance, annotators, provenance",
    ),
    (
        "gold.csv, gold.parquet",
        "one row per document; CSV cells holding spans/relations are JSON, cells starting "
        "with = + - @ are prefixed with a quote",
    ),
    (
        "train.spacy, dev.spacy, test.spacy",
        "spaCy DocBin: entities (longest of overlapping spans), every gold span "
        "in `doc.spans['gold']`, stance in `doc.cats`, doc id and relations in "
        "`doc.user_data`",
    ),
    (
        "hf/",
        "Hugging Face DatasetDict (`datasets.load_from_disk`): splits train, validation (= dev), test; "
        "tokens, BIO `ner_tags`, spans, relations, stance as ClassLabels (-1: none)",
    ),
    (
        "conll/<split>.conll",
        "CoNLL-2003 BIO: `-DOCSTART- -X- <doc_id> O` opens each document; `token -X- -X- tag`",
    ),
    ("stance/<split>.tsv", "SemEval-2016 Task 6 style: ID, Target, Text (on one line), Stance"),
    (
        "actors.csv",
        "the stance network's nodes, one row per actor id in the gold: id (Wikidata QID, local: or new: id), "
        "name, label and country (the most frequent on its gold spans), mentions, documents, the aliases the "
        "gold spans use (joined by '; '), source (gazetteer, annotator: a new actor, unlisted)",
    ),
    (
        "stance_edges.csv",
        "one row per gold relation between two actors with ids: source and target actor (id and name), stance, "
        "document, date, the sentence that holds both spans, the two spans' texts",
    ),
    (
        "stance_network.graphml",
        "the same network for networkx (`networkx.read_graphml(path, force_multigraph=True)`) and Gephi: "
        "a directed multigraph, one edge per (source, target, stance) keyed by the stance, with `count` "
        "(relations), `documents` and `doc_ids`",
    ),
    ("stance_network.png", "the network's picture: nodes coloured by sector and sized by mentions, edges by stance"),
    (
        "conflicts.jsonl",
        "one open item per line (document id, task id, item kind: stance, span, attribute or relation; where "
        "it is; why it is open; each annotator's answer), for adjudication",
    ),
    (
        "span_checks.jsonl",
        "gold spans whose text did not match the document at their offsets, and what was done",
    ),
    (
        "agreement.json, agreement.png",
        "inter-annotator agreement on the independent answers, with 95% bootstrap intervals, and its chart",
    ),
    (
        "agreement_documents.jsonl",
        "one compared document per line, the most disagreeing first: what its annotators disagree on",
    ),
)


RESOLUTION_TEXT = (
    "Resolution is item by item: the stance, each span (a cluster of overlapping spans), each span attribute "
    "and each relation. An item more than half of the independent annotators answered alike is **agreed**; "
    "with one annotator it is **single**; otherwise it is **open** until an adjudication (a curator's answer, "
    "or the answer starred as ground truth) settles it: **adjudicated**. An adjudication changes only open "
    "items. A relation is gold only when both its ends are; one given two labels stays open. A document is "
    "gold when none of its items is open.",
)


DOCUMENT_RESOLUTION = {  # a record's `resolution`, as the card says it
    "agreed": "every item agreed",
    "single": "one annotator",
    "adjudicated": "some items adjudicated",
    "open": "items left open (--include-unresolved)",
}


def tool_versions() -> dict[str, str]:
    """Return the versions of Python and of the libraries that made the export."""
    versions = {"python": platform.python_version()}
    for name in TOOLS:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def render_card(name: str, records: list[dict], facts: dict, agreement: dict) -> str:
    """Render the data card from the gold records, the export's facts and the agreement report."""
    lines = [
        f"# Gold dataset `{name}`",
        "",
        "Actor spans, stance relations between actors and document stance toward a target, annotated in "
        "Label Studio and resolved item by item to one gold answer per document.",
        "",
    ]
    lines += _counts(records, facts)
    lines += _distributions(records)
    lines += [
        "## Agreement",
        "",
        f"{agreement['tasks_compared']} of {agreement['tasks']} tasks had two or more independent answers "
        f"({', '.join(agreement['annotators']) or 'none'}). Agreement is measured on those answers before any "
        "adjudication: starring an answer as ground truth does not change it"
        + (f"; answers by the curators ({', '.join(agreement['curators'])}) are adjudications, not answers." if
           agreement["curators"] else "."),
        f"Intervals: 95% bootstrap over documents ({agreement['bootstrap']['resamples']} resamples, "
        f"seed {agreement['bootstrap']['seed']}).",
        "",
        "| measure | label | value | 95% interval | items |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [f"| {m} | {label} | {v} | {ci} | {n} |" for m, label, v, ci, n in agreement_rows(agreement)]
    if agreement["warnings"]:
        lines += ["", f"Fewer than {agreement['min_items']} items (indicative only):", ""]
        lines += [f"- {w}" for w in agreement["warnings"]]
    lines += ["", "## Resolution", "", *RESOLUTION_TEXT, ""]
    lines += _items(facts)
    lines += [
        (
            f"{facts['held_back']} document(s) with open items are included with their settled items only "
            "(`resolved: false`, `open_items` lists the rest)."
            if facts["include_unresolved"]
            else f"{facts['held_back']} document(s) with open items are held back until those are adjudicated."
        ),
        "",
    ]
    lines += _network(facts["network"])
    lines += _cleaning(records)
    lines += [
        "## Splits",
        "",
        f"Ratios {facts['ratios']} (train, dev, test), seed {facts['seed']}, stratified by stance; "
        "near-duplicates and articles from the same site are kept in one split "
        f"({facts['groups']} groups).",
        "",
    ]
    lines += ["## Files", "", "| file | content |", "|---|---|"]
    lines += [f"| {f} | {what} |" for f, what in FILES]
    lines += ["", "## Provenance", ""]
    lines += [f"- {key}: `{value}`" for key, value in facts["provenance"].items()]
    lines += ["", "## Tools", ""]
    lines += [f"- {tool} {version}" for tool, version in facts["tools"].items()]
    return "\n".join(lines) + "\n"


def _items(facts: dict) -> list[str]:
    """Table of items per kind and status (agreed, single, adjudicated, open)."""
    items = facts["items"]
    statuses = ("agreed", "single", "adjudicated", "open")
    lines = ["| item | " + " | ".join(statuses) + " |", "|---|" + "---:|" * len(statuses)]
    lines += [f"| {kind} | " + " | ".join(str(items[kind].get(s, 0)) for s in statuses) + " |" for kind in items]
    totals = [sum(items[kind].get(s, 0) for kind in items) for s in statuses]
    lines += ["| all | " + " | ".join(map(str, totals)) + " |", ""]
    return lines


def _counts(records: list[dict], facts: dict) -> list[str]:
    per_split = Counter(r["split"] for r in records)
    lines = [
        "## Counts",
        "",
        "| | count |",
        "|---|---:|",
        f"| tasks in the snapshot | {facts['tasks']} |",
        f"| tasks without annotations | {facts['unannotated']} |",
        f"| gold documents | {len(records)} |",
    ]
    lines += [f"| {split} | {per_split[split]} |" for split in SPLITS]
    lines += [
        f"| gold documents: {DOCUMENT_RESOLUTION.get(method, method)} | {n} |"
        for method, n in sorted(Counter(r["resolution"] for r in records).items())
    ]
    lines += [
        f"| open items (in conflicts.jsonl) | {facts['conflicts']} |",
        f"| documents held back for open items | {facts['held_back']} |",
        f"| spans realigned to their text | {facts['realigned']} |",
        f"| tasks left out: span text not found | {facts['excluded']} |",
        f"| spans not in BIO/`doc.ents` (overlapping) | {facts['dropped_from_bio']} |",
        "",
    ]
    return lines


def _distributions(records: list[dict]) -> list[str]:
    """Tables of stance, actor, relation and attribute labels per split."""
    lines = ["## Label distributions", ""]
    blocks = (
        ("stance", lambda r: [r["stance"] or "(unresolved)"]),
        ("actor spans", lambda r: [s["label"] for s in r["spans"]]),
        ("relations", lambda r: [x["label"] for x in r["relations"]]),
        *(
            (f"span {name}", lambda r, n=name: [s.get(n) or "(none)" for s in r["spans"]])
            for name in scheme.ATTRIBUTES
            if name != scheme.ACTOR_ID  # one row per actor: the network section lists them
        ),
    )
    for title, values in blocks:
        counts = {split: Counter(v for r in records if r["split"] == split for v in values(r)) for split in SPLITS}
        labels = sorted(set().union(*counts.values()))
        lines += [
            f"**{title}**",
            "",
            "| label | " + " | ".join(SPLITS) + " | all |",
            "|---|" + "---:|" * (len(SPLITS) + 1),
        ]
        lines += [
            f"| {label} | "
            + " | ".join(str(counts[s][label]) for s in SPLITS)
            + f" | {sum(counts[s][label] for s in SPLITS)} |"
            for label in labels
        ]
        lines += ["" if labels else "(none)", ""]
    return lines


def _network(facts: dict) -> list[str]:
    """The stance network section: counts, the biggest actors, the picture."""
    by_source = ", ".join(f"{n} {source}" for source, n in facts["actors_by_source"].items()) or "none"
    by_stance = ", ".join(f"{n} {stance}" for stance, n in facts["relations_by_stance"].items()) or "none"
    lines = [
        "## Stance network",
        "",
        "Every gold span carries the id of the actor it names (`actor_id`), so the relations between spans "
        "are stances between actors: `actors.csv`, `stance_edges.csv` and `stance_network.graphml` hold that "
        "network: all the spans of one actor are one node, whatever words name it.",
        "",
        f"{facts['actors']} actors ({by_source}); {facts['relations']} gold relations ({by_stance}) on "
        f"{facts['edges']} edges by (source, target, stance); {facts['unlinked_relations']} relation(s) left "
        "out because an end has no actor id.",
        "",
    ]
    if facts["top_actors"]:
        lines += ["| actor | id | mentions |", "|---|---|---:|"]
        lines += [f"| {name} | `{actor_id}` | {n} |" for name, actor_id, n in facts["top_actors"]]
        lines.append("")
    return lines + ["![The stance network: nodes by sector, edges by stance](stance_network.png)", ""]


def _cleaning(records: list[dict]) -> list[str]:
    steps = Counter(step for r in records for step in r["provenance"]["cleaning_steps"])
    lines = [
        "## Cleaning",
        "",
        "Texts are the cleaner's output (`cleaning/`); every span also carries `raw_start`/`raw_end` in the "
        "raw scraped text, mapped back through the cleaner's edit log.",
        "",
    ]
    if steps:
        lines += ["| cleaning step | documents |", "|---|---:|"] + [f"| {s} | {n} |" for s, n in sorted(steps.items())]
    else:
        lines.append("No cleaning step changed these documents.")
    return lines + [""]
