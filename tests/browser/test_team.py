"""Annotating as a team, in a real browser against the real server the suite starts.

The seed corpus is pushed to a team of two (`corpus push --team 2 --overlap 2`:
one project, a "desk", per annotator). Each annotator signs up through their
desk's invite link, lands on their own desk and labels two documents without
any sight of the other's answer; they disagree on one document's stance.
`corpus pull` merges the desks by document, `corpus adjudicate` sends the one
document with an open item to the review project, where the curator finds the
agreed items pre-filled and both answers beside them, and decides. After a
second pull, the export holds both documents with their agreed and adjudicated
items, while agreement still shows the original disagreement.

The test takes the README's screenshots of this section; `make screenshots`
(UPDATE_SCREENSHOTS=1) writes them into docs/, a plain run into a temporary folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from annotation.client import read_env_file
from annotation.server import PASSWORD_KEY, USER_KEY
from annotation.tasks import read_documents
from annotation.team import desk_title, review_title
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT, sign_up

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "raw"
DOCS = ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else Path(tempfile.mkdtemp(prefix="screenshots-"))
PASSWORD = "label-me-2024"
TEXT = ".lsf-htx-richtext"
HIGHLIGHT = f"{TEXT} .htx-highlight"
TITLE = "browser team"


@pytest.fixture
def pages(browser: Browser) -> Iterator[callable]:
    """Factory of pages, each in its own context (its own login), closed at teardown."""
    contexts = []

    def new_page() -> Page:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        return page

    yield new_page
    for context in contexts:
        context.close()


def words(text: str, n: int = 5) -> str:
    return " ".join(text.split()[:n])


def choice(page: Page, value: str):
    return page.locator(".lsf-choice__item").filter(has_text=re.compile(rf"^\s*{value}\b"))


def open_task(page: Page, preview: str) -> None:
    """Click the task whose text starts with `preview` in the data manager the page shows."""
    page.locator(".lsf-table-row", has_text=preview).first.click()
    page.wait_for_selector(TEXT)
    page.wait_for_load_state("networkidle")


def label_and_submit(page: Page, project_url: str, preview: str, stance: str, shot: str | None = None) -> None:
    """Open a task fresh, keep the suggested actors as they are, choose the stance and submit."""
    page.goto(project_url)
    open_task(page, preview)
    expect(page.get_by_role("button", name="Submit")).to_be_visible()  # a fresh draft, nobody's answer to update
    expect(page.get_by_role("button").filter(has_text=re.compile(r"^Update$"))).to_have_count(0)
    choice(page, stance).click()
    expect(choice(page, stance).locator("input")).to_be_checked()
    if shot:
        page.mouse.move(0, 0)
        page.screenshot(path=DOCS / shot)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Annotation saved successfully", exact=True)).to_be_visible()


def dated_seeds(folder: Path) -> Path:
    """Copy the seeds, giving seed 000 the dateline its page lacks (it reports December 2021).

    An undated article's Taliban are suggested UNSURE, an open item until someone labels
    them; here both annotators keep the suggestions, so the agreed document must be dated.
    """
    shutil.copytree(SEEDS, folder)
    first = next(folder.glob("000_*.txt"))
    title, rest = first.read_text(encoding="utf-8").split("\n", 1)
    first.write_text(f"{title}\n\nSunday, 12/19/2021\n{rest}", encoding="utf-8")
    return folder


def test_two_annotators_label_apart_a_curator_adjudicates_and_the_export_keeps_both(
        label_studio, pages, corpus_cli, tmp_path):
    clean, snapshots, gold = tmp_path / "clean", tmp_path / "annotations", tmp_path / "gold"
    corpus_cli("clean", str(dated_seeds(tmp_path / "raw")), "--out", str(clean))
    pushed = corpus_cli("push", str(clean), "--project", TITLE, "--team", "2", "--overlap", "2")
    assert pushed.stdout.count("5 created") == 2, pushed.stdout
    docs = {d.source[:3]: d for d in read_documents(clean)}
    agreed_doc, disputed_doc = docs["000"], docs["001"]
    admin = label_studio.client()
    desks = {n: admin.find_project(desk_title(TITLE, n)) for n in (1, 2)}
    annotators = {1: "first@example.org", 2: "second@example.org"}

    # each annotator signs up through their desk's link and lands on their own desk
    seen = {}
    for desk, email in annotators.items():
        page = pages()
        invite = corpus_cli("annotators", "invite", "--desk", str(desk), "--project", TITLE).stdout
        sign_up(page, invite, email, PASSWORD)
        assert re.search(rf"/projects/{desks[desk]['id']}/data", page.url), page.url
        expect(page.locator(".lsf-table-row")).to_have_count(5)
        if desk == 1:
            page.mouse.move(0, 0)
            page.screenshot(path=DOCS / "team-desk.png")
        seen[desk] = page

    # they label the same two documents; neither page ever shows the other's answer
    stances = {1: "AGAINST", 2: "FAVOR"}
    for desk, page in seen.items():
        desk_url = f"{label_studio.url}/projects/{desks[desk]['id']}/data"
        label_and_submit(page, desk_url, words(agreed_doc.text), "NONE")
        label_and_submit(page, desk_url, words(disputed_doc.text), stances[desk],
                         shot="team-label.png" if desk == 2 else None)
    second = seen[2]
    second.goto(f"{label_studio.url}/projects/")
    expect(second.get_by_text(desk_title(TITLE, 2))).to_be_visible()
    assert annotators[1] not in second.content()  # the project list names no annotator

    # pull merges the desks by document; the disputed stance is the one open item
    pulled = corpus_cli("pull", "--project", TITLE, "--out", str(snapshots))
    assert "merged 2 desks by document" in pulled.stdout and "5 tasks, 4 annotations" in pulled.stdout, pulled.stdout
    [first_snapshot] = snapshots.glob("snapshot-*.json")
    adjudicate = corpus_cli("adjudicate", str(first_snapshot), "--project", TITLE)
    assert "1 documents with open items: 1 sent to review" in adjudicate.stdout, adjudicate.stdout
    review_url = re.search(r"adjudicate at (\S+),", adjudicate.stdout).group(1)
    review = admin.find_project(review_title(TITLE))
    [task] = admin.list_tasks(review["id"], annotations=True)
    assert task["data"]["doc_id"] == disputed_doc.id
    assert [p["model_version"] for p in task["predictions"]] == ["agreed", *annotators.values()]

    # the curator decides in the browser: the agreed spans pre-filled, both answers beside them
    curator = pages()
    login = read_env_file(label_studio.env_file)
    curator.goto(f"{label_studio.url}/user/login/")
    curator.fill("#email", login[USER_KEY])
    curator.fill("#password", login[PASSWORD_KEY])
    curator.get_by_role("button", name="Log in").click()
    curator.wait_for_url(lambda url: "/user/login" not in url)
    curator.goto(review_url)
    open_task(curator, words(disputed_doc.text))
    agreed_spans = [r for r in task["predictions"][0]["result"] if r["from_name"] == "actor"]
    expect(curator.locator(HIGHLIGHT)).to_have_count(len(agreed_spans))
    expect(choice(curator, "AGAINST").locator("input")).not_to_be_checked()  # the stance is open: not pre-filled
    for email in annotators.values():  # each answer is a prediction tab named by its annotator (shortened)
        expect(curator.get_by_text(re.compile(rf"^{re.escape(email[:7])}")).first).to_be_attached()
    choice(curator, "AGAINST").click()
    curator.mouse.move(0, 0)
    curator.screenshot(path=DOCS / "team-review.png")
    curator.get_by_role("button", name="Submit").click()
    expect(curator.get_by_text("Annotation saved successfully", exact=True)).to_be_visible()

    # the second pull takes the curator's answer as the adjudication; export and agreement
    pulled = corpus_cli("pull", "--project", TITLE, "--out", str(snapshots))
    assert "with the review project's adjudications" in pulled.stdout, pulled.stdout
    snapshot = sorted(snapshots.glob("snapshot-*.json"))[-1]
    exported = corpus_cli("export", str(snapshot), "--documents", str(clean / "documents.jsonl"),
                          "--out", str(gold), "--name", "team")
    records = {r["doc_id"]: r for r in map(json.loads, (gold / "team" / "gold.jsonl").read_text().splitlines())}
    assert set(records) == {agreed_doc.id, disputed_doc.id}, exported.stdout
    assert records[agreed_doc.id]["stance"] == "NONE" and records[agreed_doc.id]["resolution"] == "agreed"
    disputed = records[disputed_doc.id]
    assert disputed["stance"] == "AGAINST" and disputed["resolution"] == "adjudicated"
    assert disputed["items"]["stance"]["adjudicated"] == 1 and disputed["items"]["span"]["open"] == 0
    assert disputed["items"]["span"]["agreed"] == len(agreed_spans)
    assert disputed["provenance"]["adjudication_id"] is not None
    assert not (gold / "team" / "conflicts.jsonl").read_text().strip()
    report = json.loads((gold / "team" / "agreement.json").read_text())
    assert report["tasks_compared"] == 2 and report["stance"]["alpha"] < 1, report["stance"]
    assert sorted(report["annotators"]) == sorted(annotators.values())  # the curator's answer is not in agreement
    agreement = corpus_cli("agreement", str(snapshot), "--out", str(tmp_path / "agreement"))
    print(pulled.stdout, adjudicate.stdout, exported.stdout, agreement.stdout, sep="\n")  # the README quotes these
