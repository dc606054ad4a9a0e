"""Synthetic news with known answers: a few dozen short articles, their actor spans and their stance.

Each article is built from sentence templates over pools of actor names per
PLOVER label (government, military, rebels, IGOs, NGOs, media, civilians),
so a model has patterns to learn; the stance toward the Taliban follows from
the verbs used (FAVOR: praised, welcomed; AGAINST: condemned, accused; NONE:
met, reported). Seeded: the same seed gives the same articles.

`corpus_records` returns cleaned documents with their answers; `snapshot`
turns them into a Label Studio full-JSON export as one annotator would have
answered (region ids, per-region country, the stance choice), which is what
`corpus export` reads. Used by the model tests and by `scripts/demo-gold`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cleaning.document import Document

ACTORS = {
    "GOV": [("the Taliban", "AFG"), ("the Interior Ministry", "AFG"), ("Zabihullah Mujahid", "AFG"),
            ("the State Department", "USA"), ("the Foreign Office", "GBR"), ("the Pakistani government", "PAK")],
    "MIL": [("the Afghan army", "AFG"), ("Pakistani troops", "PAK"), ("US forces", "USA"),
            ("the border police", "AFG")],
    "REB": [("the Islamic State", "OTHER"), ("ISIS-K", "OTHER"), ("the National Resistance Front", "AFG"),
            ("al-Qaeda", "OTHER")],
    "IGO": [("the United Nations", "OTHER"), ("UNAMA", "OTHER"), ("NATO", "OTHER"), ("the World Bank", "OTHER")],
    "NGO": [("Human Rights Watch", "OTHER"), ("Amnesty International", "OTHER"), ("the Red Cross", "OTHER")],
    "JRN": [("Reuters", "OTHER"), ("Tolo News", "AFG"), ("the BBC", "GBR")],
    "CVL": [("local residents", "AFG"), ("Afghan refugees", "AFG"), ("farmers in Helmand", "AFG")],
}
VERBS = {
    "FAVOR": ["praised", "welcomed", "supported", "thanked"],
    "AGAINST": ["condemned", "accused", "criticised", "denounced"],
    "NONE": ["met", "discussed aid with", "reported on", "spoke with"],
}
TEMPLATES = [
    "{a} {verb} {b} on {day}.",
    "In Kabul, {a} {verb} {b} after talks on {topic}.",
    "A statement from {a} said it {verb} {b}.",
    "{a} {verb} {b}, according to {c}.",
]
ROLES = {"GOV": "government spokesman", "MIL": "General", "REB": "rebel commander", "IGO": "UN envoy",
         "NGO": "the activist", "JRN": "the journalist", "CVL": "the shopkeeper"}
FIRST_NAMES = ["Ahmad", "Fatima", "Karim", "Laila", "Nasir", "Sara", "Omar", "Zainab", "Hamid", "Maryam", "Rahim",
               "Nadia", "Yusuf", "Amina", "Bilal", "Samira", "Tariq", "Hasina", "Jamal", "Roya"]
LAST_NAMES = ["Karimi", "Rahmani", "Ahmadi", "Noori", "Sadat", "Haidari", "Popal", "Wardak", "Stanekzai", "Amiri",
              "Barakzai", "Faizi", "Hashimi", "Jalali", "Qaderi", "Safi", "Zazai", "Yousufzai"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Sunday"]
TOPICS = ["security", "the economy", "girls' schools", "the border", "humanitarian aid", "elections"]
FILLER = ["Officials gave no further details.", "The talks are expected to continue next week.",
          "Prices in the capital rose again this month.", "Roads in the north remained closed by snow."]


@dataclass(frozen=True)
class Answer:
    """One span of an article's answer: where, what, which label and country."""

    start: int
    end: int
    text: str
    label: str
    country: str


@dataclass(frozen=True)
class Article:
    """A synthetic article as the cleaner would write it, with its answers."""

    doc: Document
    spans: tuple[Answer, ...]
    stance: str


