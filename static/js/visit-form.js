/* The visit form: problems only matter when a problem was found, so their boxes are hidden
 * otherwise (also after offline.js filled in a kept draft). */
(function () {
  "use strict";
  const form = document.getElementById("visit-form");
  if (!form) return;
  const box = document.getElementById("problems-box");
  function sync() {
    const outcome = form.querySelector("input[name=outcome]:checked");
    box.hidden = !(outcome && outcome.value === "problem");
  }
  form.addEventListener("change", sync);
  form.addEventListener("offline:restored", sync);
  sync();
})();
