"""The condition language (see `conditions.language`) and its facts (`conditions.facts`)."""

from .facts import CHOICE_OPS, FACTS, NUM_OPS, SET_OPS, Fact, column_fact, fact
from .language import (
    Condition,
    Outcome,
    annotate,
    explain,
    fact_value,
    facts_used,
    filter_queryset,
    matches,
    subject_errors,
    to_q,
    validate,
    with_fact,
)

__all__ = [
    "CHOICE_OPS",
    "FACTS",
    "NUM_OPS",
    "SET_OPS",
    "Condition",
    "Fact",
    "Outcome",
    "annotate",
    "column_fact",
    "explain",
    "fact_value",
    "fact",
    "facts_used",
    "filter_queryset",
    "matches",
    "subject_errors",
    "to_q",
    "validate",
    "with_fact",
]
