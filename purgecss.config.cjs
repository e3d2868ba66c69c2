// The Bootstrap subset the portal serves (static/css/bootstrap-portal.min.css): only the
// rules whose classes appear in our templates, Python forms and scripts. Rebuild after
// adding a Bootstrap class: `./dev css` (needs the npm registry once; nothing at run time).
// tests/test_static_assets.py fails when a template uses a Bootstrap class the subset lacks.
module.exports = {
  css: ["static/vendor/bootstrap/bootstrap.min.css"],
  content: [
    "templates/**/*.html",
    "*/templates/**/*.html",
    "*/forms.py",
    "*/views.py",
    "static/js/*.js",
  ],
  // Classes built from values at run time: message levels, badges, Bootstrap's own states.
  safelist: {
    standard: [/^alert-/, /^text-bg-/, "show", "collapsing", "collapse", "fade", "is-invalid", "was-validated"],
  },
  // Custom properties no kept rule reads are dropped too.
  variables: true,
  output: "static/css/bootstrap-portal.min.css",
};
