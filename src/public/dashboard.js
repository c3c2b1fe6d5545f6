// The dashboard's progressive enhancements (no inline script: the CSP allows our origin only).
// Everything works without this file; with it:
//  - [data-needs-js] controls (image uploads, which need htmx's CSRF header) appear and the
//    [data-no-js] notes about them go away;
//  - the new-project wizard suggests the address from the title until the address is edited;
//  - [data-tag-picker] becomes a tag typeahead: the chosen tags are removable chips, the input
//    is an ARIA 1.2 combobox whose listbox htmx fills (debounced) from /dashboard/tags/suggest,
//    with ArrowUp/ArrowDown to move, Enter to choose, Escape to close (listbox-popup.js);
//  - [data-insert-paywall] buttons put the paywall divider on its own line at the text's cursor;
//  - on phones, the dashboard's row of sections scrolls to show the current one.
// It runs again after every htmx swap, and only once per element.
(function () {
  'use strict';

  if (window.makenotDashboard) return;
  window.makenotDashboard = true;

  function slugify(text) {
    return text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 70)
      .replace(/^-+|-+$/g, '');
  }

  function once(element, key) {
    if (element.dataset[key] === 'done') return false;
    element.dataset[key] = 'done';
    return true;
  }

  function revealScripted(root) {
    root.querySelectorAll('[data-needs-js][hidden]').forEach(function (el) {
      el.hidden = false;
    });
    root.querySelectorAll('[data-no-js]').forEach(function (el) {
      el.hidden = true;
    });
  }

  function suggestSlug(root) {
    var wizard = root.querySelector('#wizard');
    if (!wizard) return;
    var title = wizard.querySelector('#field-title');
    var slug = wizard.querySelector('#field-slug');
    if (!title || !slug || !once(slug, 'slugSuggest')) return;
    // A slug that is already there (typed, or suggested by the server) is the creator's choice.
    var following = slug.value === '' || slug.value === slugify(title.value);
    slug.addEventListener('input', function () {
      following = slug.value === '';
    });
    title.addEventListener('input', function () {
      if (following) slug.value = slugify(title.value);
    });
  }

  // ---- tag typeahead

  function TagPicker(root) {
    this.root = root;
    this.input = root.querySelector('input[role="combobox"]');
    this.chips = root.querySelector('[data-tag-chips]');
    this.status = root.querySelector('[data-tag-status]');
    var initial = this.input.value.split(',');
    this.input.value = '';
    initial.forEach((tag) => {
      this.add(tag, false);
    });
    this.listen(root);
    root.addEventListener('click', (event) => {
      var option = event.target.closest('[role="option"]');
      if (option) this.choose(option);
      var remove = event.target.closest('[data-remove-tag]');
      if (remove) this.remove(remove);
    });
  }

  Object.assign(TagPicker.prototype, window.makenotListboxPopup);

  /** After htmx put new suggestions in: show them while the input has focus. */
  TagPicker.prototype.refresh = function () {
    this.active = -1;
    if (document.activeElement === this.input && this.input.value.trim() !== '') this.open();
    else this.close();
  };

  TagPicker.prototype.tags = function () {
    return Array.prototype.map.call(
      this.chips.querySelectorAll('input[name="tags"]'),
      function (i) {
        return i.value;
      },
    );
  };

  TagPicker.prototype.add = function (raw, announce) {
    var tag = raw.trim();
    if (tag === '' || this.tags().indexOf(tag) !== -1) return;
    var chip = document.createElement('li');
    chip.className = 'tag-chip';
    var hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.name = 'tags';
    hidden.value = tag;
    var label = document.createElement('span');
    label.textContent = tag;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'tag-chip__remove';
    button.setAttribute('data-remove-tag', '');
    button.setAttribute('aria-label', 'Remove tag ' + tag);
    button.textContent = '×';
    chip.append(hidden, label, button);
    this.chips.append(chip);
    this.chips.hidden = false;
    if (announce) this.announce('Added tag ' + tag + '.');
  };

  TagPicker.prototype.remove = function (button) {
    var chip = button.closest('.tag-chip');
    var tag = chip.querySelector('input').value;
    chip.remove();
    this.chips.hidden = this.chips.children.length === 0;
    this.announce('Removed tag ' + tag + '.');
    this.input.focus();
  };

  TagPicker.prototype.choose = function (option) {
    this.add(option.getAttribute('data-value') || '', true);
    this.input.value = '';
    this.close();
    this.input.focus();
  };

  /** Enter chooses the active option or adds what was typed; a comma adds what was typed. */
  TagPicker.prototype.onKey = function (event) {
    if (this.navigate(event)) return;
    var current = this.current();
    var typed = this.input.value.trim() !== '';
    if (event.key === 'Enter' && current) {
      event.preventDefault();
      this.choose(current);
    } else if ((event.key === 'Enter' || event.key === ',') && typed) {
      // Enter submits the form only from an empty input.
      event.preventDefault();
      this.add(this.input.value, true);
      this.input.value = '';
      this.close();
    }
  };

  var pickers = [];

  function enhanceTagPickers(root) {
    root.querySelectorAll('[data-tag-picker]').forEach(function (element) {
      if (once(element, 'tagPicker')) pickers.push(new TagPicker(element));
    });
    pickers = pickers.filter(function (picker) {
      return picker.root.isConnected;
    });
  }

  // The divider on a line of its own, with blank lines around it, where the cursor is.
  function enhancePaywallButtons(root) {
    root.querySelectorAll('[data-insert-paywall]').forEach(function (button) {
      if (!once(button, 'paywall')) return;
      var area = document.getElementById(button.dataset.insertPaywall);
      var status = document.getElementById(button.dataset.insertPaywall + '-paywall-status');
      if (!area) return;
      button.addEventListener('click', function () {
        var before = area.value.slice(0, area.selectionStart).replace(/\s*$/, '');
        var after = area.value.slice(area.selectionEnd).replace(/^\s*/, '');
        var divider = '<!-- paywall -->';
        area.value = (before ? before + '\n\n' : '') + divider + (after ? '\n\n' + after : '\n\n');
        var caret = (before ? before.length + 2 : 0) + divider.length + 2;
        area.focus();
        area.setSelectionRange(caret, caret);
        if (status)
          status.textContent = 'Paywall divider inserted: the text after it is for those who pay.';
      });
    });
  }

  // On phones the sections are one row that scrolls sideways: show the current one.
  function showCurrentSection(root) {
    var nav = root.querySelector('.section-nav');
    var current = nav && nav.querySelector('[aria-current]');
    if (!current || nav.scrollWidth <= nav.clientWidth || !once(nav, 'sectionNav')) return;
    var offset = current.getBoundingClientRect().left - nav.getBoundingClientRect().left;
    nav.scrollLeft += offset - (nav.clientWidth - current.offsetWidth) / 2;
  }

  function enhance() {
    showCurrentSection(document);
    revealScripted(document);
    suggestSlug(document);
    enhanceTagPickers(document);
    enhancePaywallButtons(document);
  }

  window.makenotEnhance(enhance, function () {
    pickers.forEach(function (picker) {
      picker.refresh();
    });
  });
})();
