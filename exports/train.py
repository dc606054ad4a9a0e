"""Train a spaCy pipeline on a gold export: actor spans (`spancat`) and document stance (`textcat`).

The export already holds leak-free splits as spaCy DocBins (`train.spacy`,
`dev.spacy`, `test.spacy`, written by `exports/writers.py` from the splits of
`exports/splits.py`): this module reads them and derives nothing again. Every
gold span is in ``doc.spans["gold"]`` and the stance in ``doc.cats``.

Why `spancat` and not `ner`: the DocBin's entities keep only the longest of
overlapping gold spans, while ``doc.spans["gold"]`` keeps them all, and a
spancat learns from those; and a spancat gives each span a probability, which
is what the uncertainty of `annotation/model.py` is made of (spaCy's greedy
`ner` gives none). Its suggester proposes every n-gram up to the longest gold
span of the train split (at most `MAX_SPAN_TOKENS` tokens).

The pipeline starts from ``spacy.blank("en")`` (nothing downloaded, CPU
only). Training is seeded (spaCy's `fix_random_seed` and the shuffling), so
the same export and seed give the same model. It runs up to `max_epochs`
passes over the train split, scores the dev split after each, keeps the best
and stops after `patience` passes without a better one: a few dozen documents
need many passes, and stop improving early. The score compared is the mean of
the span F1 and the stance macro F1 on dev.

The test split is not touched: it stays for a final, unbiased check.
spaCy is imported only when a function needs it, so the CLI reads the
defaults here without paying for it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from annotation.model import META_KEY, SPANCAT, SPANS_KEY, TEXTCAT
from cleaning.errors import CorpusError
from cleaning.writers import atomic_folder
from exports import scheme

DEFAULT_SEED = 13
MAX_EPOCHS = 40
PATIENCE = 8
DROPOUT = 0.2
MAX_SPAN_TOKENS = 8
MODEL_NAME = "newsgold_actors_stance"

Progress = Callable[[int, int, float], None]  # (epoch, max epochs, dev score)


@dataclass
class TrainReport:
    """What a training run did and scored: written as `scores.json` and summed up in the model card."""

    export: str
    sizes: dict[str, int]  # documents per split
    train_labels: dict[str, int]  # gold spans per label in train
    dev_labels: dict[str, int]
    train_stances: dict[str, int]
    dev_stances: dict[str, int]
    seed: int
    max_epochs: int = MAX_EPOCHS
    patience: int = PATIENCE
    epochs: int = 0
    best_epoch: int = 0
    scores: dict = field(default_factory=dict)  # the kept model on dev
    baseline: dict = field(default_factory=dict)  # the same pipeline, initialised but not trained, on dev
    history: list[float] = field(default_factory=list)  # dev score after each epoch
    name: str = MODEL_NAME
    version: str = ""
    trained_at: str = ""
    tool_version: str = ""
    spacy_version: str = ""
    suggester_sizes: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def read_split(export_dir: Path, split: str, nlp) -> list:
    """Read `<split>.spacy` from the export as Docs, gold spans moved to the model's span group."""
    from spacy.tokens import DocBin

    from exports.tokens import SPAN_KEY  # spaCy at import: only when training

    path = Path(export_dir) / f"{split}.spacy"
    if not path.exists():
        raise CorpusError(f"{path} not found: {export_dir} is not a gold export",
                          "give the folder written by `corpus export` (e.g. corpus/gold/v1)")
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))  # the pipeline's own vocab: labels must resolve
    for doc in docs:
        doc.spans[SPANS_KEY] = list(doc.spans.get(SPAN_KEY, []))
    return docs


