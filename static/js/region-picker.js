/* The region picker: one list per level, each filled from the divisions under the one chosen
   above it (regions:region-children, scoped to the account). The deepest choice is the value. */
(function () {
  "use strict";

  function fetchChildren(url, parent) {
    var query = parent ? "?parent=" + encodeURIComponent(parent) : "";
    return fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { regions: [] }; })
      .then(function (body) { return body.regions || []; });
  }

  function setup(root) {
    var url = root.dataset.url;
    var hidden = root.querySelector("[data-region-value]");
    var levels = root.querySelector("[data-region-levels]");
    var chosen = root.querySelector("[data-region-chosen]");
    var baseId = levels.dataset.id;
    var initial = hidden.value;

    function choose(code, name) {
      hidden.value = code;
      chosen.textContent = name ? name : "";
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function addLevel(depth, regions, parentName, parentCode, preselect) {
      while (levels.children.length > depth) levels.removeChild(levels.lastChild);
      if (!regions.length) return Promise.resolve();
      var select = document.createElement("select");
      select.className = "form-select";
      select.id = baseId + "_" + depth;
      select.dataset.depth = String(depth);
      if (parentCode) {
        var here = document.createElement("option");
        here.value = "";
        here.textContent = root.dataset.thisLevel + " " + parentName;
        select.appendChild(here);
      } else {
        // Nothing chosen until the person chooses (an empty picker adds no condition).
        select.appendChild(document.createElement("option"));
      }
      regions.forEach(function (r) {
        var option = document.createElement("option");
        option.value = r.code;
        option.textContent = r.name;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        var option = select.options[select.selectedIndex];
        if (!select.value) {
          while (levels.children.length > depth + 1) levels.removeChild(levels.lastChild);
          choose(parentCode || "", parentCode ? parentName : "");
          return;
        }
        choose(select.value, option.textContent);
        descend(depth + 1, select.value, option.textContent, null);
      });
      levels.appendChild(select);
      if (preselect) {
        var match = regions.filter(function (r) { return preselect.indexOf(r.code.replace(/0+$/, "")) === 0; })[0];
        if (match) {
          select.value = match.code;
          if (match.code !== preselect) return descend(depth + 1, match.code, match.name, preselect);
          return descend(depth + 1, match.code, match.name, null);
        }
      }
      return Promise.resolve();
    }

    function descend(depth, code, name, preselect) {
      root.setAttribute("aria-busy", "true");
      return fetchChildren(url, code).then(function (regions) {
        root.removeAttribute("aria-busy");
        return addLevel(depth, regions, name, code, preselect);
      });
    }

    fetchChildren(url, "").then(function (regions) {
      return addLevel(0, regions, "", "", initial || null);
    }).then(function () {
      if (initial) {
        var last = levels.querySelector("select:last-of-type");
        hidden.value = initial;
        if (last && last.value === initial) chosen.textContent = last.options[last.selectedIndex].textContent;
      }
      root.dataset.ready = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-region-picker]").forEach(setup);
  });
})();
