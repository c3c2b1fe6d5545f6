// The popup listbox half of an ARIA 1.2 combobox, shared by the tag picker (dashboard.js) and the
// search suggestions (search.js): finding the listbox and its options, opening and closing it,
// and moving the active option. Mixed into each one's prototype; `this.input` is the combobox.
(function () {
  'use strict';

  if (window.makenotListboxPopup) return;

  window.makenotListboxPopup = {
    listbox: function () {
      return document.getElementById(this.input.getAttribute('aria-controls'));
    },

    options: function () {
      var listbox = this.listbox();
      return listbox ? Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]')) : [];
    },

    isOpen: function () {
      return this.input.getAttribute('aria-expanded') === 'true';
    },

    open: function () {
      var listbox = this.listbox();
      if (!listbox || this.options().length === 0) return this.close();
      listbox.hidden = false;
      this.input.setAttribute('aria-expanded', 'true');
    },

    close: function () {
      var listbox = this.listbox();
      if (listbox) listbox.hidden = true;
      this.input.setAttribute('aria-expanded', 'false');
      this.setActive(-1);
    },

    setActive: function (index) {
      var options = this.options();
      this.active = index;
      options.forEach(function (option, i) {
        option.setAttribute('aria-selected', i === index ? 'true' : 'false');
      });
      var current = options[index];
      if (current) {
        this.input.setAttribute('aria-activedescendant', current.id);
        current.scrollIntoView({ block: 'nearest' });
      } else {
        this.input.removeAttribute('aria-activedescendant');
      }
    },
  };
})();
