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
ATTRIBUTES = (_SCHEME.country_name,)  # per-region <Choices perRegion="true">, keyed by the span's region id

ACTOR_LABELS = _SCHEME.label_values  # what a gold span can be labelled
UNSURE = _SCHEME.unsure_value  # the pre-annotation's placeholder: a span left with it is never gold
RELATION_LABELS = _SCHEME.relations
UNLABELLED = "UNLABELLED"  # an arrow drawn without choosing a relation label
MULTI_LABEL = "+"  # joins the labels of a relation given several: flagged, never gold by itself
STANCE_LABELS = _SCHEME.stances
DEFAULT_TARGET = _SCHEME.target

LABELS_TYPE = "labels"
CHOICES_TYPE = "choices"
RELATION_TYPE = "relation"

__all__ = ["TEXT", "ACTOR", "STANCE", "ATTRIBUTES", "ACTOR_LABELS", "UNSURE", "RELATION_LABELS", "UNLABELLED",
           "MULTI_LABEL", "STANCE_LABELS", "DEFAULT_TARGET", "LABELS_TYPE", "CHOICES_TYPE", "RELATION_TYPE"]
