// The hall's display board: follows the service point's server-sent events. A call carries what
// the board shows (ticket, counter, group), so it updates the panel in place; any other change
// fetches the panel rendered for that event (the server renders it once for every board).
// Shows and announces each call. Speech comes from the server (espeak-ng WAV) when available;
// otherwise, or if the audio cannot play, a chime made with WebAudio.
(() => {
  "use strict";
  const body = document.body;
  const live = document.getElementById("board-live");
  const announcement = document.getElementById("announcement");
  const soundButton = document.getElementById("sound-toggle");
  const speechAvailable = body.dataset.speech === "1";
  let audioContext = null;
  let queue = Promise.resolve();

  function context() {
    if (!audioContext && window.AudioContext) audioContext = new AudioContext();
    return audioContext;
  }

  function chime() {
    const ctx = context();
    if (!ctx || ctx.state !== "running") return Promise.resolve();
    const start = ctx.currentTime;
    [880, 660].forEach((frequency, index) => {
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + index * 0.45);
      gain.gain.exponentialRampToValueAtTime(0.4, start + index * 0.45 + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + index * 0.45 + 0.4);
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(start + index * 0.45);
      oscillator.stop(start + index * 0.45 + 0.42);
    });
    return new Promise((resolve) => setTimeout(resolve, 1000));
  }

  function speak(number, counter) {
    if (!speechAvailable) return Promise.resolve();
    return new Promise((resolve) => {
      const audio = new Audio(`${body.dataset.audio}${encodeURIComponent(number)}-${counter}.wav`);
      audio.addEventListener("ended", resolve);
      audio.addEventListener("error", resolve);
      audio.play().catch(resolve);
    });
  }

  function announce(number, counter) {
    queue = queue.then(chime).then(() => speak(number, counter));
  }

  function refresh(eventId) {
    const url = eventId ? `${body.dataset.panel}?v=${encodeURIComponent(eventId)}` : body.dataset.panel;
    window.htmx.ajax("GET", url, { target: "#board-panel", swap: "outerHTML" });
  }

  // The call as the panel would show it after a refresh, without asking the server.
  function showCall(call) {
    document.querySelectorAll(".counter-cell.latest").forEach((cell) => cell.classList.remove("latest"));
    const cell = document.querySelector(`.counter-cell[data-counter="${call.counter}"]`);
    if (cell) {
      cell.classList.add("latest");
      cell.classList.remove("paused");
      cell.querySelector(".cell-ticket").textContent = call.ticket;
    }
    const list = document.querySelector(".latest-calls");
    if (list) {
      Array.from(list.children).forEach((item) => {
        const strong = item.querySelector("strong");
        if (!strong || strong.textContent === call.ticket) item.remove();
        else item.classList.remove("latest");
      });
      const item = document.createElement("li");
      item.className = "latest";
      const number = document.createElement("strong");
      number.textContent = call.ticket;
      item.append(number, ` → ${list.dataset.counterWord || ""} ${call.counter}`);
      list.prepend(item);
      while (list.children.length > Number(list.dataset.size || 6)) list.lastElementChild.remove();
    }
    const waiting = call.group && !call.recall
      ? document.querySelector(`tr[data-group="${call.group}"] .count`) : null;
    if (waiting) waiting.textContent = String(Math.max(0, Number(waiting.textContent) - 1));
  }

  function setLive(state, text) {
    live.dataset.state = state;
    live.textContent = text;
  }

  function connect() {
    const source = new EventSource(body.dataset.events);
    source.addEventListener("open", () => setLive("live", live.dataset.liveText || "●"));
    source.addEventListener("error", () => setLive("connecting", live.dataset.connectingText || "…"));
    source.addEventListener("call", (event) => {
      const call = JSON.parse(event.data);
      announcement.textContent = body.dataset.announceTemplate
        .replace("{number}", call.ticket).replace("{counter}", call.counter);
      announcement.classList.remove("flash");
      void announcement.offsetWidth; // restart the highlight animation
      announcement.classList.add("flash");
      showCall(call);
      announce(call.ticket, call.counter);
    });
    source.addEventListener("change", (event) => refresh(event.lastEventId));
  }

  soundButton.addEventListener("click", () => {
    const ctx = context();
    if (ctx) ctx.resume().then(() => { soundButton.hidden = true; chime(); });
  });
  live.dataset.connectingText = live.textContent;
  live.dataset.liveText = live.dataset.live || "●";
  connect();
})();
