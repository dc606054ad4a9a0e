"""The labelling page in a real browser, as an annotator sees it, against the real server the suite starts.

The seed corpus is cleaned and pushed with the `corpus` command; an annotator
signs up through the link `corpus annotators invite` prints, opens the first
article, keeps one suggested actor and deletes the others, marks a new actor
with the mouse, draws a stance relation, picks the document stance and
submits. `corpus pull` and `corpus export` must then give back exactly that.
A second test checks that markup in a document is shown as text, not run.

The first test takes the two screenshots the README shows; `make screenshots`
(UPDATE_SCREENSHOTS=1) writes them into docs/, a plain run into a temporary
folder, so `make test` leaves the tree as it was.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotation.tasks import read_documents
from cleaning.document import Document
from tests.annotation.conftest import write_clean_dir
from tests.browser.conftest import sign_up

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "raw"
DOCS = ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else Path(tempfile.mkdtemp(prefix="screenshots-"))
PASSWORD = "label-me-2024"

TEXT = ".lsf-htx-richtext"  # the task text as Label Studio renders it
HIGHLIGHT = f"{TEXT} .htx-highlight"  # one per span region, with data-start / data-end in text offsets

# The page text node holding `phrase` (outside any span), as the client rectangle of its first and last line.
PHRASE_BOX = """([root, phrase]) => {
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.htx-highlight')) continue;
    const at = node.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    const boxes = range.getClientRects();
    const first = boxes[0], last = boxes[boxes.length - 1];
    return {x0: first.left + 1, y0: first.top + first.height / 2, x1: last.right - 1, y1: last.top + last.height / 2};
  }
  return null;
}"""


def region(page: Page, start: int):
    return page.locator(f"{HIGHLIGHT}[data-start='{start}']")


def open_task(page: Page, project_url: str, preview: str) -> None:
    """Open the project page `corpus push` printed and click the task whose text starts with `preview`."""
    page.goto(project_url)
    page.locator(".lsf-table-row", has_text=preview).first.click()
    page.wait_for_selector(TEXT)
    page.wait_for_load_state("networkidle")


def select_with_mouse(page: Page, phrase: str) -> None:
    """Drag the mouse over `phrase` in the task text, as a person selects words."""
    box = page.evaluate(PHRASE_BOX, [TEXT, phrase])
    assert box, f"{phrase!r} is not in the task text outside existing spans"
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=8)
    page.mouse.up()


def relabel(page: Page, start: int, label: str) -> None:
    """Give the span at `start` another label: select it, click the label."""
    region(page, start).click()
    page.locator(".lsf-label", has_text=label).first.click()


def mark(page: Page, label: str, phrase: str, start: int) -> None:
    """Mark a new actor: pick the label, drag over `phrase` (at `start` in the text), and deselect."""
    page.keyboard.press("Escape")
    page.locator(".lsf-label", has_text=label).first.click()
    select_with_mouse(page, phrase)
    expect(region(page, start)).to_have_text(phrase)
    page.keyboard.press("Escape")


def draw_relation(page: Page, source: int, target: int) -> None:
    """Draw a relation from the span at `source` to the one at `target` and open its labels in the Relations tab."""
    region(page, source).click()
    page.get_by_role("button", name="Create Relation").click()
    region(page, target).click()
    page.locator(".lsf-panel-tabs__tab", has_text="Relations").first.click()
    expect(page.locator(".lsf-relations__item")).to_have_count(1)
    page.locator(".lsf-relations__item").hover()
    page.get_by_role("button", name="Show Relation Labels").click()


def pick_relation_label(page: Page, label: str) -> None:
    """Pick `label` in the open relation's label menu."""
    page.locator(".lsf-relation-meta [data-testid^='select-trigger']").click()
    page.locator(f"[data-testid='select-option-{label}']").click()
    page.keyboard.press("Escape")


def choice(page: Page, value: str):
    """A choice by its value (the label's text starts with it; a hotkey hint may follow)."""
    return page.locator(".lsf-choice__item").filter(has_text=re.compile(rf"^\s*{value}\b"))


