// While a participant keeps the session page open during the session, tell the server
// every minute that they are still there (attendance heartbeat). No inline script: CSP.
(function () {
  "use strict";
  var node = document.querySelector("[data-heartbeat-url]");
  if (!node) { return; }
  var url = node.getAttribute("data-heartbeat-url");
  var token = node.getAttribute("data-csrf");
  function beat() {
    fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token } })
      .catch(function () { /* offline for a moment: the next beat counts */ });
  }
  beat();
  window.setInterval(beat, 60000);
})();
