// One JSON request from a facilitator's page (the group board's on a hub, the web app's room page): same
// origin, with the page's XSRF token; a refusal or no answer becomes an Error carrying the sentence to show.
// window.coachkitRequest("The group board cannot be reached right now.") gives api(method, path, body).
window.coachkitRequest = function (unreachable) {
  "use strict";
  const xsrf = document.querySelector("meta[name=coachkit-xsrf]").content;
  return async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "X-XSRFToken": xsrf, "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) throw new Error(data.error || unreachable);
    return data;
  };
};
