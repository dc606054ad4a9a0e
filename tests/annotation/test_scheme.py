"""Scheme file -> Label Studio config: pure, in memory (the real server's verdict is in test_push)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotation.scheme import load_guidelines, load_scheme, scheme_from_dict, to_label_config
from cleaning.errors import CorpusError
from tests.annotation.conftest import scheme_dict


def test_config_has_every_control_of_the_scheme():
    root = ET.fromstring(to_label_config(load_scheme()))
    labels = root.find("Labels")
    assert labels.get("name") == "actor" and labels.get("toName") == "text"
    assert [(x.get("value"), x.get("hotkey")) for x in labels] == [
        ("GOV", "g"), ("MIL", "m"), ("REB", "r"), ("IGO", "i"), ("NGO", "n"), ("JRN", "j"), ("CVL", "c"),
        ("OTHER", "o"), ("UNSURE", None)]
    assert all(x.get("background", "").startswith("#") for x in labels)
    relations = root.find("Relations")
    assert [x.get("value") for x in relations] == ["SUPPORTS", "OPPOSES", "NEUTRAL"]
    assert relations.get("choice") == "single"  # Label Studio 1.23.2 defaults to multiple
    country = root.find(".//View[@visibleWhen='region-selected']/Choices")
    assert (country.get("name"), country.get("perRegion"), country.get("required")) == ("country", "true", "true")
    assert "needs a country" in country.get("requiredMessage")
    assert {"USA", "AFG", "PAK", "QAT", "OTHER"} <= {c.get("value") for c in country}
    stance = root.find("Choices[@name='stance']")
    assert stance.get("required") == "true" and stance.get("choice") == "single"
    assert [c.get("value") for c in stance] == ["FAVOR", "AGAINST", "NONE"]
    assert root.find(".//Text").attrib == {"name": "text", "value": "$text"}


def test_header_shows_headline_date_and_source_and_the_country_sits_in_the_column_beside_the_text():
    root = ET.fromstring(to_label_config(load_scheme()))
    assert [h.get("value") for h in root.findall("Header")][:3] == ["$headline", "Date: $dateline", "Source: $origin"]
    [row] = [v for v in root.findall("View") if v.find("View/Text") is not None]
    text_column, side_column = row.findall("View")
    assert "display: flex" in row.get("style") and "position: sticky" in side_column.get("style")
    assert side_column.find(".//Choices[@name='country']") is not None
    assert text_column.find("Text").get("name") == "text"


def test_country_can_be_made_optional_and_the_placeholder_may_not_be_a_label():
    raw = scheme_dict()
    raw["country"]["required"] = False
    country = ET.fromstring(to_label_config(scheme_from_dict(raw))).find(".//Choices[@name='country']")
    assert country.get("required") is None
    raw["actor"]["unsure"] = {"value": "GOV", "background": "#ffe119"}
    with pytest.raises(CorpusError, match="actor.unsure GOV is also a sector label"):
        scheme_from_dict(raw, "scheme.yaml")


def test_target_is_configurable_and_escaped():
    xml = to_label_config(load_scheme().with_target('the "Islamic Emirate" & allies'))
    headers = [h.get("value") for h in ET.fromstring(xml).iter("Header")]
    assert 'Stance of the whole text toward the "Islamic Emirate" & allies' in headers


def test_exports_read_the_scheme_file_and_copy_nothing():
    from exports import scheme as names
    s = load_scheme()
    source = Path(names.__file__).read_text(encoding="utf-8")
    assert not any(f'"{value}"' in source for value in (
        *s.label_values, *s.relations, *s.stances, s.new_actor,
        s.actor_name, s.stance_name, s.country_name, s.actor_id_name, s.actor_name_name))


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
