// The header's account menu as a disclosure (no inline script: the CSP allows our origin only).
// Without this file the toggle is a link to /settings and a <noscript> sign-out button stands
// beside it. With it the link becomes a button with aria-expanded that shows or hides the list
// (aria-controls); Escape closes it and returns focus to the button, and so does a click or a
// focus move outside the menu.
(function () {
  'use strict';

  var root = document.querySelector('[data-account-menu]');
  var link = root && root.querySelector('[data-account-menu-toggle]');
  var panel = link && document.getElementById(link.getAttribute('data-account-menu-toggle'));
  if (!root || !link || !panel || root.dataset.accountMenu === 'done') return;
  root.dataset.accountMenu = 'done';

  var button = document.createElement('button');
  button.type = 'button';
  button.className = link.className;
  if (link.title) button.title = link.title;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', panel.id);
  while (link.firstChild) button.appendChild(link.firstChild);
  link.replaceWith(button);

  function isOpen() {
    return button.getAttribute('aria-expanded') === 'true';
  }

  function setOpen(open) {
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    panel.hidden = !open;
  }

  button.addEventListener('click', function () {
    setOpen(!isOpen());
  });

  root.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || !isOpen()) return;
    event.preventDefault();
    setOpen(false);
    button.focus();
  });

  root.addEventListener('focusout', function (event) {
    if (isOpen() && event.relatedTarget && !root.contains(event.relatedTarget)) setOpen(false);
  });

  document.addEventListener('click', function (event) {
    if (isOpen() && !root.contains(event.target)) setOpen(false);
  });
})();
