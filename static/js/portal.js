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
    const dismiss = event.target.closest("[data-bs-dismiss=alert]");
    if (dismiss) {
      const alert = dismiss.closest(".alert");
      if (alert) alert.remove();
    }
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
