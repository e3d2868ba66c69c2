"""The assessment page scores in the browser with the same rule as the server.

static/js/scoring.js runs in Debian's Chromium on answers hypothesis generates (complete and
partial forms, comas, dementia, psychiatric diagnoses, care-risk events, stacking on and
off) and must give the subtotals, total, preliminary grade and grade of
assessments.rules.score() for every one of them.
"""

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments import rules
from assessments.instrument import ITEMS

pytestmark = pytest.mark.browser

SCORING_JS = Path(settings.BASE_DIR) / "static" / "js" / "scoring.js"


@pytest.fixture(scope="module")
def scoring_page(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>scoring</title>")
    page.add_script_tag(content=SCORING_JS.read_text())
    yield page
    page.close()


@st.composite
def answers(draw):
    """All 26 items (most forms) or any part of them (a form being filled)."""
    chosen = (
        ITEMS if draw(st.integers(0, 2)) else draw(st.lists(st.sampled_from(ITEMS), unique=True, max_size=25))
    )
    return {item.code: draw(st.integers(0, item.max_score)) for item in chosen}


conditions = st.builds(
    rules.Conditions,
    coma=st.booleans(),
    dementia=st.booleans(),
    psychiatric=st.booleans(),
    risk_events_30d=st.integers(0, 6),
)


def _server(items, cond, stack):
    complete = cond.coma or len(items) == len(ITEMS)
    if not complete:
        return {
            "subtotals": rules.subtotals(items),
            "total": sum(items.values()),
            "preliminary_grade": None,
            "grade": None,
            "complete": False,
        }
    r = rules.score(items, cond, stack=stack)
    return {
        "subtotals": r.subtotals,
        "total": r.total,
        "preliminary_grade": r.preliminary_grade,
        "grade": r.grade,
        "complete": True,
    }


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=answers(),
    cond=conditions,
    stack=st.booleans(),
)
def test_page_and_server_score_alike(scoring_page, items, cond, stack):
    page_rules = rules.page_scoring(stack=stack)
    js = scoring_page.evaluate(
        "([r, items, c]) => EldercareScoring.score(r, items, c)",
        [
            page_rules,
            items,
            {
                "coma": cond.coma,
                "dementia": cond.dementia,
                "psychiatric": cond.psychiatric,
                "risk_events_30d": cond.risk_events_30d,
            },
        ],
    )
    server = _server(items, cond, stack)
    assert {k: js[k] for k in server} == server


@pytest.mark.parametrize("total", [0, 29, 30, 45, 46, 65, 66, 89, 90])
def test_grade_boundaries_agree(scoring_page, total):
    page_rules = rules.page_scoring(stack=False)
    assert scoring_page.evaluate(
        "([r, t]) => EldercareScoring.preliminaryGrade(r, t)", [page_rules, total]
    ) == (rules.preliminary_grade(total))
