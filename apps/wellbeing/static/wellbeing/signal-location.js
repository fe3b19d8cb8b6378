/* The signal form's "Use where I am now": shown only when this script runs and the browser can tell the position
   (without it, the address or a typed point is enough). Fills the latitude and longitude, opens their part of the
   form and empties the address (an address and a point together are refused); the texts come from the page, in
   its language. Nothing leaves the browser until the person sends the form. */
document.querySelectorAll("[data-signal-locate]").forEach(function (button) {
  if (!("geolocation" in navigator)) return;
  var form = button.closest("form");
  var status = form.querySelector("[data-signal-locate-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = status.dataset.busy;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var lat = position.coords.latitude.toFixed(6), lon = position.coords.longitude.toFixed(6);
        form.querySelector("[name=lat]").value = lat;
        form.querySelector("[name=lon]").value = lon;
        form.querySelector("[name=address]").value = "";
        var details = form.querySelector("[name=lat]").closest("details");
        if (details) details.open = true;
        status.textContent = status.dataset.found + " " + lat + ", " + lon + ".";
      },
      function () { status.textContent = status.dataset.failed; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
});
