"""The Label Studio labelling scheme as the exports stage reads it: every name in one place.

These must match the project's label config in `annotation/`; change them here
and nowhere else. The exports stage reads only the names it knows and keeps the
rest of a result aside, so a scheme that grows does not break an export.
"""

from __future__ import annotations

TEXT = "text"  # the <Text name=...> every region points at (to_name)
ACTOR = "actor"  # <Labels>: actor spans
STANCE = "stance"  # document-level <Choices>: stance toward the target
ATTRIBUTES = ("country",)  # per-region <Choices perRegion="true">, keyed by the span's region id

ACTOR_LABELS = ("GOV", "MIL", "REB", "IGO", "NGO", "JRN", "CVL", "OTHER")
RELATION_LABELS = ("SUPPORTS", "OPPOSES", "NEUTRAL")
UNLABELLED = "UNLABELLED"  # an arrow drawn without choosing a relation label
MULTI_LABEL = "+"  # joins the labels of a relation given several: flagged, never gold by itself
STANCE_LABELS = ("FAVOR", "AGAINST", "NONE")
DEFAULT_TARGET = "the Taliban"

LABELS_TYPE = "labels"
CHOICES_TYPE = "choices"
RELATION_TYPE = "relation"