def build_pipeline(suggester_sizes: list[int], vocab=True):
    """Return a blank English pipeline with a spancat (n-gram suggester) and an exclusive BOW textcat.

    `vocab` is a Vocab to share (Docs read with it are the pipeline's own), or
    True for a new one.
    """
    import spacy

    nlp = spacy.blank("en", vocab=vocab)
    nlp.add_pipe(SPANCAT, config={
        "spans_key": SPANS_KEY, "threshold": 0.5, "max_positive": 1,
        "suggester": {"@misc": "spacy.ngram_suggester.v1", "sizes": suggester_sizes}})
    nlp.add_pipe(TEXTCAT, config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2, "no_output_layer": False,
        "length": 262144}})
    return nlp


def train(export_dir: Path, out: Path, *, seed: int = DEFAULT_SEED, max_epochs: int = MAX_EPOCHS,
          patience: int = PATIENCE, force: bool = False, progress: Progress | None = None) -> TrainReport:
    """Train on the export's train split, keep the best model on dev, save it with scores and a model card."""
    import spacy
    from spacy.util import fix_random_seed, minibatch

    export_dir = Path(export_dir)
    if out.exists() and not force:
        raise CorpusError(f"model folder already exists: {out}", "choose another --out, or pass --force to replace it")
    # The suggester's sizes come from the train split, so the pipeline is built after reading it, on its vocab.
    reader = spacy.blank("en")
    train_docs = read_split(export_dir, "train", reader)
    sizes = _suggester_sizes(train_docs)
    fix_random_seed(seed)
    nlp = build_pipeline(sizes, reader.vocab)
    dev_docs = read_split(export_dir, "dev", nlp)
    test_size = len(read_split(export_dir, "test", nlp))
    _check_data(export_dir, train_docs, dev_docs)
    report = TrainReport(str(export_dir), {"train": len(train_docs), "dev": len(dev_docs), "test": test_size},
                         _label_counts(train_docs), _label_counts(dev_docs), _stance_counts(train_docs),
                         _stance_counts(dev_docs), seed, max_epochs, patience, suggester_sizes=sizes)

    train_examples, dev_examples = examples(nlp, train_docs), examples(nlp, dev_docs)
    optimizer = initialise(nlp, train_examples)
    report.baseline = summarise(nlp.evaluate(dev_examples))

    shuffle, best, since_best, best_bytes = random.Random(seed), -1.0, 0, None
    for epoch in range(1, max_epochs + 1):
        shuffle.shuffle(train_examples)
        for batch in minibatch(train_examples, size=8):
            nlp.update(batch, drop=DROPOUT, sgd=optimizer)
        summary = summarise(nlp.evaluate(dev_examples))
        score = combined(summary)
        report.history.append(round(score, 4))
        report.epochs = epoch
        if progress:
            progress(epoch, max_epochs, score)
        if score > best:
            best, since_best, best_bytes, report.best_epoch = score, 0, nlp.to_bytes(), epoch
            report.scores = summary  # the kept model's scores on dev: not computed again once it is restored
        else:
            since_best += 1
            if since_best >= patience:
                break
    nlp.from_bytes(best_bytes)
    _stamp(nlp, report)
    save(nlp, report, out, force)
    return report


def examples(nlp, docs: list) -> list:
    """Pair each gold Doc with an unannotated copy of its text: what `update` and `evaluate` take."""
    from spacy.training import Example

    return [Example(nlp.make_doc(d.text), d) for d in docs]


def initialise(nlp, train_examples: list):
    """Give the pipeline every label of the scheme, initialise its weights from train; return the optimizer.

    Every label, not only those in train: the model's spans and stances are
    then always values the labelling config knows. Untrained, this pipeline is
    the baseline its scores are compared with.
    """
    for label in scheme.ACTOR_LABELS:
        nlp.get_pipe(SPANCAT).add_label(label)
    for label in scheme.STANCE_LABELS:
        nlp.get_pipe(TEXTCAT).add_label(label)
    return nlp.initialize(lambda: train_examples)


