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
})();
