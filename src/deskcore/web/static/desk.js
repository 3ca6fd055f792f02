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

// Offer consultants in the consultant field's datalist as the agent types. The server still
// resolves whatever text is sent; a picked suggestion also sends its id, so two consultants
// with the same name stay apart.
(function () {
  const field = document.getElementById("f-consultant");
  const list = document.getElementById("consultant-options");
  if (!field || !list || !field.form) return;
  let timer = null;
  let last = "";
  function remember() {
    const option = Array.from(list.options).find((o) => o.value === field.value);
    if (!option || !option.dataset.id) return;
    let chosen = field.form.elements.namedItem("consultant_id");
    if (!chosen) {
      chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = "consultant_id";
      field.after(chosen);
    }
    chosen.value = option.dataset.id;
  }
  function refresh() {
    const text = field.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 2) {
      list.innerHTML = "";
      return;
    }
    const url = field.dataset.optionsUrl + "?" + new URLSearchParams({ q: text }).toString();
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : null))
      .then((html) => {
        // The options are rendered (and escaped) by the server from the same origin.
        if (html === null || text !== last) return;
        list.innerHTML = html;
        remember();
      })
      .catch(() => {});
  }
  field.addEventListener("input", () => {
    remember();
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();
