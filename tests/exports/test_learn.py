"""`corpus actors learn`: new actors and aliases from gold, written into a gazetteer the next push can use."""

import os
import subprocess
import sys

import pytest

from annotation.gazetteer import GAZETTEER_FILE, load_gazetteer
from annotation.prelabel import predict
from annotation.scheme import load_scheme
from exports.learn import learn_actors
from tests.exports.factories import export_tiny
from tests.exports.test_network import ARMY_RAW, corpus


def corpus_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    return export_tiny(tmp_path_factory.mktemp("learn"), *corpus()).folder


def record(doc_id: str, *spans: tuple[str, str, str]) -> dict:
    return {"doc_id": doc_id, "relations": [],
            "spans": [{"text": text, "label": label, "country": "AFG", "actor_id": actor} for text, label, actor in spans]}


def test_learned_file_keeps_the_base_and_its_comments_and_adds_the_new_actor(gold, tmp_path):
    out = tmp_path / "learned.yaml"
    done = corpus_cli("actors", "learn", str(gold), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}: 33 actors, 1 new and 0 new alias(es)" in done.stdout
    assert "new local:pakistan-army: Pakistan Army (MIL, PAK), 1 mention(s), aliases Pakistan's army" in done.stdout
    text = out.read_text()
    base = GAZETTEER_FILE.read_text()
    assert text.startswith(base.split("actors:")[0])  # the header comments, as they were
    assert "# learned from v1: new:pakistan-army, 1 mention(s) in 1 document(s); review" in text
    learned = load_gazetteer(out)
    assert [a.id for a in learned.actors[:-1]] == [a.id for a in load_gazetteer().actors]
    army = learned.by_id["local:pakistan-army"]
    assert (army.name, army.label, army.country, army.aliases) == ("Pakistan Army", "MIL", "PAK", ("Pakistan's army",))
    # usable by the next push: the new actor is found and pre-annotated with its id
    [army_span] = [r for r in predict(ARMY_RAW, "2020-05-04", learned, load_scheme())["result"]
                   if r["from_name"] == "actor_id" and r["value"]["text"] == "Pakistan's army"]
    assert army_span["value"]["choices"] == ["local:pakistan-army"]


def test_an_existing_file_is_never_replaced_without_force_and_replacing_says_so(gold, tmp_path):
    out = tmp_path / "mine.yaml"
    out.write_text("# my own notes\n")
    refused = corpus_cli("actors", "learn", str(gold), "--out", str(out))
    assert refused.returncode == 1 and f"{out} exists: it was left as it is" in refused.stderr
    assert out.read_text() == "# my own notes\n"
    replaced = corpus_cli("actors", "learn", str(gold), "--out", str(out), "--force")
    assert replaced.returncode == 0 and f"replaced {out}" in replaced.stdout


def test_updating_a_gazetteer_in_place_keeps_its_comments_and_learns_once(gold, tmp_path):
    mine = tmp_path / "actors.yaml"
    mine.write_text("# reviewed by R.\nactors:\n  - id: Q42418  # Wikidata\n    name: Taliban\n    label: GOV\n"
                    "    country: AFG\n    aliases: [Taliban]\n")
    first = corpus_cli("actors", "learn", str(gold), "--actors", str(mine), "--out", str(mine), "--force")
    assert first.returncode == 0, first.stderr
    text = mine.read_text()
    assert text.startswith("# reviewed by R.\nactors:\n  - id: Q42418  # Wikidata\n")
    assert "aliases: [Taliban, Islamic Emirate]  # learned from v1: Islamic Emirate (review)" in text
    assert "id: local:pakistan-army" in text
    # learning the same gold again adds nothing more: the new actor is now a listed one
    again = corpus_cli("actors", "learn", str(gold), "--actors", str(mine), "--out", str(tmp_path / "again.yaml"))
    assert "0 new and 0 new alias(es)" in again.stdout, again.stdout


def test_known_actors_get_new_aliases_but_never_one_another_actor_claims():
    records = [record("a", ("the militants", "REB", "Q42418"), ("Washington", "GOV", "local:us-state-department")),
               record("b", ("the militants", "REB", "Q42418"), ("Foggy Bottom", "GOV", "local:us-state-department")),
               record("c", ("Kabul Bank", "OTHER", "Q999999999"))]
    learned = learn_actors(records, load_gazetteer())
    assert learned.aliases == {"Q42418": ("the militants",), "local:us-state-department": ("Foggy Bottom",)}
    assert learned.refused == [("Washington", "local:us-state-department", "Q30")]
    assert learned.unlisted == ["Q999999999"] and learned.new_actors == []
