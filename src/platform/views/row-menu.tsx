// A list row's secondary actions behind one "More" button (a disclosure: the button has
// aria-expanded and aria-controls; dashboard.js shows it, hides the list until it is pressed,
// closes it on Escape with focus back on the button and moves between the actions with the
// arrow keys). Without script the button stays hidden and the actions are a plain row of links
// and forms, so every action works without JavaScript. `label` names the row ("‘On Rivers’")
// for screen readers; the actions are markup (links, or forms with one button each).
import type { Children } from '@kitajs/html';

export function RowMenu(props: { id: string; label: string; children: Children }): JSX.Element {
  return (
    <div class="row-menu" data-row-menu>
      <button
        type="button"
        class="button button--ghost button--small row-menu__toggle"
        aria-expanded="false"
        aria-controls={props.id}
        data-row-menu-toggle
        hidden
      >
        More<span class="visually-hidden" safe>{` actions for ${props.label}`}</span>
        <span class="row-menu__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      <ul class="row-menu__list" id={props.id} role="list">
        {props.children}
      </ul>
    </div>
  );
}
