// Live staff pages: follows a stream of server-sent events (data-live-events; the event names in
// data-live-names) and, once per burst of events, asks the server for the page's own part again
// (htmx: the element marked data-live-part, triggered with "live"). No polling: nothing is asked
// while nothing changes. Ticked boxes and typed notes inside the part are kept across the refresh.
(function () {
  "use strict";
  const root = document.querySelector("[data-live-events]");
  if (!root || !window.EventSource) return;
  const status = document.getElementById("live-status");
  const delay = Number(root.dataset.liveDelay || 600);
  let timer = null;
  let pending = false;

  function setStatus(state) {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = state === "live" ? status.dataset.liveText : status.dataset.connectingText;
  }

  function kept(part) {
    return {
      checked: Array.from(part.querySelectorAll("input[type=checkbox]:checked"), (box) => box.value),
      texts: Array.from(part.querySelectorAll("textarea[id], input[type=text][id]"), (f) => [f.id, f.value]),
    };
  }

  function restore(state) {
    state.checked.forEach((value) => {
      const box = document.querySelector(`[data-live-part] input[type=checkbox][value="${CSS.escape(value)}"]`);
      if (box) box.checked = true;
    });
    state.texts.forEach(([id, value]) => {
      const field = document.getElementById(id);
      if (field && !field.value) field.value = value;
    });
  }

  function refresh() {
    timer = null;
    if (document.hidden) { pending = true; return; }
    const part = document.querySelector("[data-live-part]");
    if (!part || !window.htmx) return;
    const state = kept(part);
    document.body.addEventListener("htmx:afterSettle", () => restore(state), { once: true });
    window.htmx.trigger(part, "live");
  }

  function schedule() {
    if (timer === null) timer = setTimeout(refresh, delay);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && pending) { pending = false; schedule(); }
  });
  const source = new EventSource(root.dataset.liveEvents);
  source.addEventListener("open", () => setStatus("live"));
  source.addEventListener("error", () => setStatus("connecting"));
  (root.dataset.liveNames || "dossier deadline").split(" ").forEach((name) => {
    if (name) source.addEventListener(name, schedule);
  });
})();
