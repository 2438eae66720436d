// Follows a job the server runs in the background (a report being made, a quarter being
// closed): polls the JSON status URL of every [data-progress-url] element, shows its message,
// and when the job is done reveals [data-progress-ready] (or [data-progress-failed]), or
// reloads the page when the element has data-progress-reload.
(function () {
  "use strict";
  var INTERVAL_MS = 1500;

  function follow(element) {
    var url = element.getAttribute("data-progress-url");
    var message = element.querySelector("[data-progress-message]");

    function show(selector) {
      var part = element.querySelector(selector);
      if (part) {
        part.hidden = false;
        var link = part.querySelector("a, button");
        if (link) link.focus();
      }
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (status) {
          if (message && status.message) message.textContent = status.message;
          if (!status.done) {
            window.setTimeout(poll, INTERVAL_MS);
          } else if (element.hasAttribute("data-progress-reload")) {
            window.location.reload();
          } else {
            show(status.failed ? "[data-progress-failed]" : "[data-progress-ready]");
          }
        })
        .catch(function () {
          window.setTimeout(poll, INTERVAL_MS * 4);
        });
    }

    window.setTimeout(poll, INTERVAL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(follow);
  });
})();
