// The printed slip: a print button (no inline handlers under the CSP); on a kiosk, back to the
// kiosk's first screen after a while so that the next citizen starts afresh.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-slip");
  if (button) button.addEventListener("click", () => window.print());
  const back = document.getElementById("back-to-kiosk");
  if (back && document.referrer.includes("/queue/kiosk/")) {
    setTimeout(() => window.location.assign(back.href), 30000);
  }
});
