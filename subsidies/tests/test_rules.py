"""Every amount rule, the cost share at and above its cap, and 择高 between exclusive schemes."""

from decimal import Decimal

import pytest

from subsidies import rules

F = rules.Facts


@pytest.mark.parametrize(
    "rule, facts, expected",
    [
        ({"kind": "fixed", "amount": "100"}, F(), Decimal("100.00")),
        ({"kind": "fixed", "amount": None}, F(), None),
        (
            {
                "kind": "by_age_band",
                "bands": [{"min": 80, "max": 89, "amount": "50"}, {"min": 90, "max": None, "amount": "100"}],
            },
            F(age=89),
            Decimal("50.00"),
        ),
        (
            {
                "kind": "by_age_band",
                "bands": [{"min": 80, "max": 89, "amount": "50"}, {"min": 90, "max": None, "amount": "100"}],
            },
            F(age=103),
            Decimal("100.00"),
        ),
        ({"kind": "by_age_band", "bands": [{"min": 80, "max": None, "amount": "50"}]}, F(age=79), None),
        ({"kind": "by_grade", "amounts": {"3": "250", "4": "400"}}, F(grade=4), Decimal("400.00")),
        ({"kind": "by_grade", "amounts": {"3": "250"}}, F(grade=2), None),
        (
            {
                "kind": "by_self_care",
                "amounts": {"self_care": "100", "semi_disabled": "200", "disabled": "300"},
            },
            F(grade=0),
            Decimal("100.00"),
        ),
        (
            {
                "kind": "by_self_care",
                "amounts": {"self_care": "100", "semi_disabled": "200", "disabled": "300"},
            },
            F(grade=2),
            Decimal("200.00"),
        ),
        (
            {
                "kind": "by_self_care",
                "amounts": {"self_care": "100", "semi_disabled": "200", "disabled": "300"},
            },
            F(grade=3),
            Decimal("300.00"),
        ),
        ({"kind": "by_self_care", "amounts": {"self_care": "100"}}, F(grade=None), None),
        (
            {"kind": "cost_share", "share": "0.5", "cap": "1000"},
            F(cost=Decimal("1500.00")),
            Decimal("750.00"),
        ),
        (
            {"kind": "cost_share", "share": "0.5", "cap": "1000"},
            F(cost=Decimal("2000.00")),
            Decimal("1000.00"),
        ),
        (
            {"kind": "cost_share", "share": "0.5", "cap": "1000"},
            F(cost=Decimal("2500.00")),
            Decimal("1000.00"),
        ),
        ({"kind": "cost_share", "share": "0.5", "cap": "1000"}, F(cost=Decimal("333.33")), Decimal("166.67")),
        ({"kind": "cost_share", "share": "0.5"}, F(), None),
        (
            {"kind": "by_skill_level", "amounts": {"5": "200", "1": "2000"}},
            F(skill_level=1),
            Decimal("2000.00"),
        ),
        ({"kind": "by_skill_level", "amounts": {"5": "200", "1": "2000"}}, F(skill_level=3), None),
        (
            {"kind": "parameter_multiple", "parameter": "dibao_standard", "multiple": "1.3"},
            F(parameters={"dibao_standard": Decimal("815")}),
            Decimal("1059.50"),
        ),
        ({"kind": "parameter_multiple", "parameter": "dibao_standard", "multiple": "1.3"}, F(), None),
    ],
)
def test_amount_rules(rule, facts, expected):
    assert rules.rule_errors(rule) == []
    assert rules.amount(rule, facts) == expected


def test_bad_rules_are_named():
    assert rules.rule_errors({"kind": "lottery"})
    assert rules.rule_errors({"kind": "cost_share"})


def test_the_higher_of_two_exclusive_schemes_wins():
    rows = rules.choose_higher(
        [
            {"scheme": "JL-HOME-CARE", "group": "care", "eligible": True, "amount": Decimal("100.00")},
            {"scheme": "JL-DISABLED-CARE", "group": "care", "eligible": True, "amount": Decimal("80.00")},
            {"scheme": "JL-DISABLED-LIVING", "group": None, "eligible": True, "amount": Decimal("80.00")},
            {"scheme": "OTHER", "group": "care", "eligible": False, "amount": None},
        ]
    )
    by = {r["scheme"]: r["excluded_by"] for r in rows}
    assert by == {
        "JL-HOME-CARE": None,
        "JL-DISABLED-CARE": "JL-HOME-CARE",
        "JL-DISABLED-LIVING": None,
        "OTHER": None,
    }
