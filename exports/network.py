"""The stance network as a dataset of its own: actors as nodes, who takes which stance toward whom as edges.

Built from the gold records alone. A node is an actor id, not a string: every
gold span carries the id of the actor it names (`actor_id`: a gazetteer id,
or ``new:<slug>`` for an actor an annotator added), so "Taliban" and "Islamic
Emirate" in any number of documents are one node, and a relation between two
spans resolves to a stance between their two actors. A relation with an end
that has no actor id is left out and counted (`Network.unlinked`).

Written as:

- ``actors.csv``: one row per actor (id, name, label, country, mentions,
  documents, the aliases the gold spans use for it, where the id comes from);
- ``stance_edges.csv``: one row per gold relation (source and target actor,
  stance, document, date, the sentence that holds both spans);
- ``stance_network.graphml``: the same for networkx and Gephi, one edge per
  (source, target, stance) with how many relations and documents it rests on;
- ``stance_network.png``: the picture, nodes coloured by sector, edges by stance.

A node's name is the gazetteer's where it knows the id, else the name
annotators typed for a new actor, else its most frequent mention; its label and
country are the ones its gold spans have most often (the label of an actor can
change with the date, as the Taliban's did).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from annotation.gazetteer import NEW_PREFIX, Gazetteer
from exports import scheme
from exports.writers import escape_formula

if TYPE_CHECKING:
    from spacy.tokens import Doc

ACTORS_FILE, EDGES_FILE = "actors.csv", "stance_edges.csv"
GRAPHML_FILE, PICTURE_FILE = "stance_network.graphml", "stance_network.png"
ACTOR_COLUMNS = ("id", "name", "label", "country", "mentions", "documents", "aliases", "source")
EDGE_COLUMNS = ("source", "source_name", "target", "target_name", "stance", "doc_id", "date", "sentence",
                "source_text", "target_text")
ALIAS_SEPARATOR = "; "  # joins the aliases in one CSV cell
STANCE_COLOURS = {"SUPPORTS": "#2ca02c", "OPPOSES": "#d62728", "NEUTRAL": "#7f7f7f"}
OTHER_COLOUR = "#bbbbbb"  # a stance or sector the maps above do not know


@dataclass(frozen=True)
class ActorNode:
    """One actor of the network and what the gold says about it."""

    id: str
    name: str
    label: str
    country: str
    mentions: int
    documents: int
    aliases: tuple[str, ...]
    source: str  # "gazetteer", "annotator" (a new actor) or "unlisted" (an id the gazetteer given lacks)


@dataclass(frozen=True)
class StanceEdge:
    """One gold relation, resolved to the actors of its two spans."""

    source: str
    target: str
    stance: str
    doc_id: str
    date: str | None
    sentence: str
    source_text: str
    target_text: str


@dataclass
class Network:
    """The actors and stance edges of a set of gold records, and the relations that could not be resolved."""

    actors: list[ActorNode] = field(default_factory=list)
    edges: list[StanceEdge] = field(default_factory=list)
    unlinked: int = 0  # gold relations with an end whose span has no actor id

    def names(self) -> dict[str, str]:
        return {a.id: a.name for a in self.actors}


def mentions_by_actor(records: list[dict]) -> dict[str, list[tuple[str, dict]]]:
    """Map each actor id to its gold spans, each with the document it stands in."""
    mentions: dict[str, list[tuple[str, dict]]] = {}
    for record in records:
        for span in record["spans"]:
            if span.get(scheme.ACTOR_ID):
                mentions.setdefault(span[scheme.ACTOR_ID], []).append((record["doc_id"], span))
    return mentions


def build_network(records: list[dict], docs: dict[str, Doc], gazetteer: Gazetteer) -> Network:
    """Resolve the gold records' spans to actors and their relations to stance edges."""
    mentions = mentions_by_actor(records)
    network = Network()
    for record in records:
        spans = record["spans"]
        for relation in record["relations"]:
            ends = spans[relation["source"]], spans[relation["target"]]
            if not all(end.get(scheme.ACTOR_ID) for end in ends):
                network.unlinked += 1
                continue
            network.edges.append(StanceEdge(
                ends[0][scheme.ACTOR_ID], ends[1][scheme.ACTOR_ID], relation["label"], record["doc_id"],
                record["provenance"].get("date"), sentence_of(docs[record["doc_id"]], ends), ends[0]["text"],
                ends[1]["text"]))
    network.actors = [actor_node(actor_id, found, gazetteer) for actor_id, found in sorted(mentions.items())]
    return network


