/* The caregiver's day: check-in and check-out forms carry the phone's location when the
 * browser gives it (asked for on submit, at most 8 seconds); without it they are sent as they are. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-locate]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.located || !navigator.geolocation) return;
      event.preventDefault();
      const send = function () { form.dataset.located = "1"; form.requestSubmit(); };
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("input[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("input[name=longitude]").value = pos.coords.longitude.toFixed(6);
        send();
      }, send, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    });
  });
})();