def make_article(rng: random.Random, number: int, stance: str) -> Article:
    """Build one article of 3-6 sentences whose verbs mostly give `stance` toward the Taliban.

    Besides the named organisations, sentences quote people whose names are
    drawn at random (mostly unseen elsewhere) after a role that gives their
    label ("General Karimi": MIL); one sentence in four uses a neutral verb.
    """
    pieces: list[str] = []
    spans: list[Answer] = []

    def put(text: str, label: str | None = None, country: str = "") -> None:
        start = sum(map(len, pieces))
        if label:
            spans.append(Answer(start, start + len(text), text, label, country))
        pieces.append(text)

    for n in range(rng.randint(3, 6)):
        if n:
            put(" ")
        verb = rng.choice(VERBS[stance if rng.random() < 0.75 else "NONE"])
        subject = _someone(rng)
        target = ("the Taliban", "GOV", "AFG") if n == 0 or rng.random() < 0.5 else _someone(rng)
        template = rng.choice(TEMPLATES)
        head, _, rest = template.partition("{a}")
        _put_role(put, subject, capital=not head)
        middle, _, tail = rest.partition("{b}")
        put(middle.replace("{verb}", verb))
        _put_role(put, target, capital=False)
        tail = tail.replace("{day}", rng.choice(DAYS)).replace("{topic}", rng.choice(TOPICS))
        before, found, after = tail.partition("{c}")
        put(before)
        if found:
            put(*_someone(rng, roles=False))
            put(after)
        if rng.random() < 0.4:
            put(" " + rng.choice(FILLER))
    doc = Document(id=f"syn{number:03d}", source=f"syn{number:03d}.txt", text="".join(pieces),
                   title=f"Synthetic {number}", meta={"date": f"2023-0{1 + number % 9}-1{number % 10}"})
    return Article(doc, tuple(spans), stance)


def _someone(rng: random.Random, roles: bool = True) -> tuple[str, str, str] | tuple[str, str, str, str]:
    """An organisation from the pools, or (with `roles`, one time in three) a role and a random person's name."""
    label = rng.choice(sorted(ACTORS))
    if roles and rng.random() < 0.35:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return (ROLES[label], name, label, rng.choice(["AFG", "PAK", "USA", "OTHER"]))
    name, country = rng.choice(ACTORS[label])
    return (name, label, country)


def _put_role(put, actor: tuple, capital: bool) -> None:
    """Write an actor at a sentence's start: a role before a person's name, the name alone is the span."""
    if len(actor) == 4:
        role, name, label, country = actor
        put(role[0].upper() + role[1:] + " " if capital else role + " ")
        put(name, label, country)
    else:
        name, label, country = actor
        put(name[0].upper() + name[1:] if capital else name, label, country)


def corpus_records(count: int = 60, seed: int = 7) -> list[Article]:
    """Return `count` articles, stances in turn (FAVOR, AGAINST, NONE), seeded."""
    rng = random.Random(seed)
    stances = sorted(VERBS)
    return [make_article(rng, n, stances[n % len(stances)]) for n in range(count)]


def result(article: Article) -> list[dict]:
    """One annotator's full answer for an article: each span with its country, and the stance."""
    items: list[dict] = []
    for i, span in enumerate(article.spans):
        value = {"start": span.start, "end": span.end, "text": span.text}
        items.append({"id": f"s{i}", "from_name": "actor", "to_name": "text", "type": "labels",
                      "value": value | {"labels": [span.label]}})
        items.append({"id": f"s{i}", "from_name": "country", "to_name": "text", "type": "choices",
                      "value": value | {"choices": [span.country]}})
    items.append({"from_name": "stance", "to_name": "text", "type": "choices",
                  "value": {"choices": [article.stance]}})
    return items


def snapshot(articles: list[Article], annotator: str = "annotator@example.org") -> list[dict]:
    """A full-JSON export in which one annotator answered every article exactly."""
    return [
        {
            "id": number,
            "data": {"doc_id": a.doc.id, "text": a.doc.text, "title": a.doc.title, "source": a.doc.source,
                     "date": a.doc.meta.get("date")},
            "annotations": [{"id": number, "completed_by": {"id": 7, "email": annotator}, "result": result(a),
                             "ground_truth": False, "was_cancelled": False, "lead_time": 30.0}],
            "predictions": [],
        }
        for number, a in enumerate(articles, start=1)
    ]