def actor_node(actor_id: str, found: list[tuple[str, dict]], gazetteer: Gazetteer) -> ActorNode:
    """Sum up one actor's gold mentions: (doc id, span) pairs."""
    spans = [span for _, span in found]
    listed = gazetteer.by_id.get(actor_id)
    typed = most_common(s.get(scheme.ACTOR_NAME) for s in spans)
    name = listed.name if listed else typed or most_common(s["text"] for s in spans)
    source = "gazetteer" if listed else "annotator" if actor_id.startswith(NEW_PREFIX) else "unlisted"
    return ActorNode(
        actor_id, name, most_common(s["label"] for s in spans) or "",
        most_common(s.get(scheme.COUNTRY) for s in spans) or (listed.country if listed else ""),
        len(spans), len({doc_id for doc_id, _ in found}), tuple(sorted({s["text"] for s in spans})), source)


def most_common(values) -> str | None:
    """Return the commonest value that is set, or None."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def sentence_of(doc: Doc, ends: tuple[dict, dict]) -> str:
    """Return the sentence(s) that hold both spans of a relation, on one line.

    >>> from exports.tokens import blank_pipeline
    >>> doc = blank_pipeline()("Kabul is calm. The UN urged the Taliban to talk. Nobody came.")
    >>> sentence_of(doc, ({"start": 19, "end": 21}, {"start": 32, "end": 39}))
    'The UN urged the Taliban to talk.'
    """
    start, end = min(e["start"] for e in ends), max(e["end"] for e in ends)
    sentences = [s for s in doc.sents if s.start_char < end and start < s.end_char]
    if not sentences:
        return " ".join(doc.text[start:end].split())
    return " ".join(doc.text[sentences[0].start_char : sentences[-1].end_char].split())


# --- tables ------------------------------------------------------------------------------------


def actors_frame(network: Network) -> pd.DataFrame:
    rows = [{**a.__dict__, "aliases": ALIAS_SEPARATOR.join(a.aliases)} for a in network.actors]
    return pd.DataFrame(rows, columns=list(ACTOR_COLUMNS))


def edges_frame(network: Network) -> pd.DataFrame:
    names = network.names()
    rows = [{**e.__dict__, "source_name": names[e.source], "target_name": names[e.target]} for e in network.edges]
    return pd.DataFrame(rows, columns=list(EDGE_COLUMNS))


def write_tables(network: Network, folder: Path) -> list[Path]:
    """Write `actors.csv` and `stance_edges.csv` (UTF-8; cells a spreadsheet would run are quoted, as in gold.csv)."""
    paths = [folder / ACTORS_FILE, folder / EDGES_FILE]
    for frame, path in zip((actors_frame(network), edges_frame(network)), paths, strict=True):
        for column in frame.columns:
            frame[column] = frame[column].map(escape_formula)
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return paths


# --- graph -------------------------------------------------------------------------------------


def to_graph(network: Network):
    """Return a networkx MultiDiGraph: one node per actor, one edge per (source, target, stance) with counts.

    An edge's key is its stance; ``count`` is how many gold relations it
    rests on, ``documents`` how many documents (their ids in ``doc_ids``).
    GraphML holds no None, so a missing value is an empty string.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for a in network.actors:
        graph.add_node(a.id, name=a.name, label=a.label, country=a.country, mentions=a.mentions,
                       documents=a.documents, aliases=ALIAS_SEPARATOR.join(a.aliases), source=a.source)
    grouped: dict[tuple[str, str, str], list[StanceEdge]] = {}
    for e in network.edges:
        grouped.setdefault((e.source, e.target, e.stance), []).append(e)
    for (source, target, stance), edges in sorted(grouped.items()):
        doc_ids = sorted({e.doc_id for e in edges})
        graph.add_edge(source, target, key=stance, stance=stance, count=len(edges), documents=len(doc_ids),
                       doc_ids=ALIAS_SEPARATOR.join(doc_ids))
    return graph


def write_graphml(network: Network, folder: Path) -> Path:
    """Write `stance_network.graphml` (networkx.read_graphml and Gephi read it)."""
    import networkx as nx

    path = folder / GRAPHML_FILE
    nx.write_graphml(to_graph(network), path)
    return path


