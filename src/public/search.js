// The search box's suggestions (no inline script: the CSP allows our origin only). The form
// works without this file; with it, the [data-search-combobox] form's text box is an ARIA 1.2
// combobox: htmx fills its listbox from /search/suggest (debounced, a newer keystroke replacing
// the request in flight: hx-sync), ArrowDown/ArrowUp move the active option, Enter opens it,
// Escape closes the list, and a polite live region says how many suggestions there are.
// It runs again after every htmx swap, and only once per form.
(function () {
  'use strict';

  if (window.makenotSearch) return;
  window.makenotSearch = true;

  function Combobox(form) {
    this.input = form.querySelector('input[role="combobox"]');
    this.status = form.querySelector('[data-search-status]');
    this.listen(form);
    this.input.addEventListener('focus', () => {
      if (this.options().length > 0 && this.input.value.trim() !== '') this.open();
    });
  }

  Object.assign(Combobox.prototype, window.makenotListboxPopup);

  /** After htmx put new suggestions in: show them while the input has focus, and say how many. */
  Combobox.prototype.refresh = function () {
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    var count = this.options().length;
    var typed = this.input.value.trim() !== '';
    if (document.activeElement === this.input && typed) this.open();
    else this.close();
    if (!typed) this.announce('');
    else if (count === 0) this.announce('No suggestions');
    else this.announce(count === 1 ? '1 suggestion' : count + ' suggestions');
  };

  Combobox.prototype.onKey = function (event) {
    if (this.navigate(event)) return;
    // With an active option Enter opens it; otherwise the form is submitted as usual.
    var current = this.current();
    if (event.key === 'Enter' && current) {
      event.preventDefault();
      window.location.assign(current.href);
    }
  };

  var boxes = [];

  function enhance() {
    document.querySelectorAll('[data-search-combobox]').forEach(function (form) {
      if (form.dataset.searchCombobox === 'done') return;
      form.dataset.searchCombobox = 'done';
      boxes.push(new Combobox(form));
    });
    boxes = boxes.filter(function (box) {
      return box.input.isConnected;
    });
  }

  window.makenotEnhance(enhance, function () {
    boxes.forEach(function (box) {
      box.refresh();
    });
  });
})();
