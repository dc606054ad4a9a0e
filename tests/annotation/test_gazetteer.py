"""The gazetteer file: ids, and the checks that keep one id per actor and one actor per alias."""

import pytest

from annotation.gazetteer import GAZETTEER_FILE, actor_options, load_gazetteer
from cleaning.errors import CorpusError


def write(tmp_path, body: str):
    path = tmp_path / "actors.yaml"
    path.write_text("actors:\n" + body)
    return path


TALIBAN = "  - {id: Q42418, name: Taliban, label: GOV, country: AFG, aliases: [Taliban, Islamic Emirate]}\n"


def test_the_shipped_gazetteer_gives_every_actor_an_id_and_the_known_qids():
    g = load_gazetteer()
    ids = {a.name: a.id for a in g.actors}
    assert (ids["Taliban"], ids["United States"], ids["United Nations"]) == ("Q42418", "Q30", "Q1065")
    assert ids["Zalmay Khalilzad"] == "local:zalmay-khalilzad"
    assert all(a.id.startswith(("Q", "local:")) for a in g.actors) and len(g.by_id) == len(g.actors)
    assert "id: Q42418" in GAZETTEER_FILE.read_text()


def test_an_entry_without_id_gets_a_local_one_from_its_name(tmp_path):
    g = load_gazetteer(write(tmp_path, TALIBAN + "  - {name: Zalmay Khalilzad, label: GOV, country: USA}\n"))
    assert [a.id for a in g.actors] == ["Q42418", "local:zalmay-khalilzad"]
    assert g.actors[1].aliases == ("Zalmay Khalilzad",)


def test_two_entries_with_one_id_is_an_error_naming_the_file_and_both(tmp_path):
    path = write(tmp_path, TALIBAN + "  - {id: Q42418, name: Islamic Emirate, label: GOV, country: AFG, aliases: [IEA]}\n")
    with pytest.raises(CorpusError) as err:
        load_gazetteer(path)
    assert err.value.message == f"{path}: actor #2 (Islamic Emirate) has id Q42418, as actor #1 (Taliban) has"
    assert "merge" in err.value.hint


def test_an_alias_claimed_by_two_actors_is_an_error_naming_both(tmp_path):
    path = write(tmp_path, TALIBAN + "  - {id: local:iea, name: IEA, label: GOV, country: AFG, aliases: [Islamic Emirate]}\n")
    with pytest.raises(CorpusError) as err:
        load_gazetteer(path)
    assert err.value.message == (f"{path}: alias 'Islamic Emirate' of actor #2 (IEA) is also an alias of "
                                 "actor #1 (Taliban)")


@pytest.mark.parametrize("bad", ["Taliban", "new:taliban", "q42418"])
def test_an_id_that_is_neither_a_qid_nor_local_is_an_error(tmp_path, bad):
    path = write(tmp_path, f"  - {{id: '{bad}', name: Taliban, label: GOV, country: AFG}}\n")
    with pytest.raises(CorpusError) as err:
        load_gazetteer(path)
    assert err.value.message == f"{path}: actor #1 (Taliban) has id {bad!r}"
    assert "local:taliban" in err.value.hint


def test_a_task_offers_the_actors_its_text_names_in_order_then_new():
    g = load_gazetteer()
    text = "The UN said Washington and the Taliban met; the Islamic Emirate denied it. UNAMA agreed."
    options = actor_options(g.candidates(text), "new", "New actor <typed>")
    assert [o["value"] for o in options] == ["Q1065", "Q30", "Q42418", "local:unama", "new"]
    assert options[0]["html"] == "<b>United Nations</b> <small>OTHER · Q1065</small>"
    assert options[-1]["html"] == "<i>New actor &lt;typed&gt;</i>"


def test_suggestions_carry_the_actor_id_and_one_outside_the_task_options_is_refused():
    from annotation.prelabel import predict, validate_prediction
    from annotation.scheme import load_scheme

    g, scheme = load_gazetteer(), load_scheme()
    text = "Washington warned the Islamic Emirate."
    prediction = predict(text, "2022-01-01", g, scheme)
    ids = {r["value"]["text"]: r["value"]["choices"] for r in prediction["result"] if r["from_name"] == "actor_id"}
    assert ids == {"Washington": ["Q30"], "Islamic Emirate": ["Q42418"]}
    options = [o["value"] for o in actor_options(g.candidates(text), "new", "New actor")]
    assert validate_prediction(prediction, text, scheme, options) == []
    assert validate_prediction(prediction, text, scheme, ["Q30", "new"]) == [
        "region g1: choice 'Q42418' is not in actor_id"]
