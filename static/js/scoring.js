/* GB/T 42195-2022 scoring in the page, the same rule as assessments/rules.py score():
 * the numbers (items, grade floors, raises) come from the server (rules.page_scoring), and
 * tests/test_browser_offline.py compares both on generated answers. The server scores
 * again on save and its result is the one recorded. */
(function (root) {
  "use strict";
  function subtotals(rules, items) {
    const out = {};
    rules.indicators.forEach((code) => { out[code] = 0; });
    Object.entries(items).forEach(([code, value]) => { out[code.slice(0, 3)] += value; });
    return out;
  }

  function preliminaryGrade(rules, total) {
    return rules.floors.find(([floor]) => total >= floor)[1];
  }

  // conditions: {coma, dementia, psychiatric, risk_events_30d}
  function score(rules, items, conditions) {
    const sub = subtotals(rules, items);
    const scored = Object.keys(items).length;
    const sum = Object.values(sub).reduce((a, b) => a + b, 0);
    if (conditions.coma) {
      return { subtotals: sub, scored, total: null, preliminary_grade: null, grade: rules.max_grade, complete: true };
    }
    if (scored < rules.items.length) {
      return { subtotals: sub, scored, total: sum, preliminary_grade: null, grade: null, complete: false };
    }
    const pre = preliminaryGrade(rules, sum);
    // GB/T 42195-2022 C.4: a diagnosis (dementia or another psychiatric disorder: one clause)
    // and two or more care-risk events are the two raising clauses.
    const clauses = [conditions.dementia || conditions.psychiatric, conditions.risk_events_30d >= rules.risk_events_raise]
      .filter(Boolean).length;
    const raises = rules.stack ? clauses : Math.min(1, clauses);
    return { subtotals: sub, scored, total: sum, preliminary_grade: pre, grade: Math.min(rules.max_grade, pre + raises), complete: true };
  }

  root.EldercareScoring = { subtotals, preliminaryGrade, score };
})(self);
