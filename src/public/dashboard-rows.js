// The dashboard's rows, enhanced (no inline script: the CSP allows our origin only). Without
// this file every action is a plain link or form and rows move with their Move up/down forms.
// With it:
//  - [data-row-menu]: the "More" button appears (aria-expanded, aria-controls) and the actions
//    hide behind it. Enter or Space opens it (from the keyboard, focus goes to the first action),
//    ArrowUp/ArrowDown/Home/End move between the actions, Escape closes it and returns focus to
//    the button, and so does a click or a focus move outside it;
//  - [data-reorder] lists: rows are dragged to a new place (HTML5 drag and drop); the new order
//    is saved with PUT to the list's data-reorder URL (the JSON API's reorder route), the move
//    buttons follow, and #reorder-status says what happened. A failed save puts the rows back.
// It runs again after every htmx swap (window.makenotEnhance, listbox-popup.js), once per element.
(function () {
  'use strict';

  if (window.makenotDashboardRows) return;
  window.makenotDashboardRows = true;

  function once(element, key) {
    if (element.dataset[key] === 'done') return false;
    element.dataset[key] = 'done';
    return true;
  }

  // ---- the "More" menu

  var openMenus = [];

  function RowMenu(root) {
    this.root = root;
    this.button = root.querySelector('[data-row-menu-toggle]');
    this.list = document.getElementById(this.button.getAttribute('aria-controls'));
    root.classList.add('row-menu--enhanced');
    this.button.hidden = false;
    this.list.hidden = true;
    this.button.addEventListener('click', (event) => {
      if (this.isOpen()) this.close(false);
      // a click from the keyboard (Enter, Space) has no pointer: focus the first action
      else this.open(event.detail === 0 ? 0 : undefined);
    });
    root.addEventListener('keydown', (event) => {
      this.onKey(event);
    });
    root.addEventListener('focusout', (event) => {
      if (this.isOpen() && event.relatedTarget && !root.contains(event.relatedTarget)) {
        this.close(false);
      }
    });
  }

  RowMenu.prototype = {
    isOpen: function () {
      return this.button.getAttribute('aria-expanded') === 'true';
    },
    actions: function () {
      return Array.prototype.slice.call(this.list.querySelectorAll('a[href], button'));
    },
    open: function (focusIndex) {
      openMenus.forEach(function (menu) {
        menu.close(false);
      });
      this.button.setAttribute('aria-expanded', 'true');
      this.list.hidden = false;
      openMenus = [this];
      if (focusIndex !== undefined) this.focusAt(focusIndex);
    },
    close: function (returnFocus) {
      this.button.setAttribute('aria-expanded', 'false');
      this.list.hidden = true;
      openMenus = openMenus.filter((menu) => menu !== this);
      if (returnFocus) this.button.focus();
    },
    focusAt: function (index) {
      var actions = this.actions();
      if (actions.length === 0) return;
      actions[(index + actions.length) % actions.length].focus();
    },
    onKey: function (event) {
      var onButton = event.target === this.button;
      if (event.key === 'Escape' && this.isOpen()) {
        event.preventDefault();
        this.close(true);
        return;
      }
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
        if (this.isOpen() && !onButton && (event.key === 'Home' || event.key === 'End')) {
          event.preventDefault();
          this.focusAt(event.key === 'Home' ? 0 : -1);
        }
        return;
      }
      event.preventDefault();
      var step = event.key === 'ArrowDown' ? 1 : -1;
      if (!this.isOpen()) {
        this.open(step === 1 ? 0 : -1);
        return;
      }
      var index = this.actions().indexOf(document.activeElement);
      this.focusAt(index < 0 ? (step === 1 ? 0 : -1) : index + step);
    },
  };

  document.addEventListener('click', function (event) {
    openMenus.slice().forEach(function (menu) {
      if (!menu.root.contains(event.target)) menu.close(false);
    });
  });

  function enhanceMenus(root) {
    root.querySelectorAll('[data-row-menu]').forEach(function (element) {
      if (once(element, 'rowMenu')) new RowMenu(element);
    });
  }

  // ---- drag to reorder

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  /** The direct child of `list` that holds `node`, if any. */
  function rowIn(list, node) {
    while (node && node.parentElement !== list) node = node.parentElement;
    return node && node.dataset && node.dataset.id ? node : null;
  }

  function rowsOf(list) {
    return Array.prototype.filter.call(list.children, function (row) {
      return Boolean(row.dataset.id);
    });
  }

  function titleOf(row) {
    var title = row.querySelector('.item-row__title, .project-card__title');
    return title ? title.textContent.trim() : '';
  }

  function announce(text) {
    var status = document.getElementById('reorder-status');
    if (status) status.textContent = text;
  }

  // The move buttons of the first and last rows are disabled, as the server renders them.
  function syncMoveButtons(list) {
    var rows = rowsOf(list);
    rows.forEach(function (row, index) {
      var up = document.getElementById('move-up-' + row.dataset.id);
      var down = document.getElementById('move-down-' + row.dataset.id);
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === rows.length - 1;
    });
  }

  function enableReorder(list) {
    var dragged = null;
    var before = [];
    var dropped = false;

    rowsOf(list).forEach(function (row) {
      row.draggable = true;
    });

    function restore() {
      before.forEach(function (row) {
        list.appendChild(row);
      });
      syncMoveButtons(list);
    }

    function save(row) {
      var rows = rowsOf(list);
      var ids = rows.map(function (r) {
        return r.dataset.id;
      });
      var position = rows.indexOf(row) + 1;
      fetch(list.dataset.reorder, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
        body: JSON.stringify({ ids: ids }),
      })
        .then(function (response) {
          if (!response.ok) throw new Error('status ' + response.status);
          syncMoveButtons(list);
          announce('Moved ‘' + titleOf(row) + '’ to ' + position + ' of ' + rows.length + '.');
        })
        .catch(function () {
          restore();
          announce('The new order could not be saved, so nothing moved. Try again.');
        });
    }

    list.addEventListener('dragstart', function (event) {
      var row = rowIn(list, event.target);
      if (!row) return;
      event.stopPropagation(); // a nested list's row is that list's to move
      dragged = row;
      dropped = false;
      before = rowsOf(list);
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', titleOf(row));
      row.classList.add('is-dragging');
    });

    list.addEventListener('dragover', function (event) {
      if (!dragged) return;
      var over = rowIn(list, event.target);
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      if (!over || over === dragged) return;
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });

    list.addEventListener('drop', function (event) {
      if (!dragged) return;
      event.preventDefault();
      event.stopPropagation();
      dropped = true;
    });

    list.addEventListener('dragend', function () {
      if (!dragged) return;
      var row = dragged;
      dragged = null;
      row.classList.remove('is-dragging');
      var moved = rowsOf(list).some(function (r, index) {
        return r !== before[index];
      });
      if (!dropped) restore();
      else if (moved) save(row);
    });
  }

  function enhanceLists(root) {
    root.querySelectorAll('[data-reorder]').forEach(function (list) {
      if (rowsOf(list).length > 1 && once(list, 'dragReorder')) enableReorder(list);
    });
  }

  window.makenotEnhance(
    function () {
      enhanceMenus(document);
      enhanceLists(document);
    },
    function () {},
  );
})();
