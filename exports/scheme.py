"""The labelling scheme as the exports stage reads it: names and values from `annotation/scheme.yaml`.

The scheme is written once, in `annotation/scheme.yaml`; this module reads it
(through `annotation.scheme`) and adds only what belongs to the exports: the
markers for a relation drawn without a label or with several. The exports
stage reads only the names it knows and keeps the rest of a result aside, so a
scheme that grows does not break an export.
"""

from __future__ import annotations

from annotation.scheme import TEXT, load_scheme

_SCHEME = load_scheme()

ACTOR = _SCHEME.actor_name  # <Labels>: actor spans
STANCE = _SCHEME.stance_name  # document-level <Choices>: stance toward the target
ACTOR_ID = _SCHEME.actor_id_name  # per-region choice: which actor the span names (options from the task data)
ACTOR_OPTIONS = _SCHEME.actor_options  # the task data field the actor choice reads its options from
ACTOR_NAME = _SCHEME.actor_name_name  # per-region text box: the name of a new actor
NEW_ACTOR = _SCHEME.new_actor  # the actor choice's option for an actor the gazetteer lacks
# per-region attributes, keyed by the span's region id, each resolved item by item; a new actor's
# actor_id is made from its typed name (new:<slug>), so it is compared like any other id
COUNTRY = _SCHEME.country_name  # per-region choice: the actor's country
ATTRIBUTES = (COUNTRY, ACTOR_ID)

ACTOR_LABELS = _SCHEME.label_values  # what a gold span can be labelled
LABEL_COLOURS = {label.value: label.background for label in _SCHEME.labels}  # the page's colours, for pictures
UNSURE = _SCHEME.unsure_value  # the pre-annotation's placeholder: a span left with it is never gold
RELATION_LABELS = _SCHEME.relations
UNLABELLED = "UNLABELLED"  # an arrow drawn without choosing a relation label
MULTI_LABEL = "+"  # joins the labels of a relation given several: flagged, never gold by itself
STANCE_LABELS = _SCHEME.stances
DEFAULT_TARGET = _SCHEME.target

LABELS_TYPE = "labels"
CHOICES_TYPE = "choices"
RELATION_TYPE = "relation"
TEXTAREA_TYPE = "textarea"

__all__ = ["TEXT", "ACTOR", "STANCE", "ACTOR_ID", "ACTOR_OPTIONS", "ACTOR_NAME", "NEW_ACTOR", "COUNTRY", "ATTRIBUTES",
           "ACTOR_LABELS", "LABEL_COLOURS", "UNSURE",
           "RELATION_LABELS", "UNLABELLED", "MULTI_LABEL", "STANCE_LABELS", "DEFAULT_TARGET", "LABELS_TYPE",
           "CHOICES_TYPE", "RELATION_TYPE", "TEXTAREA_TYPE"]
