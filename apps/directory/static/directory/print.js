/* The printed list's "Print" button: shown only when this script runs (without it, the page says to use the browser's print). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
