"""What the labelling page shows and refuses, in a real browser against the real server the suite starts.

Seed 003 (mid-2021 by its content, no dateline) is pushed as `corpus push`
sends it: the page must show its headline, date (unknown) and source; the
gazetteer's "Taliban" spans arrive as UNSURE, not guessed; the country of a
selected span sits in the column beside the text, in view even for a span far
down the article; a span without a country is refused at submit with a message;
a relation keeps one label. The last screenshot is the README's
``labelling-side-column.png`` (`make screenshots` writes it into docs/).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotation.scheme import load_scheme
from annotation.tasks import DATE_UNKNOWN, read_documents
from tests.browser.conftest import sign_up
from tests.browser.test_labelling_page import (
    DOCS,
    PASSWORD,
    SEEDS,
    TEXT,
    choice,
    draw_relation,
    mark,
    open_task,
    pick_relation_label,
    region,
    relabel,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]



def hex_rgb(colour: str) -> str:
    """'#ffe119' -> '255, 225, 25', as a computed style writes it."""
    return ", ".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))


def country_choices(page):
    """The country choices (the per-region block, shown while a span is selected)."""
    return page.locator(".lsf-choices").filter(has=page.locator("input[name='AFG']"))  # not the actor choice


def country_box(page):
    """The bounding box of the visible country choices."""
    expect(country_choices(page)).to_be_visible()
    return country_choices(page).bounding_box()


def test_page_shows_header_unsure_spans_side_column_refuses_a_span_without_country_and_one_relation_label(
        label_studio, page, corpus_cli, tmp_path):
    clean, title, email = tmp_path / "clean", "browser page", "page@example.org"
    corpus_cli("clean", str(SEEDS), "--out", str(clean))
    project_url = re.search(r"annotate at (\S+)", corpus_cli("push", str(clean), "--project", title).stdout).group(1)
    doc = next(d for d in read_documents(clean) if d.source.startswith("003_"))
    assert not doc.meta.get("date")
    sign_up(page, corpus_cli("annotators", "invite").stdout, email, PASSWORD)
    open_task(page, project_url, "The Taliban condemned the United States")

    # headline, date and source above the text; the missing date is said, not hidden
    expect(page.get_by_text(doc.title, exact=True)).to_be_visible()
    expect(page.get_by_text(f"Date: {DATE_UNKNOWN}", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Source: {doc.source}", exact=True)).to_be_visible()

    # every "Taliban" / "Islamic Emirate" comes as UNSURE (the date decides, and there is none), none as GOV
    unsure = load_scheme().unsure_value
    starts = [m.start() for m in re.finditer(r"(?<!\w)(?:Taliban|Islamic Emirate)(?!\w)", doc.text)]
    assert len(starts) >= 10
    yellow = hex_rgb(next(x.background for x in load_scheme().allowed_labels() if x.value == unsure))
    colours = [region(page, s).evaluate("e => getComputedStyle(e).backgroundColor") for s in starts]
    assert all(c.startswith(f"rgba({yellow},") for c in colours), colours
    expect(page.locator(".lsf-outliner-item", has_text=re.compile(r"GOV\s*(Taliban|Islamic)"))).to_have_count(0)
    taliban = doc.text.index("Taliban")
    region(page, taliban).click()
    expect(page.locator(".lsf-label_selected, .lsf-label[class*='selected']").first).to_contain_text(unsure)

    # the country of the selected span is beside the text (right of it), and in view
    text_box = page.locator(TEXT).bounding_box()
    box = country_box(page)
    assert box["x"] >= text_box["x"] + text_box["width"] - 1, (box, text_box)
    assert 0 <= box["y"] < page.viewport_size["height"], box
    # ... also for a span far down the article: the column follows the scroll
    last = doc.text.rindex("Taliban")
    region(page, last).scroll_into_view_if_needed()
    region(page, last).click()
    span_box, box = region(page, last).bounding_box(), country_box(page)
    assert box["x"] >= text_box["x"] + text_box["width"] - 1
    assert box["y"] < page.viewport_size["height"] and box["y"] + box["height"] > 0, (box, span_box)
    page.screenshot(path=DOCS / "labelling-side-column.png")

    # pick REB for the first Taliban (the text says "the insurgent group"), then a new span without a country
    page.keyboard.press("Escape")
    relabel(page, taliban, "REB")
    start = doc.text.index("international forces")
    mark(page, "OTHER", "international forces", start)

    # a relation given SUPPORTS, then OPPOSES, keeps only the last
    draw_relation(page, start, taliban)
    pick_relation_label(page, "SUPPORTS")
    pick_relation_label(page, "OPPOSES")
    meta = page.locator(".lsf-relation-meta")
    expect(meta).to_contain_text("OPPOSES")
    expect(meta).not_to_contain_text("SUPPORTS")

    # submit is refused: the new span has no country; the message says so and the span is selected
    page.keyboard.press("Escape")
    choice(page, "AGAINST").click()
    page.get_by_role("button", name="Submit").click()
    warning = page.locator(".ant-modal-confirm-warning")
    expect(warning.locator(".ant-modal-confirm-content")).to_have_text(re.compile(r"^Every actor needs a country"))
    page.wait_for_timeout(500)  # the modal zooms in
    page.screenshot(path=DOCS / "labelling-refused.png")
    warning.get_by_role("button").click()
    expect(warning).to_be_hidden()
    # the refused span is selected, its country choices beside the text (none ticked)
    expect(page.get_by_text("Country of the selected actor", exact=True)).to_be_visible()
    expect(country_choices(page).locator("input:checked")).to_have_count(0)
    admin = label_studio.client()
    project = admin.find_project(title)
    [task] = [t for t in admin.list_tasks(project["id"], annotations=True) if t["data"]["doc_id"] == doc.id]
    assert not task["annotations"], "a span without a country was submitted"

    # given its country, the same answer goes through, with one label on the relation
    choice(page, "OTHER").last.click()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Annotation saved successfully", exact=True)).to_be_visible()
    [task] = [t for t in admin.list_tasks(project["id"], annotations=True) if t["data"]["doc_id"] == doc.id]
    [annotation] = task["annotations"]
    [relation] = [r for r in annotation["result"] if r["type"] == "relation"]
    assert relation["labels"] == ["OPPOSES"]
    spans = {r["id"]: r["value"] for r in annotation["result"] if r.get("from_name") == "actor"}
    countries = {r["id"] for r in annotation["result"] if r.get("from_name") == "country"}
    assert set(spans) == countries  # every span has its country
    assert spans[relation["to_id"]]["labels"] == ["REB"] and spans[relation["from_id"]]["start"] == start
