// Small conveniences on top of pages that work without JavaScript.
"use strict";

// Refresh the plugin suggestions beside the new-ticket form as the agent types.
(function () {
  const region = document.getElementById("suggestions");
  const form = document.getElementById("new-ticket-form");
  if (!region || !form) return;
  const subject = form.elements.namedItem("subject");
  const symptom = form.elements.namedItem("symptom");
  let timer = null;
  let last = "";
  function refresh() {
    const params = new URLSearchParams({
      subject: subject ? subject.value : "",
      symptom: symptom ? symptom.value : "",
    });
    const query = params.toString();
    if (query === last) return;
    last = query;
    fetch(region.dataset.url + "?" + query, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        // The fragment is rendered (and escaped) by the server from the same origin.
        if (html !== null && query === last) region.innerHTML = html;
      })
      .catch(() => {});
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  }
  [subject, symptom].forEach((field) => field && field.addEventListener("input", later));
})();
