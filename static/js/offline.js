/* Field work on a weak network (signed-in pages).
 *
 * - Registers the service worker that keeps the worker's pages on the device (sw.js).
 * - Forms marked data-offline keep every keystroke as a draft in IndexedDB, so a reload, a
 *   dead battery or a lost signal never loses typed text.
 * - Saving puts the record in the outbox with an idempotency key and sends it at once if
 *   the network allows, otherwise when it returns. The server answers a repeated key with
 *   the first result, so a resend after a lost answer never makes a second record.
 * - The outbox panel shows what waits, what was sent and what the server refused, with the
 *   server's own reasons and a link to correct the record.
 * - Logout deletes the outbox, the drafts and the saved pages from the device.
 */
(function () {
  "use strict";
  const store = self.EldercareStore;
  const body = document.body;
  const user = body.dataset.user;
  if (!user || !store) return;
  const strings = {};
  const template = document.getElementById("offline-strings");
  if (template) {
    template.content.querySelectorAll("[data-key]").forEach((el) => { strings[el.dataset.key] = el.textContent; });
  }
  const t = (key, values) => (strings[key] || key).replace(/%\((\w+)\)s/g, (_m, name) => (values || {})[name] ?? "");

  // ---- service worker -------------------------------------------------------------------
  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).then(() => navigator.serviceWorker.ready).then((reg) => {
      const worker = reg.active;
      if (!worker) return;
      // The blank forms this account may open (the page knows its permissions; the worker does not).
      const forms = (body.dataset.blankForms || "").split(" ").filter(Boolean);
      worker.postMessage({ type: "user", user, forms });
      // A due list names the forms a worker may need without a signal: keep those on the device.
      document.querySelectorAll("[data-precache-group]").forEach((list) => {
        const urls = [...list.querySelectorAll("a[data-precache]")].map((a) => a.href);
        worker.postMessage({ type: "precache", group: list.dataset.precacheGroup, urls });
      });
    }).catch(() => undefined);
  }

  // ---- helpers --------------------------------------------------------------------------
  function csrfToken() {
    const found = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (found) return decodeURIComponent(found.slice("csrftoken=".length));
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  const newKey = () => (self.crypto && crypto.randomUUID ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  // The token and the key are set at each sending: the token may have changed since, and the
  // key is the queued record's own, never one a saved page was rendered with.
  const NOT_KEPT = new Set(["csrfmiddlewaretoken", "idempotency_key"]);
  const draftId = (form) => user + ":" + location.pathname + ":" + (form.id || "form");
  const fieldEntries = (form, submitter) => [...new FormData(form, submitter || undefined).entries()]
    .filter(([name, value]) => !NOT_KEPT.has(name) && typeof value === "string");

  function fill(form, entries) {
    const byName = new Map();
    entries.forEach(([name, value]) => { if (!byName.has(name)) byName.set(name, []); byName.get(name).push(value); });
    [...form.elements].forEach((el) => {
      if (!el.name || NOT_KEPT.has(el.name) || el.type === "submit" || el.type === "button") return;
      const values = byName.get(el.name) || [];
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.includes(el.value);
      else if (byName.has(el.name)) el.value = values[0];
    });
    form.dispatchEvent(new Event("offline:restored"));
  }

  function localNow(kind) {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    return kind === "date" ? day : `${day}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  // The server's reasons, read from the page it answered with (the same page a worker sees
  // without this script): the form-wide alert and each field's message under its label.
  function reasonsFrom(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const reasons = [];
    doc.querySelectorAll("main .alert-danger").forEach((el) => {
      el.querySelectorAll("div").length
        ? el.querySelectorAll("div").forEach((d) => reasons.push({ field: "", name: "", message: d.textContent.trim() }))
        : reasons.push({ field: "", name: "", message: el.textContent.trim() });
    });
    doc.querySelectorAll("main .invalid-feedback").forEach((el) => {
      const box = el.closest("fieldset, .mb-3, [class*=col-]") || el.parentElement;
      const label = box && box.querySelector("legend, label");
      const input = box && box.querySelector("input[name], select[name], textarea[name]");
      reasons.push({
        field: label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : "",
        name: el.dataset.errorFor || (input ? input.name : ""),
        message: el.textContent.trim(),
      });
    });
    return reasons.filter((r) => r.message);
  }

  // ---- sending --------------------------------------------------------------------------
  let sending = false;
  async function send(item) {
    const data = new FormData();
    item.entries.forEach(([name, value]) => data.append(name, value));
    const token = csrfToken();
    data.append("csrfmiddlewaretoken", token);
    // The server carries out one key once (eldercare/idempotency.py): a resend after a lost
    // answer lands where the first one did and records nothing new.
    data.append("idempotency_key", item.key);
    let response;
    item.tries = (item.tries || 0) + 1;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Idempotency-Key": item.key, "X-CSRFToken": token },
      });
    } catch (_network) {
      item.note = t("no_network");
      return item;
    }
    const landed = new URL(response.url, location.href);
    if (response.redirected && landed.pathname.startsWith("/accounts/login/")) {
      item.note = t("login_needed");
    } else if (response.redirected && response.ok) {
      // The server has it: what was typed leaves the device, only the line in the list stays.
      Object.assign(item, { status: "sent", sentAt: Date.now(), result: landed.pathname + landed.search, note: "", reasons: [], entries: [] });
    } else if (response.status === 403) {
      item.note = t("login_needed");
    } else if (response.status >= 500 || response.status === 429 || response.status === 408) {
      item.note = t("server_busy");
    } else {
      const reasons = (response.headers.get("content-type") || "").includes("html") ? reasonsFrom(await response.text()) : [];
      if (!reasons.length) reasons.push({ field: "", name: "", message: t("refused_status", { status: response.status }) });
      Object.assign(item, { status: "refused", reasons, note: "" });
    }
    return item;
  }

  async function flush() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      const work = async () => {
        const items = (await store.all("outbox")).filter((i) => i.user === user && i.status === "waiting");
        items.sort((a, b) => a.created - b.created);
        for (const item of items) {
          await store.put("outbox", await send(item));
          await render();
          showOnForm(item);
        }
      };
      // One tab sends at a time: two tabs sending the same item would race for the key.
      if (navigator.locks) await navigator.locks.request("eldercare-outbox", work);
      else await work();
    } finally {
      sending = false;
    }
  }

  // ---- the outbox panel -----------------------------------------------------------------
  const panel = document.getElementById("outbox-panel");
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const when = (ms) => new Date(ms).toLocaleString([], { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  const DAY = 24 * 3600 * 1000;

  async function render() {
    if (!panel) return;
    const mine = (await store.all("outbox")).filter((i) => i.user === user);
    const waiting = mine.filter((i) => i.status === "waiting");
    const refused = mine.filter((i) => i.status === "refused");
    const sent = mine.filter((i) => i.status === "sent" && i.sentAt > Date.now() - DAY).sort((a, b) => b.sentAt - a.sentAt);
    panel.hidden = !(waiting.length || refused.length || sent.length);
    const row = (item, extra) => `<div class="outbox-item py-1 d-flex flex-wrap gap-2 align-items-center" data-key="${esc(item.key)}">
      <span class="me-auto">${esc(item.title)} <span class="text-muted small">${when(item.created)}</span></span>${extra}</div>`;
    let html = "";
    if (waiting.length) {
      html += `<div class="alert alert-warning mb-2" data-testid="outbox-waiting"><div class="fw-semibold">${esc(t("waiting", { n: waiting.length }))}</div>`
        + waiting.map((i) => row(i, `<span class="small text-muted">${esc(i.note || "")}</span>`)).join("")
        + `<button type="button" class="btn btn-sm btn-warning mt-1" data-outbox="send">${esc(t("send_now"))}</button></div>`;
    }
    if (refused.length) {
      html += `<div class="alert alert-danger mb-2" data-testid="outbox-refused"><div class="fw-semibold">${esc(t("refused", { n: refused.length }))}</div>`
        + refused.map((i) => row(i, `<a class="btn btn-sm btn-outline-danger" href="${esc(correctUrl(i))}">${esc(t("correct"))}</a>
          <button type="button" class="btn btn-sm btn-link text-danger" data-outbox="discard">${esc(t("discard"))}</button>
          <ul class="w-100 mb-0 small">${i.reasons.map((r) => `<li>${r.field ? `<strong>${esc(r.field)}</strong>: ` : ""}${esc(r.message)}</li>`).join("")}</ul>`)).join("")
        + `</div>`;
    }
    if (sent.length) {
      html += `<div class="alert alert-success mb-2" data-testid="outbox-sent"><div class="fw-semibold">${esc(t("sent", { n: sent.length }))}</div>`
        + sent.slice(0, 10).map((i) => row(i, `<span class="small">${esc(t("sent_at", { at: when(i.sentAt) }))}</span>`)).join("")
        + `<button type="button" class="btn btn-sm btn-link" data-outbox="clear-sent">${esc(t("clear_sent"))}</button></div>`;
    }
    panel.innerHTML = html;
  }

  // The form posts to its own page; the ?outbox= of a correction is not part of it.
  function pageUrl() {
    const url = new URL(location.href);
    url.searchParams.delete("outbox");
    return url.pathname + url.search;
  }

  function correctUrl(item) {
    const url = new URL(item.url, location.href);
    url.searchParams.set("outbox", item.key);
    return url.pathname + url.search;
  }

  if (panel) {
    panel.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-outbox]");
      if (!button) return;
      const key = button.closest("[data-key]") && button.closest("[data-key]").dataset.key;
      if (button.dataset.outbox === "send") await flush();
      if (button.dataset.outbox === "discard" && key) await store.remove("outbox", key);
      if (button.dataset.outbox === "clear-sent") {
        for (const item of await store.all("outbox")) if (item.user === user && item.status === "sent") await store.remove("outbox", item.key);
      }
      await render();
    });
  }

  // ---- forms: drafts and the queue ------------------------------------------------------
  function markRefused(form, reasons) {
    const box = form.parentElement.querySelector("[data-offline-errors]");
    if (box) {
      box.hidden = false;
      box.innerHTML = `<div class="fw-semibold">${esc(t("correct_below"))}</div><ul class="mb-0">`
        + reasons.map((r) => `<li>${r.field ? `<strong>${esc(r.field)}</strong>: ` : ""}${esc(r.message)}</li>`).join("") + "</ul>";
    }
    reasons.forEach((r) => {
      if (!r.name) return;
      form.querySelectorAll(`[name="${CSS.escape(r.name)}"]`).forEach((el) => el.classList.add("is-invalid"));
    });
  }

  function titleOf(form) {
    const title = form.dataset.offlineTitle || document.title;
    const named = form.dataset.offlineTitleField && form.elements[form.dataset.offlineTitleField];
    return named && named.value ? `${title} · ${named.value}` : title;
  }

  // The record being sent in the background may be the one on this page.
  function showOnForm(item) {
    const form = document.querySelector(`form[data-offline][data-outbox-key="${CSS.escape(item.key)}"]`);
    if (!form || item.status === "waiting") return;
    const saved = form.parentElement.querySelector("[data-offline-saved]");
    if (saved) saved.hidden = true;
    if (item.status === "refused") markRefused(form, item.reasons);
    else delete form.dataset.outboxKey;  // sent: a new save here is a new record
  }

  async function setUpForm(form) {
    const id = draftId(form);
    const params = new URLSearchParams(location.search);
    const bound = form.querySelector(".is-invalid, .invalid-feedback");
    const correcting = params.get("outbox") ? await store.get("outbox", params.get("outbox")) : null;
    if (correcting && correcting.user === user) {
      fill(form, correcting.entries);
      form.dataset.outboxKey = correcting.key;
      form.dataset.outboxUrl = correcting.url;
      if (correcting.status === "refused") markRefused(form, correcting.reasons);
    } else {
      const draft = bound ? null : await store.get("drafts", id);
      if (draft && draft.user === user) {
        fill(form, draft.entries);
        const note = form.parentElement.querySelector("[data-offline-restored]");
        if (note) note.hidden = false;
      } else if (!bound) {
        form.querySelectorAll("input[data-now]").forEach((el) => { el.value = localNow(el.dataset.now); });
      }
    }
    let timer = null;
    const keep = () => {
      clearTimeout(timer);
      timer = setTimeout(() => store.put("drafts", { id, user, entries: fieldEntries(form), saved: Date.now() }), 250);
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearTimeout(timer);
      // Read before the buttons are disabled: a disabled submitter is not part of the form.
      const entries = fieldEntries(form, event.submitter);
      const buttons = [...form.querySelectorAll("button[type=submit]")];
      buttons.forEach((b) => { b.disabled = true; });
      const key = form.dataset.outboxKey || newKey();
      const existing = await store.get("outbox", key);
      const item = {
        key,
        user,
        kind: form.dataset.offline,
        title: titleOf(form),
        url: form.dataset.outboxUrl || (existing && existing.url) || pageUrl(),
        entries,
        status: "waiting",
        created: existing ? existing.created : Date.now(),
        reasons: [],
        note: "",
      };
      // Kept on the device before the first byte is sent: a lost signal loses nothing.
      form.dataset.outboxKey = key;
      await store.put("outbox", item);
      await store.remove("drafts", id);
      const done = navigator.onLine ? await send(item) : item;
      if (item.status === "waiting" && !item.note) item.note = t("no_network");
      await store.put("outbox", done);
      buttons.forEach((b) => { b.disabled = false; });
      if (done.status === "sent") {
        location.assign(done.result);
        return;
      }
      await render();
      if (done.status === "refused") {
        markRefused(form, done.reasons);
      } else {
        const saved = form.parentElement.querySelector("[data-offline-saved]");
        if (saved) saved.hidden = false;
      }
      window.scrollTo(0, 0);
    });
  }

  document.querySelectorAll("form[data-offline]").forEach(setUpForm);

  // ---- logout: nothing personal stays on the device -------------------------------------
  document.querySelectorAll("form[data-logout]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      let unsent = [];
      try {
        unsent = (await store.all("outbox")).filter((i) => i.user === user && i.status !== "sent");
      } catch (_e) { /* no store: nothing to lose */ }
      if (unsent.length && !window.confirm(form.dataset.confirm)) return;
      await clearDevice();
      form.submit();
    });
  });

  async function clearDevice() {
    try { await store.destroy(); } catch (_e) { /* already gone */ }
    if (self.caches) for (const name of await caches.keys()) await caches.delete(name);
    if (navigator.serviceWorker) {
      for (const reg of await navigator.serviceWorker.getRegistrations()) await reg.unregister();
    }
  }

  window.addEventListener("online", flush);
  setInterval(() => { flush(); }, 30000);
  render().then(flush);
})();
