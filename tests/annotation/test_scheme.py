"""Scheme file -> Label Studio config: pure, in memory (the real server's verdict is in test_push)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from annotation.scheme import load_guidelines, load_scheme, scheme_from_dict, to_label_config
from cleaning.errors import CorpusError
from tests.annotation.conftest import scheme_dict


def test_config_has_every_control_of_the_scheme():
    root = ET.fromstring(to_label_config(load_scheme()))
    labels = root.find("Labels")
    assert labels.get("name") == "actor" and labels.get("toName") == "text"
    assert [(x.get("value"), x.get("hotkey")) for x in labels] == [
        ("GOV", "g"), ("MIL", "m"), ("REB", "r"), ("IGO", "i"), ("NGO", "n"), ("JRN", "j"), ("CVL", "c"), ("OTHER", "o")]
    assert all(x.get("background", "").startswith("#") for x in labels)
    assert [x.get("value") for x in root.find("Relations")] == ["SUPPORTS", "OPPOSES", "NEUTRAL"]
    country = root.find("View[@visibleWhen='region-selected']/Choices")
    assert (country.get("name"), country.get("perRegion")) == ("country", "true")
    assert {"USA", "AFG", "PAK", "QAT", "OTHER"} <= {c.get("value") for c in country}
    stance = root.find("Choices[@name='stance']")
    assert stance.get("required") == "true" and stance.get("choice") == "single"
    assert [c.get("value") for c in stance] == ["FAVOR", "AGAINST", "NONE"]
    assert root.find("Text").attrib == {"name": "text", "value": "$text"}


def test_target_is_configurable_and_escaped():
    xml = to_label_config(load_scheme().with_target('the "Islamic Emirate" & allies'))
    headers = [h.get("value") for h in ET.fromstring(xml).iter("Header")]
    assert 'Stance of the whole text toward the "Islamic Emirate" & allies' in headers


def test_names_match_what_the_exports_stage_reads():
    from exports import scheme as names
    s = load_scheme()
    assert (s.actor_name, s.stance_name, (s.country_name,)) == (names.ACTOR, names.STANCE, names.ATTRIBUTES)
    assert (s.label_values, s.relations, s.stances) == (names.ACTOR_LABELS, names.RELATION_LABELS, names.STANCE_LABELS)
    assert s.target == names.DEFAULT_TARGET


def test_repeated_label_is_an_error_naming_the_file_and_key():
    raw = scheme_dict()
    raw["actor"]["labels"].append({"value": "GOV", "background": "#000000"})
    with pytest.raises(CorpusError) as caught:
        scheme_from_dict(raw, "my/scheme.yaml")
    assert caught.value.message == "my/scheme.yaml: actor.labels repeats GOV"


def test_missing_section_and_shared_hotkey_are_errors():
    raw = scheme_dict()
    del raw["stance"]
    with pytest.raises(CorpusError, match="scheme.yaml: missing or malformed key 'stance'"):
        scheme_from_dict(raw, "scheme.yaml")
    raw = scheme_dict()
    raw["actor"]["labels"][1]["hotkey"] = "g"
    with pytest.raises(CorpusError, match="actor hotkey g is used twice"):
        scheme_from_dict(raw)


def test_guidelines_render_to_html_with_seed_examples():
    html = load_guidelines()
    assert html.startswith("<h1>") and "<table>" in html
    assert "condemned the Taliban" in html and "15 August 2021" in html
