"""Golden cases from tests/cases/*.yaml: each repair on real artifacts, and its false-split traps."""

from pathlib import Path

import pytest
import yaml

from cleaning.config import REPAIRS, CleanConfig
from cleaning.document import replay
from cleaning.fixes import Context
from cleaning.pipeline import clean_text

CASES_DIR = Path(__file__).parents[1] / "cases"
LINE_REPAIRS = ("repeated_lines", "boilerplate", "captions", "datelines", "bylines", "title")
CASES = [case for path in sorted(CASES_DIR.glob("*.yaml")) for case in yaml.safe_load(path.read_text("utf-8"))]


def config_for(repair: str) -> CleanConfig:
    """Return a config running `repair` alone, or everything for `all`."""
    if repair == "all":
        return CleanConfig()
    return CleanConfig(**{name: name == repair for name in REPAIRS})


def params():
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
        yield pytest.param(case, id=case["name"], marks=marks)


def test_cases_are_well_formed():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    for case in CASES:
        assert case["repair"] in (*REPAIRS, "all"), case["name"]
        assert case["kind"] in ("fix", "keep"), case["name"]
        assert (case["input"] == case["expected"]) == (case["kind"] == "keep"), case["name"]


def test_line_cases_keep_as_many_lines_as_they_remove():
    for repair in LINE_REPAIRS:
        cases = [c for c in CASES if c["repair"] == repair]
        assert cases, repair
        assert sum(c["kind"] == "keep" for c in cases) >= sum(c["kind"] == "fix" for c in cases), repair


def test_false_split_traps_are_as_many_as_true_splits():
    glued = [c for c in CASES if c["repair"] == "glued_words"]
    assert sum(c["kind"] == "keep" for c in glued) >= sum(c["kind"] == "fix" for c in glued)


@pytest.mark.parametrize("case", list(params()))
def test_golden_case(case):
    config = config_for(case["repair"])
    ctx = Context(repeated_lines=frozenset(case.get("repeated_lines", ())))
    log, removed, _ = clean_text(case["input"], ctx, config)
    assert log.text == case["expected"]
    if case["repair"] in LINE_REPAIRS:
        assert removed.get(case["repair"], []) == case.get("removed", []), "other lines removed"
    assert replay(case["input"], log.edits) == case["expected"], "edits do not replay to the text"
    assert all(e.step.split("+")[0] in REPAIRS for e in log.edits)
    again, _, _ = clean_text(log.text, ctx, config)
    assert again.edits == [], f"cleaning the clean text changed it again: {again.edits}"
