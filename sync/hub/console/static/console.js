// Phonebank console: the little script the pages need (served by the hub, nothing else).
(function () {
  "use strict";

  // Times on the pages are shown in the organizer's own zone: tell the hub which it is.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && /^[A-Za-z0-9_\/+-]+$/.test(zone) &&
        document.cookie.indexOf("phonebank_console_tz=" + zone) < 0) {
      document.cookie = "phonebank_console_tz=" + zone +
        "; path=/console; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* no Intl: times stay in UTC */ }

  // A part of the page that refreshes itself: <div data-refresh="URL" data-every="10">.
  function refresh(box) {
    var every = (parseFloat(box.getAttribute("data-every")) || 10) * 1000;
    function tick() {
      fetch(box.getAttribute("data-refresh"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.redirected || response.status === 401 || response.status === 403) {
            window.location.reload();  // signed out meanwhile: the page says what to do
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && html !== undefined) {
            box.innerHTML = html;
            box.removeAttribute("data-stale");
          }
        })
        .catch(function () { box.setAttribute("data-stale", "true"); })
        .then(function () { window.setTimeout(tick, every); });
    }
    window.setTimeout(tick, every);
  }

  // <select data-autosubmit> submits its form when changed; <a|button data-confirm="...">.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-refresh]"), refresh);
  });
})();
