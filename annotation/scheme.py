"""The labelling scheme: read `scheme.yaml`, generate the Label Studio config from it.

The YAML file is the one place the scheme is written; the XML is derived, so a
change to the file reaches the project on the next push, and `exports/scheme.py`
reads its names and values from here.

The page it generates: the headline, date and source of the article above the
text; the text on the left and, in a column beside it that stays in view while
the text scrolls, the per-span attributes of the selected span: its country,
required for every span, and which actor it is (options from the task data: the
gazetteer actors its text names, or a new actor with a typed name); relations
with one label each; the document stance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import quoteattr

import yaml
from markdown_it import MarkdownIt

from cleaning.errors import CorpusError

HERE = Path(__file__).parent
SCHEME_FILE = HERE / "scheme.yaml"
GUIDELINES_FILE = HERE / "guidelines.md"
TEXT = "text"  # the <Text name=...> every region points at


@dataclass(frozen=True)
class Label:
    """One actor span label: a PLOVER sector code with its colour and hotkey."""

    value: str
    background: str
    hotkey: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Scheme:
    """Everything the label config is generated from."""

    project: str
    target: str
    overlap: int
    actor_name: str
    labels: tuple[Label, ...]
    country_name: str
    countries: tuple[str, ...]
    relations: tuple[str, ...]
    stance_name: str
    stances: tuple[str, ...]
    stance_required: bool = True
    country_required: bool = True
    unsure: Label | None = None  # a suggestion's placeholder label, never gold (see scheme.yaml)
    actor_id_name: str = "actor_id"  # per-region choice of the actor a span names
    actor_options: str = "actors"  # the task data field holding that choice's options
    new_actor: str = "new"  # the option for an actor the gazetteer lacks
    new_actor_text: str = "New actor: type its name below"
    actor_name_name: str = "actor_name"  # per-region text box: a new actor's name

    @property
    def label_values(self) -> tuple[str, ...]:
        """The sector labels a gold span can have (not the UNSURE placeholder)."""
        return tuple(label.value for label in self.labels)

    @property
    def unsure_value(self) -> str | None:
        return self.unsure.value if self.unsure else None

    def allowed_labels(self) -> tuple[Label, ...]:
        """The labels the page offers: the sector labels, then the UNSURE placeholder if the scheme has one."""
        return self.labels + ((self.unsure,) if self.unsure else ())

    @property
    def open_controls(self) -> tuple[str, ...]:
        """Controls whose values come from each task's data or the annotator's typing, not from the scheme."""
        return self.actor_id_name, self.actor_name_name

    def allowed(self) -> dict[str, tuple[str, ...]]:
        """Map each control name to the values it accepts (relations under ``relation``)."""
        return {self.actor_name: tuple(x.value for x in self.allowed_labels()), self.country_name: self.countries,
                self.stance_name: self.stances, "relation": self.relations}

    def with_target(self, target: str | None) -> Scheme:
        """Return the scheme with another stance target (None keeps it)."""
        return replace(self, target=target) if target else self


def load_scheme(path: Path | None = None) -> Scheme:
    """Read and check a scheme file; every problem is a `CorpusError` naming the file and the key."""
    path = Path(path or SCHEME_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"scheme file not found: {path}", "give --scheme the path of a scheme.yaml") from None
    except yaml.YAMLError as err:
        raise CorpusError(f"{path}: not valid YAML: {err}",
                          "fix the file; annotation/scheme.yaml is the model") from err
    return scheme_from_dict(raw, str(path))


def scheme_from_dict(raw: dict, where: str = "scheme") -> Scheme:
    """Build a `Scheme` from the parsed YAML mapping, checking what the config needs."""
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: expected a mapping at the top level", "see annotation/scheme.yaml")
    try:
        labels = tuple(_label(x) for x in raw["actor"]["labels"])
        unsure = _label(raw["actor"]["unsure"]) if raw["actor"].get("unsure") else None
        identity = raw.get("actor_id") or {}
        new = identity.get("new") or {}
        scheme = Scheme(
            project=str(raw.get("project") or "newsgold"),
            target=str(raw.get("target") or "the Taliban"),
            overlap=int(raw.get("overlap") or 1),
            actor_name=str(raw["actor"].get("name") or "actor"),
            labels=labels,
            country_name=str(raw["country"].get("name") or "country"),
            countries=tuple(str(c) for c in raw["country"]["choices"]),
            relations=tuple(str(r) for r in raw["relation"]["labels"]),
            stance_name=str(raw["stance"].get("name") or "stance"),
            stances=tuple(str(s) for s in raw["stance"]["choices"]),
            stance_required=bool(raw["stance"].get("required", True)),
            country_required=bool(raw["country"].get("required", True)),
            unsure=unsure,
            actor_id_name=str(identity.get("name") or "actor_id"),
            actor_options=str(identity.get("options") or "actors"),
            new_actor=str(new.get("value") or "new"),
            new_actor_text=str(new.get("text") or "New actor: type its name below"),
            actor_name_name=str(identity.get("new_name") or "actor_name"),
        )
    except (KeyError, TypeError) as err:
        raise CorpusError(f"{where}: missing or malformed key {err}",
                          "the scheme needs actor.labels, country.choices, relation.labels, stance.choices") from err
    _check(scheme, where)
    return scheme


def _label(raw: dict) -> Label:
    return Label(value=str(raw["value"]), background=str(raw["background"]),
                 hotkey=str(raw.get("hotkey") or ""), hint=str(raw.get("hint") or ""))


def _check(scheme: Scheme, where: str) -> None:
    if scheme.unsure_value in scheme.label_values:
        raise CorpusError(f"{where}: actor.unsure {scheme.unsure_value} is also a sector label",
                          "the placeholder must differ from every label, or it would reach the gold data")
    for what, values in (("actor.labels", scheme.label_values), ("country.choices", scheme.countries),
                         ("relation.labels", scheme.relations), ("stance.choices", scheme.stances)):
        if not values:
            raise CorpusError(f"{where}: {what} is empty", "Label Studio refuses a control with no values")
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise CorpusError(f"{where}: {what} repeats {', '.join(dupes)}", "each value must appear once")
    keys = [label.hotkey for label in scheme.labels if label.hotkey]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise CorpusError(f"{where}: actor hotkey {', '.join(dupes)} is used twice", "give each label its own hotkey")
    names = [scheme.actor_name, scheme.country_name, scheme.stance_name, TEXT, *scheme.open_controls]
    if len(set(names)) != len(names):
        raise CorpusError(f"{where}: control names must differ: {', '.join(names)}", "rename one of them")
    if scheme.overlap < 1:
        raise CorpusError(f"{where}: overlap must be at least 1, got {scheme.overlap}", "2 is the default")


# The text and the side column share one row; the column sticks to the top of the scrolling page,
# so the country of a span selected anywhere in a long article is beside it, not below the text. Its
# height is capped (it scrolls itself): with the actor choice's options it can be taller than the page,
# and a sticky column taller than the page scrolls out of view near the article's end.
ROW_STYLE = "display: flex; align-items: flex-start; gap: 24px"
TEXT_STYLE = "flex: 1 1 auto; min-width: 0"
SIDE_STYLE = ("flex: 0 0 260px; position: sticky; top: 0; padding: 8px 12px; max-height: 60vh; overflow-y: auto; "
              "border-left: 3px solid #ffe119; background: #fffdf0")


def to_label_config(scheme: Scheme) -> str:
    """Generate the Label Studio XML config for `scheme`.

    >>> s = scheme_from_dict({"actor": {"labels": [{"value": "GOV", "background": "#e6194b", "hotkey": "g"}]},
    ...     "country": {"choices": ["USA"]}, "relation": {"labels": ["OPPOSES"]},
    ...     "stance": {"choices": ["FAVOR", "AGAINST", "NONE"]}})
    >>> '<Label value="GOV" background="#e6194b" hotkey="g"/>' in to_label_config(s)
    True
    """
    a = quoteattr
    required = ' required="true" requiredMessage=' + a(
        f"Every actor needs a {scheme.country_name}: the span now selected has none. "
        f"Pick one in the column beside the text.") if scheme.country_required else ""
    lines = ['<View>',
             '  <Header value="$headline" size="3"/>',
             '  <Header value="Date: $dateline" size="5" style="margin: 0"/>',
             '  <Header value="Source: $origin" size="5" style="margin: 0 0 12px 0"/>',
             f'  <Header value={a("Actors: select a label, then the words that name the actor")}/>',
             f'  <Labels name={a(scheme.actor_name)} toName={a(TEXT)} showInline="true">']
    for label in scheme.allowed_labels():
        attrs = f'value={a(label.value)} background={a(label.background)}'
        attrs += f' hotkey={a(label.hotkey)}' if label.hotkey else ''
        attrs += f' hint={a(label.hint)}' if label.hint else ''
        lines.append(f'    <Label {attrs}/>')
    lines += ['  </Labels>', '  <Relations choice="single">']
    lines += [f'    <Relation value={a(r)}/>' for r in scheme.relations]
    lines += ['  </Relations>',
              f'  <View style={a(ROW_STYLE)}>',
              f'    <View style={a(TEXT_STYLE)}>',
              f'      <Text name={a(TEXT)} value="$text"/>',
              '    </View>',
              f'    <View style={a(SIDE_STYLE)}>',
              '      <View visibleWhen="no-region-selected">',
              f'        <Header value={a(f"Select an actor to give its {scheme.country_name}")} size="5"/>',
              '      </View>',
              '      <View visibleWhen="region-selected">',
              f'        <Header value={a(f"{scheme.country_name.capitalize()} of the selected actor")} size="5"/>',
              f'        <Choices name={a(scheme.country_name)} toName={a(TEXT)} perRegion="true" choice="single"'
              f' showInline="true"{required}>']  # inline: the actor choice below stays in view
    lines += [f'          <Choice value={a(c)}/>' for c in scheme.countries]
    lines += ['        </Choices>', *_actor_choice(scheme), '      </View>', '    </View>', '  </View>',
              f'  <Header value={a(f"Stance of the whole text toward {scheme.target}")}/>',
              f'  <Choices name={a(scheme.stance_name)} toName={a(TEXT)} choice="single" showInline="true"'
              + (' required="true"' if scheme.stance_required else '') + '>']
    lines += [f'    <Choice value={a(s)}/>' for s in scheme.stances]
    lines += ['  </Choices>', '</View>']
    return "\n".join(lines) + "\n"


NAME_PLACEHOLDER = "the new actor's name, as a reader would know it"


def _actor_choice(scheme: Scheme) -> list[str]:
    """The side column's actor choice: options from the task data, and a name box for a new actor."""
    a = quoteattr
    return [f'        <Header value={a("Which actor is it?")} size="5"/>',
            f'        <Choices name={a(scheme.actor_id_name)} toName={a(TEXT)} perRegion="true" choice="single"'
            f' value={a("$" + scheme.actor_options)}/>',
            f'        <View visibleWhen="choice-selected" whenTagName={a(scheme.actor_id_name)}'
            f' whenChoiceValue={a(scheme.new_actor)}>',
            f'          <TextArea name={a(scheme.actor_name_name)} toName={a(TEXT)} perRegion="true"'
            f' maxSubmissions="1" editable="true" placeholder={a(NAME_PLACEHOLDER)}/>',
            '        </View>']


def load_guidelines(path: Path | None = None) -> str:
    """Render the Markdown guidelines to the HTML Label Studio shows as the project's instructions."""
    path = Path(path or GUIDELINES_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(f"guidelines not found: {path}", "give --guidelines the path of a Markdown file") from None
    return MarkdownIt("commonmark").enable("table").render(text)
