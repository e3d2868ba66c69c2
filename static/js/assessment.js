/* The assessment form's live panel: subtotals, total and grade as the assessor taps, with
 * no round trip to the server (scoring.js holds the rule). */
(function () {
  "use strict";
  const form = document.getElementById("assessment-form");
  const data = document.getElementById("assessment-scoring");
  const panel = document.getElementById("live-score");
  if (!form || !data || !panel || !self.EldercareScoring) return;
  const rules = JSON.parse(data.textContent);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function read() {
    const items = {};
    rules.items.forEach(([code, max]) => {
      const checked = form.querySelector(`input[name="item_${code.replace(/\./g, "_")}"]:checked`);
      const value = checked ? Number(checked.value) : NaN;
      if (Number.isInteger(value) && value >= 0 && value <= max) items[code] = value;
    });
    let risk = 0;
    form.querySelectorAll("input[name^=risk_]").forEach((el) => {
      const n = Number(el.value);
      if (Number.isInteger(n) && n > 0) risk += n;
    });
    const flag = (name) => Boolean(form.querySelector(`input[name=${name}]`)?.checked);
    return { items, conditions: { coma: flag("coma"), dementia: flag("dementia"), psychiatric: flag("psychiatric"), risk_events_30d: risk } };
  }

  // The navigator's counts: items scored per indicator and of all 26, as the assessor taps.
  const bar = document.querySelector("[data-progress-bar]");
  const total = document.querySelector("[data-progress-total]");
  function progress(items) {
    const scored = Object.keys(items);
    document.querySelectorAll("[data-progress-for]").forEach((el) => {
      const n = scored.filter((code) => code.startsWith(el.dataset.progressFor + ".")).length;
      const of = Number(el.dataset.of);
      el.textContent = `${n}/${of}`;
      el.closest("a")?.classList.toggle("done", n === of);
    });
    if (bar) bar.value = scored.length;
    if (total) total.textContent = rules.text.of_items.replace("%(n)s", scored.length).replace("%(of)s", rules.items.length);
  }

  function show() {
    const { items, conditions } = read();
    progress(items);
    const r = EldercareScoring.score(rules, items, conditions);
    const t = rules.text;
    if (!r.scored && !conditions.coma) {
      panel.innerHTML = `<div class="small text-muted" data-testid="live-total">${esc(t.hint)}</div>`;
      return;
    }
    panel.innerHTML = `<div class="d-flex flex-wrap gap-3 align-items-center small">`
      + Object.entries(r.subtotals).map(([code, v]) => `<span>${esc(code)}: <strong data-subtotal="${esc(code)}">${v}</strong></span>`).join("")
      + `<span>${esc(t.total)}: <strong data-testid="live-total">${r.total === null ? "—" : r.total}</strong></span>`
      + (r.complete ? `<span class="badge text-bg-primary fs-6" data-testid="live-grade" data-grade="${r.grade}">${esc(rules.labels[r.grade])}</span>` : "")
      + `</div>`;
  }

  form.addEventListener("change", show);
  form.addEventListener("input", show);
  form.addEventListener("offline:restored", show);
  show();
})();
