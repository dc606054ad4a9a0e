"""The edit log: raw offsets, merging, replay and undo."""

import itertools

from cleaning.document import Document, Edit, EditLog, replay, to_raw_offset, undo


def test_edits_are_in_raw_offsets_after_earlier_steps():
    log = EditLog("aa  bb\nTalibanThe cc")
    log.apply("whitespace", [(2, 4, " ")])          # "aa bb\nTalibanThe cc"
    log.apply("glued_words", [(13, 13, " ")])       # after "Taliban"
    assert log.text == "aa bb\nTaliban The cc"
    assert log.edits == [Edit("whitespace", 2, 4, "  ", " "), Edit("glued_words", 14, 14, "", " ")]
    assert replay(log.raw, log.edits) == log.text
    assert undo(log.text, log.edits) == log.raw


def test_a_change_inside_an_earlier_edit_merges_and_names_both_steps():
    log = EditLog("xx groupâ€™s yy")
    log.apply("encoding", [(8, 11, "’")])
    assert log.text == "xx group’s yy"
    log.apply("quotes", [(8, 9, "'")])
    assert log.text == "xx group's yy"
    assert log.edits == [Edit("encoding+quotes", 8, 11, "â€™", "'")]
    assert replay(log.raw, log.edits) == log.text


def test_changes_that_change_nothing_are_not_recorded():
    log = EditLog("same text")
    assert log.apply("whitespace", [(4, 5, " ")]) == 0
    assert log.edits == []


def test_raw_span_covers_replaced_text():
    log = EditLog("Source link\nAfghanistanof Taliban")
    log.apply("boilerplate", [(0, 12, "")])
    log.apply("glued_words", [(11, 11, " ")])
    doc = Document(id="x", source="s", text=log.text, edits=tuple(log.edits))
    start = doc.text.index("Taliban")
    assert doc.raw_span(start, start + 7) == (26, 33)
    assert log.raw[26:33] == "Taliban"
    assert doc.raw_span(0, 11) == (12, 23)          # "Afghanistan"
    assert to_raw_offset(doc.edits, 11, side="end") == 23


def test_document_round_trips_through_its_dict():
    doc = Document(id="a", source="s.txt", text="t", title=None, meta={"date": None},
                   edits=(Edit("title", 0, 3, "T\n\n", ""),), flags={"short": 1})
    assert Document.from_dict(doc.to_dict()) == doc
    assert doc.raw_text() == "T\n\nt"


def test_an_insertion_before_an_earlier_insertion_stays_before_it():
    log = EditLog("ab")
    log.apply("quotes", [(1, 1, "Q")])          # "aQb"
    log.apply("whitespace", [(1, 1, " ")])      # " " goes before "Q": "a Qb"
    assert log.text == "a Qb"
    assert replay(log.raw, log.edits) == "a Qb"


def test_random_steps_keep_every_invariant():
    """Many steps of random changes: text as intended, replay and undo exact, edits sorted and apart."""
    import random

    from cleaning.fixes import apply_changes

    rng = random.Random(5)
    for _ in range(2000):
        raw = "".join(rng.choice("ab \n") for _ in range(rng.randint(0, 30)))
        log = EditLog(raw)
        for step in range(rng.randint(1, 4)):
            before, changes, pos = log.text, [], 0
            while pos < len(before) and len(changes) < 8:
                start = pos + rng.randint(0, 5)
                if start > len(before):
                    break
                end = min(len(before), start + rng.choice([0, 0, 1, 2, 3]))
                changes.append((start, end, rng.choice(["", "x", "yy", " "]) or ("z" if start == end else "")))
                pos = end + (start == end)
            log.apply(f"s{step}", changes)
            assert log.text == apply_changes(before, changes)
            assert replay(raw, log.edits) == log.text and undo(log.text, log.edits) == raw
            assert all(a.end <= b.start for a, b in itertools.pairwise(log.edits))
