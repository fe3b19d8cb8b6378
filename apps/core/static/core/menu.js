/* The main menu's groups are <details> disclosures: they open and close without this script, by mouse,
   touch and keyboard (Enter or Space on the heading).  This only makes them behave like a menu bar's
   dropdowns: one group open at a time, Escape closes it (focus back on its heading), and a click or
   the focus going elsewhere closes it, so an open list never hides the page being read. */
(function () {
  "use strict";
  var groups = Array.prototype.slice.call(document.querySelectorAll("details[data-menu-group]"));
  if (!groups.length) {
    return;
  }
  function closeAll(except) {
    groups.forEach(function (group) {
      if (group !== except && group.open) {
        group.open = false;
      }
    });
  }
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (group.open) {
        closeAll(group);
      }
    });
    group.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !group.contains(event.relatedTarget)) {
        group.open = false;
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    groups.forEach(function (group) {
      if (group.open) {
        var hadFocus = group.contains(document.activeElement);
        group.open = false;
        if (hadFocus) {
          group.querySelector("summary").focus();
        }
      }
    });
  });
  document.addEventListener("click", function (event) {
    groups.forEach(function (group) {
      if (group.open && !group.contains(event.target)) {
        group.open = false;
      }
    });
  });
})();
