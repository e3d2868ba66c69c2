from datetime import date

from supervision.rules import blacklist_until, blacklisting_due, draw, is_overdue


def test_the_draw_reproduces_from_its_seed_and_depends_on_it():
    args = {
        "facilities": list(range(1, 41)),
        "inspectors": [7, 8, 9, 10],
        "share_percent": 25,
        "months": [3, 6, 9],
        "team": 2,
    }
    first = draw(seed="a1b2", **args)
    assert len(first) == 10  # a quarter of 40
    assert draw(seed="a1b2", **{**args, "facilities": list(reversed(args["facilities"]))}) == first
    assert draw(seed="other", **args) != first
    assert {d.month for d in first} == {3, 6, 9}
    assert all(len(d.inspectors) == 2 and len(set(d.inspectors)) == 2 for d in first)


def test_share_rounds_up_and_an_empty_pool_draws_nothing():
    assert (
        len(draw(seed="s", facilities=[1, 2, 3], inspectors=[1, 2], share_percent=10, months=[1], team=1))
        == 1
    )
    assert draw(seed="s", facilities=[], inspectors=[1], share_percent=50, months=[1], team=1) == []


def test_deadlines_and_credit_rules():
    assert not is_overdue(date(2026, 5, 1), date(2026, 5, 1)) and is_overdue(
        date(2026, 5, 1), date(2026, 5, 2)
    )
    assert not blacklisting_due(1, 2) and blacklisting_due(2, 2)
    assert blacklist_until(date(2024, 2, 29), 3) == date(2027, 2, 28)
