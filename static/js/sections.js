/* Long pages in parts (the elder's file, the assessment form): one part at a time, chosen in
 * the navigator ([data-section-nav], links to the parts' ids, [data-tab-panel]). Without this
 * script every part shows and the navigator's links jump to them; printing shows every part.
 * The part with an error, else the one the address names (#section-contacts after adding a
 * contact), else the first is shown first. */
(function () {
  "use strict";
  const nav = document.querySelector("[data-section-nav]");
  if (!nav) return;
  const tabs = [...nav.querySelectorAll("a[data-section-tab]")];
  const panels = tabs.map((a) => document.getElementById(a.hash.slice(1))).filter(Boolean);
  if (!panels.length) return;
  const list = nav.querySelector("ul");
  const sticky = nav.closest(".sticky-top") || nav;
  document.documentElement.classList.add("section-tabs");

  function show(id, moved) {
    const panel = document.getElementById(id);
    if (!panel || !panels.includes(panel)) return false;
    panels.forEach((p) => p.classList.toggle("section-active", p === panel));
    tabs.forEach((a) => {
      const on = a.hash.slice(1) === id;
      a.classList.toggle("active", on);
      if (on) {
        a.setAttribute("aria-current", "true");
        // The chosen tab in view in the row of tabs (it scrolls sideways on a phone).
        if (list) list.scrollLeft = a.offsetLeft - (list.clientWidth - a.offsetWidth) / 2;
      } else {
        a.removeAttribute("aria-current");
      }
    });
    if (moved) {
      history.replaceState(null, "", "#" + id);
      // The part starts just under the navigator when the reader had scrolled past it.
      const top = panel.getBoundingClientRect().top + window.scrollY - sticky.offsetHeight - 8;
      if (window.scrollY > top) window.scrollTo(0, Math.max(0, top));
    }
    return true;
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-section-tab]");
    if (link && link.hash && show(link.hash.slice(1), true)) event.preventDefault();
  });
  const invalid = panels.find((p) => p.querySelector(".is-invalid, [data-error-for]"));
  const named = location.hash.slice(1);
  if (!(invalid && show(invalid.id, false)) && !(named && show(named, false))) show(panels[0].id, false);
})();