def draw_network(network: Network, path: Path) -> Path:
    """Draw the network into a PNG: nodes coloured by sector and sized by mentions, edges coloured by stance.

    Only actors in at least one relation are drawn (actors.csv lists all).
    Parallel edges of different stances between two actors are drawn as arcs
    of their own; an edge's width grows with the relations it rests on.
    """
    import networkx as nx
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    graph = to_graph(network)
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])  # the tables list those
    fig = Figure(figsize=(12, 9), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_axis_off()
    if not graph:
        ax.text(0.5, 0.5, "no stance between actors with ids in the gold", ha="center", va="center")
        fig.savefig(path, format="png", dpi=100)
        return path
    layout = _layout(graph)
    most = max(graph.nodes[n]["mentions"] for n in graph)
    sizes = [400 + 2600 * (graph.nodes[n]["mentions"] / most) ** 0.5 for n in graph]  # area grows with mentions
    colours = [scheme.LABEL_COLOURS.get(graph.nodes[n]["label"], OTHER_COLOUR) for n in graph]
    nx.draw_networkx_nodes(graph, layout, ax=ax, node_color=colours, node_size=sizes, edgecolors="#333333", alpha=0.9)
    stances = sorted({k for _, _, k in graph.edges(keys=True)}, key=_stance_order)
    for i, stance in enumerate(stances):
        edges = [(u, v) for u, v, k in graph.edges(keys=True) if k == stance]
        widths = [1 + graph.edges[u, v, stance]["count"] for u, v in edges]
        nx.draw_networkx_edges(graph, layout, ax=ax, edgelist=edges, width=widths, arrowsize=18,
                               edge_color=STANCE_COLOURS.get(stance, OTHER_COLOUR), node_size=sizes,
                               connectionstyle=f"arc3,rad={0.12 * (i + 1)}")
    drop = 0.08 * (max(y for _, y in layout.values()) - min(y for _, y in layout.values()) or 1)
    below = {n: (x, y - drop) for n, (x, y) in layout.items()}  # under the node: arrows stay visible
    nx.draw_networkx_labels(graph, below, ax=ax, labels={n: graph.nodes[n]["name"] for n in graph}, font_size=9,
                            verticalalignment="top",
                            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "linewidth": 0})
    ys = [y for _, y in layout.values()]
    ax.set_ylim(min(ys) - 2.5 * drop, max(ys) + drop)  # room for the lowest labels
    ax.margins(x=0.1)
    sectors = sorted({graph.nodes[n]["label"] for n in graph})
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markeredgecolor="#333333",
                      markerfacecolor=scheme.LABEL_COLOURS.get(s, OTHER_COLOUR), label=s or "(no label)")
               for s in sectors]
    handles += [Line2D([], [], color=STANCE_COLOURS.get(s, OTHER_COLOUR), linewidth=3, label=s) for s in stances]
    ax.legend(handles=handles, loc="lower left", fontsize=9, title="sector / stance")
    left_out = len(network.actors) - len(graph)
    ax.set_title(f"Stance network: {len(graph)} actors in {len(network.edges)} gold relations "
                 f"({graph.number_of_edges()} edges by stance; width: relations)"
                 + (f"; {left_out} actors without a relation not drawn" if left_out else ""))
    fig.savefig(path, format="png", dpi=100)
    return path


def _layout(graph) -> dict:
    """Place the nodes: each connected component by Kamada-Kawai, the components side by side, biggest first."""
    import networkx as nx

    simple = nx.Graph(graph)
    layout, x = {}, 0.0
    for nodes in sorted(nx.connected_components(simple), key=lambda c: (-len(c), sorted(c))):
        part = simple.subgraph(nodes)
        radius = (len(nodes) / len(simple)) ** 0.5
        place = nx.kamada_kawai_layout if len(nodes) > 2 else nx.circular_layout
        placed = place(part, scale=radius)
        for node, (px, py) in placed.items():
            layout[node] = (x + radius + px, py)
        x += 2 * radius + 0.4
    return layout


def _stance_order(stance: str) -> tuple[int, str]:
    order = list(scheme.RELATION_LABELS)
    return (order.index(stance) if stance in order else len(order), stance)


def write_network(network: Network, folder: Path) -> list[Path]:
    """Write the network's four files into `folder`."""
    return [*write_tables(network, folder), write_graphml(network, folder),
            draw_network(network, folder / PICTURE_FILE)]


def network_facts(network: Network) -> dict:
    """What the data card says about the network: counts, per source of id and per stance."""
    return {
        "actors": len(network.actors),
        "actors_by_source": dict(sorted(Counter(a.source for a in network.actors).items())),
        "relations": len(network.edges),
        "relations_by_stance": dict(sorted(Counter(e.stance for e in network.edges).items())),
        "edges": len({(e.source, e.target, e.stance) for e in network.edges}),
        "unlinked_relations": network.unlinked,
        "top_actors": [(a.name, a.id, a.mentions) for a in
                       sorted(network.actors, key=lambda a: (-a.mentions, a.id))[:10]],
    }