def test_annotator_labels_a_task_and_pull_and_export_give_back_what_was_clicked(
        label_studio, page, corpus_cli, tmp_path):
    clean, title, email = tmp_path / "clean", "browser labelling", "reader@example.org"
    corpus_cli("clean", str(SEEDS), "--out", str(clean))
    pushed = corpus_cli("push", str(clean), "--project", title)
    project_url = re.search(r"annotate at (\S+)", pushed.stdout).group(1)
    assert "5 created" in pushed.stdout and "5 with pre-annotations" in pushed.stdout, pushed.stdout
    doc = next(d for d in read_documents(clean) if d.source.startswith("000_"))
    admin = label_studio.client()
    project = admin.find_project(title)
    [task] = [t for t in admin.list_tasks(project["id"], annotations=True) if t["data"]["doc_id"] == doc.id]
    predicted = {r["id"]: r["value"] for r in task["predictions"][0]["result"] if r["from_name"] == "actor"}
    kept = next(r for r in predicted.values() if r["start"] == 15)  # the first "Taliban"

    # 1. sign up through the invite link, as a new annotator
    sign_up(page, corpus_cli("annotators", "invite").stdout, email, PASSWORD)
    assert email in {u["email"] for u in admin.users()}

    # 2. the cleaned text (not the raw one) and the guidelines
    open_task(page, project_url, "Afghanistan of Taliban On Sunday")
    shown = page.locator(TEXT).inner_text()
    assert " ".join(shown.split()) == " ".join(doc.text.split())
    assert "Source link" not in shown and "Afghanistanof" not in shown
    page.get_by_role("button", name="Instructions").click()
    guidelines = page.locator(".lsf-modal-ls__content")
    expect(guidelines).to_contain_text("Annotation guidelines: actors and stance in news about Afghanistan")
    expect(guidelines).to_contain_text("Check every suggestion")
    guidelines.get_by_role("button", name="Close modal").click()
    expect(guidelines).to_be_hidden()

    # the task opens pre-filled with the gazetteer's suggestions, one highlight each
    expect(page.locator(HIGHLIGHT)).to_have_count(len(predicted))
    page.screenshot(path=DOCS / "labelling-task.png")

    # 3a. keep one suggested actor: delete every other suggestion (click it, Backspace)
    others = page.locator(f"{HIGHLIGHT}:not([data-start='{kept['start']}'])")
    for left in range(len(predicted) - 1, 0, -1):
        others.first.click()
        page.keyboard.press("Backspace")
        expect(others).to_have_count(left - 1)
    expect(region(page, kept["start"])).to_have_text(kept["text"])
    # undated, so the suggestion left its label open (UNSURE); the article is about the Taliban in power: GOV
    assert kept["labels"] == ["UNSURE"]
    relabel(page, kept["start"], "GOV")

    # 3b. a new actor: pick the label, drag over the words, then its country
    new_start = doc.text.index("Western allies")
    mark(page, "GOV", "Western allies", new_start)
    region(page, new_start).click()
    choice(page, "OTHER").click()

    # 3c. a stance relation from the new actor to the kept one, labelled OPPOSES
    page.keyboard.press("Escape")
    draw_relation(page, new_start, kept["start"])
    pick_relation_label(page, "OPPOSES")
    expect(page.locator(".lsf-relation-meta")).to_contain_text("OPPOSES")

    # 3d. the document stance, then submit
    page.keyboard.press("Escape")
    choice(page, "AGAINST").click()
    expect(choice(page, "AGAINST").locator("input")).to_be_checked()
    region(page, kept["start"]).scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    page.screenshot(path=DOCS / "labelling-relation.png")
    assert all((DOCS / name).read_bytes().startswith(b"\x89PNG") for name in ("labelling-task.png", "labelling-relation.png"))
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Annotation saved successfully", exact=True)).to_be_visible()
    expect(page.get_by_role("button").filter(has_text=re.compile(r"^Update$"))).to_be_visible()  # the task now holds a submitted annotation
    assert page.dialogs == []

    # 4. pull and export give back exactly what was clicked
    snapshots, gold = tmp_path / "annotations", tmp_path / "gold"
    pulled = corpus_cli("pull", "--project", title, "--out", str(snapshots))
    assert "5 tasks, 1 annotations" in pulled.stdout, pulled.stdout
    [snapshot] = snapshots.glob("*.json")
    [annotated] = [t for t in json.loads(snapshot.read_text()) if t["annotations"]]
    [annotation] = annotated["annotations"]
    assert annotated["data"]["doc_id"] == doc.id and annotation["completed_by"]["email"] == email
    corpus_cli("export", str(snapshot), "--documents", str(clean / "documents.jsonl"), "--out", str(gold),
               "--name", "v1")
    [record] = map(json.loads, (gold / "v1" / "gold.jsonl").read_text().splitlines())
    assert record["doc_id"] == doc.id and record["stance"] == "AGAINST" and record["annotators"] == [email]
    spans = {(s["start"], s["end"], s["text"], s["label"], s.get("country")) for s in record["spans"]}
    assert spans == {(15, 22, "Taliban", "GOV", "AFG"), (new_start, new_start + 14, "Western allies", "GOV", "OTHER")}
    texts = [s["text"] for s in record["spans"]]
    assert [(texts[r["source"]], texts[r["target"]], r["label"]) for r in record["relations"]] == [
        ("Western allies", "Taliban", "OPPOSES")]


SCRIPT, IMAGE = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"


def test_markup_in_a_document_is_shown_as_text_and_never_run(label_studio, page, corpus_cli, tmp_path):
    # written directly: the cleaner sets such a line aside as boilerplate, and this is about the page
    text = (f"The page showed {SCRIPT} before the article.\n\n"
            f"An image tag {IMAGE} stood where the photo of the Taliban delegation in Doha should have been.")
    doc = Document(id="markup0000000001", source="markup.txt", title=f"Markup {SCRIPT}{IMAGE}", text=text)
    clean = write_clean_dir(tmp_path / "clean", [doc])
    pushed = corpus_cli("push", str(clean), "--project", "browser markup")
    project_url = re.search(r"annotate at (\S+)", pushed.stdout).group(1)
    sign_up(page, corpus_cli("annotators", "invite").stdout, "markup@example.org", PASSWORD)

    open_task(page, project_url, "The page showed")
    expect(page.locator(TEXT)).to_contain_text(SCRIPT)
    expect(page.locator(TEXT)).to_contain_text(IMAGE)
    assert page.locator(f"{TEXT} script").count() == 0
    assert page.locator(f"{TEXT} img").count() == 0
    assert page.locator("img[src='x']").count() == 0  # nowhere on the page: not in the task list either
    page.wait_for_load_state("networkidle")  # a broken image's onerror would have fired by now
    assert page.dialogs == []
