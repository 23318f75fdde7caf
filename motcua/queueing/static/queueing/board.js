// The hall's display board: follows the service point's server-sent events, refreshes the panel,
// shows and announces each call. Speech comes from the server (espeak-ng WAV) when available;
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

  function refresh() {
    window.htmx.ajax("GET", body.dataset.panel, { target: "#board-panel", swap: "outerHTML" });
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
      refresh();
      announce(call.ticket, call.counter);
    });
    source.addEventListener("change", refresh);
  }

  soundButton.addEventListener("click", () => {
    const ctx = context();
    if (ctx) ctx.resume().then(() => { soundButton.hidden = true; chime(); });
  });
  live.dataset.connectingText = live.textContent;
  live.dataset.liveText = live.dataset.live || "●";
  connect();
})();
