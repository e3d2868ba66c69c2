"""The registry: named stores filled where entries are defined, loud about what is missing."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

import conditions
from core.registry import Registry, RegistryError, registry
from policies.sections import get_spec


def test_a_store_refuses_a_key_twice_and_names_what_it_holds_when_a_key_is_missing():
    store = Registry("things")["things"]
    store.add("a", 1)
    with pytest.raises(ImproperlyConfigured, match="'a' is registered twice"):
        store.add("a", 2)
    with pytest.raises(RegistryError, match="has no 'b'; registered: a"):
        store["b"]


def test_the_registry_refuses_an_unknown_store():
    with pytest.raises(RegistryError, match="no store 'facts'"):
        registry["facts"]


def test_every_store_is_filled_where_its_entries_are_defined():
    # Each app's facts, pack sections, metrics and file-page sections, imported once at start-up.
    assert {"age", "categories", "ability_grade", "facility_star", "caregiver_certified"} <= set(
        registry["condition_facts"]
    )
    assert {
        "registry",
        "assessment",
        "visits",
        "catalogue",
        "facilities",
        "schemes",
        "targets",
        "tasks",
        "supervision",
        "homecare",
    } == set(registry["policy_sections"])
    assert [
        "basic",
        "contacts",
        "entitlements",
        "subsidies",
        "homecare",
        "assessments",
        "facilities",
        "visits",
    ] == [key for key in sorted(registry["file_sections"], key=lambda k: registry["file_sections"][k].order)][
        :-1
    ]
    assert "visit_rate" in registry["metrics"]


def test_a_missing_fact_is_an_error_not_a_none():
    with pytest.raises(RegistryError, match="has no 'shoe_size'"):
        conditions.fact_value("shoe_size", object(), None)
    with pytest.raises(RegistryError, match="has no 'shoe_size'"):
        conditions.with_fact(None, "shoe_size", None, as_name="x")


def test_an_unknown_pack_section_is_a_validation_error_naming_the_known_ones():
    with pytest.raises(ValidationError, match="assessment, catalogue, facilities"):
        get_spec("weather")