def summarise(scores: dict) -> dict:
    """Keep what the report shows from spaCy's scorer: per-label P/R/F of spans and stance, and the totals."""
    spans = {label: _prf(values) for label, values in (scores.get(f"spans_{SPANS_KEY}_per_type") or {}).items()}
    stances = {label: _prf(values) for label, values in (scores.get("cats_f_per_type") or {}).items()}
    return {
        "spans": {"p": _round(scores.get(f"spans_{SPANS_KEY}_p")), "r": _round(scores.get(f"spans_{SPANS_KEY}_r")),
                  "f": _round(scores.get(f"spans_{SPANS_KEY}_f"))},
        "spans_per_label": spans,
        "stance_macro_f": _round(scores.get("cats_macro_f")),
        "stance_per_label": stances,
    }


def combined(summary: dict) -> float:
    """The score early stopping compares: mean of the span F1 and the stance macro F1."""
    return ((summary["spans"]["f"] or 0.0) + (summary["stance_macro_f"] or 0.0)) / 2


def save(nlp, report: TrainReport, out: Path, force: bool) -> Path:
    """Write the pipeline, `scores.json` and the model card `README.md` into `out`, all or nothing."""
    with atomic_folder(out, force) as folder:
        nlp.to_disk(folder)
        (folder / "scores.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
        (folder / "README.md").write_text(render_card(report), encoding="utf-8")
    return out


def _stamp(nlp, report: TrainReport) -> None:
    """Name and version the pipeline: the version is a digest of its weights, so a retrained model differs."""
    report.trained_at = datetime.now(UTC).isoformat(timespec="seconds")
    report.tool_version = _version("newsgold")
    report.spacy_version = _version("spacy")
    report.version = hashlib.sha256(nlp.to_bytes(exclude=["meta"])).hexdigest()[:12]
    nlp.meta.update({"name": report.name, "version": report.version, "lang": "en",
                     "description": "Actor spans (spancat) and document stance (textcat), trained by newsgold",
                     META_KEY: {"export": report.export, "seed": report.seed, "trained_at": report.trained_at,
                                "tool_version": report.tool_version}})


def _check_data(export_dir: Path, train_docs: list, dev_docs: list) -> None:
    if not train_docs:
        raise CorpusError(f"{export_dir}: the train split holds no document", "annotate and export more documents")
    if not dev_docs:
        raise CorpusError(f"{export_dir}: the dev split holds no document, so nothing can be scored",
                          "export more gold documents, or a larger dev share (`corpus export --split 0.7,0.2,0.1`)")
    if not any(d.spans[SPANS_KEY] for d in train_docs) and not any(d.cats for d in train_docs):
        raise CorpusError(f"{export_dir}: the train split has no gold span and no stance", "nothing to learn")


def _suggester_sizes(docs: list) -> list[int]:
    longest = max((len(s) for d in docs for s in d.spans[SPANS_KEY]), default=1)
    return list(range(1, min(longest, MAX_SPAN_TOKENS) + 1))


def _label_counts(docs: list) -> dict[str, int]:
    counts = Counter(s.label_ for d in docs for s in d.spans[SPANS_KEY])
    return {label: counts[label] for label in scheme.ACTOR_LABELS if counts[label]}


def _stance_counts(docs: list) -> dict[str, int]:
    counts = Counter(max(d.cats, key=d.cats.get) for d in docs if d.cats)
    return {label: counts[label] for label in scheme.STANCE_LABELS if counts[label]}


def _prf(values: dict) -> dict:
    return {k: _round(values.get(k)) for k in ("p", "r", "f")}


def _round(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# --- the report: a one-screen table and the model card ------------------------------


def score_rows(report: TrainReport) -> list[tuple[str, str, str, str, str, str]]:
    """Rows (task, label, gold in dev, P, R, F1) of the kept model on dev, for the CLI table and the card."""
    rows = []
    spans = report.scores["spans_per_label"]
    for label in scheme.ACTOR_LABELS:
        if label in spans or label in report.dev_labels:
            rows.append(("span", label, str(report.dev_labels.get(label, 0)), *_cells(spans.get(label))))
    rows.append(("span", "all", str(sum(report.dev_labels.values())), *_cells(report.scores["spans"])))
    stances = report.scores["stance_per_label"]
    for label in scheme.STANCE_LABELS:
        rows.append(("stance", label, str(report.dev_stances.get(label, 0)), *_cells(stances.get(label))))
    return rows


def _cells(values: dict | None) -> tuple[str, str, str]:
    if not values:
        return ("-", "-", "-")
    return tuple("-" if values.get(k) is None else f"{values[k]:.2f}" for k in ("p", "r", "f"))


def render_card(report: TrainReport) -> str:
    """Render the model card: data, splits, sizes, scores per label against the untrained baseline, limits."""
    lines = [
        f"# Model `{report.name}` version `{report.version}`",
        "",
        f"Trained {report.trained_at} by newsgold {report.tool_version} (spaCy {report.spacy_version}) with "
        f"`corpus train`, seed {report.seed}. Predictions pushed with it carry "
        f"`model_version` `model:{report.name}@{report.version}`.",
        "",
        "## Pipeline",
        "",
        f"`spacy.blank(\"en\")` + `{SPANCAT}` (actor spans: PLOVER sector labels; n-gram suggester, sizes "
        f"{report.suggester_sizes[0]}-{report.suggester_sizes[-1]} tokens, threshold 0.5, one label per span) "
        f"+ `{TEXTCAT}` (document stance toward the target, exclusive: bag of words and bigrams). "
        f"CPU only; nothing downloaded.",
        "",
        "## Data",
        "",
        f"Gold export `{report.export}`: its own leak-free splits (`train.spacy`, `dev.spacy`, `test.spacy`; "
        "near-duplicates and one site's articles never straddle two splits).",
        "",
        "| split | documents | gold spans | stances |",
        "| --- | ---: | ---: | --- |",
        f"| train | {report.sizes['train']} | {sum(report.train_labels.values())} | {_counts(report.train_stances)} |",
        f"| dev | {report.sizes['dev']} | {sum(report.dev_labels.values())} | {_counts(report.dev_stances)} |",
        f"| test (not used) | {report.sizes['test']} | | |",
        "",
        f"Train spans per label: {_counts(report.train_labels)}.",
        "",
        "## Scores on dev",
        "",
        f"The model kept is the one of epoch {report.best_epoch} of {report.epochs} (best mean of span F1 and "
        f"stance macro F1 on dev; stopping after {report.patience} epochs without a better one, at most "
        f"{report.max_epochs}). "
        "Span scores are exact matches of offsets and label.",
        "",
        "| task | label | gold in dev | P | R | F1 |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        *(f"| {' | '.join(row)} |" for row in score_rows(report)),
        "",
        f"Untrained baseline (the same pipeline, initialised, no training) on dev: span F1 "
        f"{_f(report.baseline['spans']['f'])}, stance macro F1 {_f(report.baseline['stance_macro_f'])}; "
        f"trained: span F1 {_f(report.scores['spans']['f'])}, stance macro F1 {_f(report.scores['stance_macro_f'])}.",
        "",
        "## Limits",
        "",
        "- Dev chose the epoch, so dev scores are a little optimistic; the test split is left for a final check.",
        "- Learnt from this corpus only: its sources, its period, its stance target. A label with few gold spans "
        "in train is barely learnt; a dev label with few spans gives a figure that moves with one span.",
        "- The stance classifier reads words, not who holds the stance toward whom.",
        "- Model spans carry no country (the gazetteer's do): annotators pick it. The Taliban's date rule "
        "(REB before 15 Aug 2021, GOV after) is not known to the model, only what the gold shows.",
        "- Pre-annotations to correct, never gold: every span and stance is checked by an annotator.",
        "",
    ]
    return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
