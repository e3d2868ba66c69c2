/* Every page: the few Bootstrap behaviours the portal uses (the phone menu, closing an
 * alert), so pages need not load Bootstrap's whole script bundle. */
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-bs-toggle=collapse]");
    if (toggle) {
      const target = document.querySelector(toggle.dataset.bsTarget);
      if (target) {
        const open = target.classList.toggle("show");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      }
      return;
    }
    // "Print": the page through the print styles (no navigation, charts kept).
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    const dismiss = event.target.closest("[data-bs-dismiss=alert]");
    if (dismiss) {
      const alert = dismiss.closest(".alert");
      if (alert) alert.remove();
    }
  });

  // Tables that become cards on a phone: each cell is headed by its column's name.
  function labelCells(root) {
    root.querySelectorAll("table.table-cards").forEach((table) => {
      const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim().replace(/ [↑↓]$/, ""));
      table.querySelectorAll("tbody tr").forEach((row) => {
        [...row.children].forEach((cell, i) => {
          if (names[i] && !cell.hasAttribute("data-label")) cell.dataset.label = names[i];
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", () => labelCells(document));
  // Rows a search brought in place (htmx) are labelled too.
  document.addEventListener("htmx:afterSettle", (event) => labelCells(event.target));

  // A form being sent (a normal POST; the worker app's offline forms handle their own): its
  // buttons are disabled and the pressed one says "保存中…", so a slow network gets no second
  // submission.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post" || form.hasAttribute("data-offline")) return;
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    const pressed = event.submitter;
    // After this event the browser has read the form, the pressed button's name and value
    // included: only then are the buttons disabled.
    setTimeout(() => {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach((b) => {
        b.disabled = true;
        b.dataset.sending = "1";
      });
      if (pressed && document.body.dataset.saving) {
        pressed.dataset.label = pressed.textContent;
        pressed.textContent = document.body.dataset.saving;
      }
    }, 0);
  });
  // Back to a page kept by the browser: its form may be sent again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sending]").forEach((form) => {
      delete form.dataset.sending;
      form.querySelectorAll("button[data-sending]").forEach((b) => {
        b.disabled = false;
        delete b.dataset.sending;
        if (b.dataset.label) b.textContent = b.dataset.label;
      });
    });
  });

  // The inbox badge: counted by the server after the page (a page's own queries stay its own),
  // kept there a minute per account; offline the fetch fails and the badge stays hidden.
  document.addEventListener("DOMContentLoaded", () => {
    const badges = document.querySelectorAll("[data-inbox-badge]");
    if (!badges.length) return;
    fetch(badges[0].dataset.inboxBadge, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        badges.forEach((badge) => {
          badge.textContent = String(data.total);
          badge.hidden = !data.total;
          badge.dataset.loaded = "1";
        });
      })
      .catch(() => {});
  });
})();
