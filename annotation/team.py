"""A team of independent annotators: one Label Studio project (a "desk") per annotator, and who gets what.

Community edition shows every task's annotations to everyone in the project,
so annotators are kept apart by giving each one a project of their own. A desk
is named by its number, never by the person at it (`desk_title`); the invite
link of a desk lands on that desk's project. Each document goes to `overlap`
desks, assigned evenly and stably (`assign`): what earlier pushes assigned is
read back from the desks and kept, and each new document goes to the desks
that hold fewest so far, so loads never differ by more than one and adding
documents reshuffles nothing.

Pure functions only; `annotation.push` carries the plan out through the client.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from cleaning.errors import CorpusError

DESK = " · desk "
REVIEW = " · review"
TITLE_LIMIT = 50  # Label Studio allows 3 to 50 characters


def desk_title(base: str, desk: int) -> str:
    """Name desk `desk` of the project `base`: by number, so the project list names nobody.

    >>> desk_title("Afghanistan stance and actors", 2)
    'Afghanistan stance and actors · desk 2'
    """
    return _fit(base, f"{DESK}{desk}")


def review_title(base: str) -> str:
    """Name the review project, where a curator adjudicates the open items.

    >>> review_title("Afghanistan stance and actors")
    'Afghanistan stance and actors · review'
    """
    return _fit(base, REVIEW)


def _fit(base: str, suffix: str) -> str:
    title = f"{base}{suffix}"
    if len(title) > TITLE_LIMIT:
        raise CorpusError(f"project name {base!r} is too long for a team ({title!r} has {len(title)} characters)",
                          f"give a --project of at most {TITLE_LIMIT - len(suffix)} characters")
    return title


def desks_of(base: str, titles: Iterable[str]) -> list[int]:
    """Return the desk numbers of `base` among project `titles`, in order.

    >>> desks_of("P", ["P · desk 2", "P", "P · desk 1", "Q · desk 3", "P · review"])
    [1, 2]
    """
    pattern = re.compile(re.escape(base + DESK) + r"([1-9][0-9]*)")
    return sorted(int(m.group(1)) for t in titles if (m := pattern.fullmatch(t)))


def check_team(team: int, overlap: int) -> None:
    """Refuse a team smaller than the overlap it is asked for."""
    if team < 1:
        raise CorpusError(f"a team needs at least one annotator, got --team {team}", "for example --team 2")
    if not 1 <= overlap <= team:
        raise CorpusError(f"--overlap {overlap} asks for more annotators per document than the team of {team} has",
                          f"give --overlap between 1 and {team}")


def assign(doc_ids: Iterable[str], existing: Mapping[str, Iterable[int]], team: int,
           overlap: int) -> dict[str, tuple[int, ...]]:
    """Give every document `overlap` of the desks 1..`team`, keeping what `existing` already gives it.

    A document keeps the desks it has (an answer is never taken away) and is
    topped up to `overlap`; each new desk is one of those that hold fewest
    documents so far, a tie broken by a hash of the document and the desk, so
    the same corpus gives the same plan. Five desks, overlap two, ten
    documents: four each.

    >>> plan = assign([f"d{i}" for i in range(10)], {}, 5, 2)
    >>> sorted(sum(d in desks for desks in plan.values()) for d in range(1, 6))
    [4, 4, 4, 4, 4]
    >>> assign(["d0", "d1"], {"d0": [3]}, 3, 1)["d0"]
    (3,)
    """
    check_team(team, overlap)
    doc_ids = list(doc_ids)
    plan = {d: tuple(sorted(set(existing.get(d, ())))) for d in doc_ids}
    load = dict.fromkeys(range(1, team + 1), 0)
    for desks in existing.values():
        for desk in set(desks):
            if desk in load:
                load[desk] += 1
    for doc_id in doc_ids:  # corpus order: a document added later never changes an earlier one's desks
        have = set(plan[doc_id])
        while len(have) < overlap:
            desk = min((d for d in load if d not in have), key=lambda d: (load[d], _tiebreak(doc_id, d)))
            have.add(desk)
            load[desk] += 1
        plan[doc_id] = tuple(sorted(have))
    return plan


def _tiebreak(doc_id: str, desk: int) -> str:
    return hashlib.sha256(f"{doc_id}\0{desk}".encode()).hexdigest()
