// Sieć ES: the main menu is a <details> disclosure, so it opens and closes without JavaScript.
// On a wide screen it is simply open (its "Menu" button hidden); on a phone it starts
// collapsed. Loaded right after the menu, not deferred, so a wide page never paints it closed.
(function () {
  "use strict";
  var menu = document.querySelector("details.nav-menu");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 48em)");
  function sync() {
    menu.open = wide.matches;
    document.documentElement.classList.toggle("nav-wide", wide.matches);
  }
  sync();
  if (wide.addEventListener) { wide.addEventListener("change", sync); }
  // Escape closes the open menu on a phone and returns focus to its button
  menu.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
