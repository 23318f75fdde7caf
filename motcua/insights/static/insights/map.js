// The public service map: with a tile URL configured and Leaflet loaded, a map with a marker per
// service point; without, the server's drawing stays. "Nearest to me" sorts the list by distance
// from the browser's position (asked only when the person presses the button; never sent anywhere).
(function () {
  "use strict";
  const button = document.getElementById("map-nearest");
  const status = document.getElementById("map-nearest-status");
  let here = null;

  function distanceKm(a, b) {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLng = (b.lng - a.lng) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
    return 12742 * Math.asin(Math.sqrt(h));
  }

  function positionOf(item) {
    if (!item.dataset.lat) return null;
    return { lat: Number(item.dataset.lat), lng: Number(item.dataset.lng) };
  }

  function sortByDistance() {
    const list = document.getElementById("map-list");
    if (!list || !here) return;
    const items = Array.from(list.querySelectorAll("li[data-point]"));
    const far = Number.POSITIVE_INFINITY;
    items.forEach((item) => {
      const place = positionOf(item);
      const km = place ? distanceKm(here, place) : far;
      item.dataset.km = String(km);
      const line = item.querySelector(".map-distance");
      if (line && km !== far) {
        line.textContent = button.dataset.distance.replace("{km}", km.toLocaleString(document.documentElement.lang || "vi", { maximumFractionDigits: 1 }));
        line.hidden = false;
      }
    });
    items.sort((a, b) => Number(a.dataset.km) - Number(b.dataset.km)).forEach((item) => list.appendChild(item));
  }

  if (button && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", () => {
      status.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition((position) => {
        here = { lat: position.coords.latitude, lng: position.coords.longitude };
        sortByDistance();
        status.textContent = button.dataset.sorted;
      }, () => { status.textContent = button.dataset.denied; }, { timeout: 10000, maximumAge: 300000 });
    });
    // The list is replaced every minute with fresh waits: keep it in the person's order.
    document.body.addEventListener("htmx:afterSwap", sortByDistance);
  }

  function drawMap() {
    const box = document.getElementById("service-map");
    if (!box || !box.dataset.tileUrl || !window.L) return;
    const items = Array.from(document.querySelectorAll("#map-list li[data-lat]"));
    if (!items.length) return;
    const map = window.L.map(box);
    window.L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    const bounds = [];
    items.forEach((item) => {
      const place = positionOf(item);
      bounds.push([place.lat, place.lng]);
      const link = document.createElement("a");
      link.href = "#" + item.id;
      link.textContent = item.dataset.name;
      const popup = document.createElement("div");
      popup.appendChild(link);
      if (item.dataset.wait) {
        const wait = document.createElement("p");
        wait.textContent = button.dataset.waitLabel.replace("{minutes}", item.dataset.wait);
        popup.appendChild(wait);
      }
      window.L.marker([place.lat, place.lng], { title: item.dataset.name }).addTo(map).bindPopup(popup);
    });
    map.fitBounds(bounds, { padding: [24, 24] });
    document.getElementById("map-drawing").hidden = true;
  }
  if (document.readyState === "complete") drawMap(); else window.addEventListener("load", drawMap);
})();
