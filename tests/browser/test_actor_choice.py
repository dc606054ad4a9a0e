"""The actor choice on the labelling page, in a real browser: gazetteer candidates per task, or a new actor.

The seed corpus is pushed with the gazetteer; an annotator opens the first
article and selects a suggested span: beside the text, under its country, the
page asks which actor it is, offering the gazetteer actors the article names
(in the order it names them) and "new actor", with the suggestion's actor
ticked. The annotator keeps that suggestion, marks "Islamic movement" and
picks the Taliban for it from the candidates, marks "Western allies" as a new
actor and types its name. `corpus pull` and `corpus export` must give each gold
span the actor id that was clicked or typed.

`make screenshots` (UPDATE_SCREENSHOTS=1) writes the README's picture of the
choice into docs/.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from annotation.tasks import read_documents
from tests.browser.conftest import sign_up
from tests.browser.test_labelling_page import DOCS, HIGHLIGHT, PASSWORD, SEEDS, choice, mark, open_task, region, relabel

pytestmark = [pytest.mark.browser, pytest.mark.integration]

QUESTION = "Which actor is it?"


def actor_option(page: Page, value: str):
    """The actor choice's option whose recorded value is `value` (an actor id, or "new")."""
    return page.locator(f".lsf-choice__item:has(input[name='{value}'])")


def test_annotator_picks_a_gazetteer_actor_or_types_a_new_one_and_export_keeps_the_ids(
        label_studio, page, corpus_cli, tmp_path):
    clean, title = tmp_path / "clean", "browser actors"
    corpus_cli("clean", str(SEEDS), "--out", str(clean))
    pushed = corpus_cli("push", str(clean), "--project", title)
    project_url = re.search(r"annotate at (\S+)", pushed.stdout).group(1)
    doc = next(d for d in read_documents(clean) if d.source.startswith("000_"))
    admin = label_studio.client()
    [task] = [t for t in admin.list_tasks(admin.find_project(title)["id"]) if t["data"]["doc_id"] == doc.id]
    options = task["data"]["actors"]
    sign_up(page, corpus_cli("annotators", "invite").stdout, "actors@example.org", PASSWORD)
    open_task(page, project_url, "Afghanistan of Taliban On Sunday")

    # a suggested span: the question, the candidates of this article in its order, then "new", the suggestion ticked
    expect(page.get_by_text(QUESTION, exact=True)).to_be_hidden()
    region(page, 15).click()
    expect(page.get_by_text(QUESTION, exact=True)).to_be_visible()
    shown = page.get_by_text(QUESTION, exact=True).locator(
        "xpath=following-sibling::div[contains(@class, 'lsf-choices')][1]//input")
    names = shown.evaluate_all("els => els.map(e => e.name)")
    assert names == [o["value"] for o in options] and names[0] == "Q42418" and names[-1] == "new"
    assert len(names) < 32  # the article's candidates, not the whole gazetteer
    expect(actor_option(page, "Q42418")).to_contain_text("Taliban")
    expect(actor_option(page, "Q42418").locator("input")).to_be_checked()
    expect(actor_option(page, "new")).to_contain_text("New actor: type its name below")
    expect(page.get_by_placeholder("the new actor's name, as a reader would know it")).to_be_hidden()
    page.get_by_text(QUESTION, exact=True).scroll_into_view_if_needed()
    page.screenshot(path=DOCS / "labelling-actor.png")

    # keep that suggestion only (label GOV: the Taliban in power), delete the others
    others = page.locator(f"{HIGHLIGHT}:not([data-start='15'])")
    while others.count():
        others.first.click()
        page.keyboard.press("Backspace")
    relabel(page, 15, "GOV")

    # a span the gazetteer missed, linked to a candidate
    movement = doc.text.index("Islamic movement")
    mark(page, "GOV", "Islamic movement", movement)
    region(page, movement).click()
    choice(page, "AFG").click()
    actor_option(page, "Q42418").click()
    expect(actor_option(page, "Q42418").locator("input")).to_be_checked()

    # a new actor: "new", then its name in the box that appears
    allies = doc.text.index("Western allies")
    mark(page, "GOV", "Western allies", allies)
    region(page, allies).click()
    choice(page, "OTHER").click()
    actor_option(page, "new").click()
    name_box = page.get_by_placeholder("the new actor's name, as a reader would know it")
    expect(name_box).to_be_visible()
    name_box.fill("Western allies of Kabul")
    name_box.press("Enter")
    expect(page.get_by_text("Western allies of Kabul").first).to_be_visible()

    page.keyboard.press("Escape")
    choice(page, "NONE").click()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Annotation saved successfully", exact=True)).to_be_visible()
    assert page.dialogs == []

    snapshots, gold = tmp_path / "annotations", tmp_path / "gold"
    corpus_cli("pull", "--project", title, "--out", str(snapshots))
    [snapshot] = snapshots.glob("*.json")
    corpus_cli("export", str(snapshot), "--documents", str(clean / "documents.jsonl"), "--out", str(gold),
               "--name", "v1")
    [record] = map(json.loads, (gold / "v1" / "gold.jsonl").read_text().splitlines())
    ids = {(s["text"], s["actor_id"], s.get("actor_name")) for s in record["spans"]}
    assert ids == {("Taliban", "Q42418", None), ("Islamic movement", "Q42418", None),
                   ("Western allies", "new:western-allies-of-kabul", "Western allies of Kabul")}
