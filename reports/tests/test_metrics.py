"""Every metric is one declaration: label, kind, definition, sheet, card, all checked."""

import pytest
from django.utils import translation

from reports.metrics import (
    KINDS,
    METRICS,
    SHEETS,
    Month,
    declare,
    metric_label,
    metric_of,
    metrics,
    village_figures,
)


def test_every_metric_declares_a_known_kind_and_sheet_and_a_translated_label_and_definition():
    assert len(METRICS) >= 40
    with translation.override("zh-hans"):
        for m in METRICS.values():
            assert m.kind in KINDS and m.sheet in SHEETS, m.code
            assert m.compute is not None, m.code
            for text in (m.label, m.definition):
                with translation.override("en"):
                    english = str(text)
                assert str(text) != english or not english.isascii(), f"{m.code}: {english} untranslated"


def test_a_declaration_with_an_unknown_kind_sheet_or_card_is_refused():
    for where in ({"kind": "ratio"}, {"sheet": "weather"}, {"card": "sidebar"}):
        args = {"kind": "count", "sheet": "visits", **where}
        kind = args.pop("kind")
        with pytest.raises(ValueError, match="unknown"):
            declare("x", "X", kind, "an x", **args)


def test_value_scaling_follows_the_kind():
    assert str(METRICS["visit_rate"].value(1, 3)) == "33.3333"
    assert str(METRICS["caregivers_per_10k"].value(3, 20_000)) == "1.5000"
    assert str(METRICS["beds_per_1000"].value(5, 0)) == "0"
    assert str(METRICS["subsidy_amount"].value(12345, None)) == "123.45"
    assert str(METRICS["registered_elders"].value(7, None)) == "7"


def test_per_scheme_figures_belong_to_their_metric():
    assert metric_of("subsidy_amount.JL-HOME-CARE") is METRICS["subsidy_amount"]
    assert metric_label("subsidy_amount.JL-HOME-CARE").endswith(" · JL-HOME-CARE")


@pytest.mark.django_db
def test_a_function_may_only_give_figures_of_the_metrics_it_declared(wenzhou, monkeypatch):
    from reports import metrics as module

    def sneaky(month: Month):
        return {"visit_rate": {"330302006044": (1, 1)}}

    store = dict(METRICS._items)
    try:
        metrics(declare("sneaky_count", "Sneaky", "count", "Nothing", sheet="visits"))(sneaky)
        with pytest.raises(ValueError, match="sneaky computes visit_rate, which it did not declare"):
            village_figures("2026-01")
    finally:
        METRICS._items = store
    assert module.METRICS is METRICS
