// The popup listbox half of an ARIA 1.2 combobox, shared by the tag picker (dashboard.js) and the
// search suggestions (search.js): the keyboard and pointer wiring of the input, finding the
// listbox and its options, opening and closing it, moving the active option with ArrowUp and
// ArrowDown, closing with Escape, and the polite status line. Mixed into each one's prototype;
// `this.input` is the combobox, `this.status` its live region, and each has its own `onKey`
// for the keys it handles beyond these (Enter, a comma). Also when both scripts run: on load and
// after every htmx swap (makenotEnhance).
(function () {
  'use strict';

  if (window.makenotListboxPopup) return;

  /**
   * Runs `enhance` once the page is parsed and again after every htmx swap, then `refresh`:
   * a swap may have brought new suggestions, which each live combobox shows or hides.
   */
  window.makenotEnhance = function (enhance, refresh) {
    document.addEventListener('htmx:after:swap', function () {
      enhance();
      refresh();
    });
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhance);
    else enhance();
  };

  window.makenotListboxPopup = {
    /**
     * Keys go to `this.onKey`, leaving the input closes the list, and pressing an option with the
     * mouse keeps focus in the input (the click that follows chooses or opens it).
     */
    listen: function (container) {
      this.active = -1;
      this.input.addEventListener('keydown', (event) => {
        this.onKey(event);
      });
      this.input.addEventListener('blur', () => {
        this.close();
      });
      container.addEventListener('mousedown', (event) => {
        if (event.target.closest('[role="option"]')) event.preventDefault();
      });
    },

    announce: function (text) {
      if (this.status) this.status.textContent = text;
    },

    /**
     * ArrowDown and ArrowUp open the list and move the active option, wrapping at either end;
     * Escape closes an open list. Whether the key was one of these.
     */
    navigate: function (event) {
      var options = this.options();
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (options.length === 0) return true;
        event.preventDefault();
        if (!this.isOpen()) this.open();
        var next = this.active + (event.key === 'ArrowDown' ? 1 : -1);
        if (next < 0) next = options.length - 1;
        if (next >= options.length) next = 0;
        this.setActive(next);
        return true;
      }
      if (event.key === 'Escape') {
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        }
        return true;
      }
      return false;
    },

    /** The active option while the list is open. */
    current: function () {
      return this.isOpen() ? this.options()[this.active] : undefined;
    },

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
