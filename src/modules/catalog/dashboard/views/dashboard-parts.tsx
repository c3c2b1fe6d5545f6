// Pieces of the catalogue's dashboard pages: the step indicator of the wizards, items' status
// badges and the words of the flash messages (the frame is platform/views/dashboard-frame.tsx,
// the fields platform/views/forms.tsx). Text props are escaped here (`safe`).
import { flashReader } from '../../../../platform/views/forms.js';

export interface Step {
  id: string;
  label: string;
}

/** The wizard's steps; the current one carries aria-current="step". */
export function StepIndicator(props: { steps: readonly Step[]; current: string; label: string }) {
  const currentIndex = props.steps.findIndex((step) => step.id === props.current);
  return (
    <ol class="steps" aria-label={props.label}>
      {props.steps.map((step, index) => {
        const state = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'todo';
        return (
          <li
            class={`steps__item steps__item--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span class="steps__marker" aria-hidden="true" safe>
              {state === 'done' ? '✓' : String(index + 1)}
            </span>
            <span class="steps__label" safe>
              {step.label}
            </span>
            {state === 'done' ? <span class="visually-hidden"> (done)</span> : ''}
          </li>
        );
      })}
    </ol>
  );
}

const STATUS_LABEL = { draft: 'Draft', published: 'Published', unlisted: 'Unlisted' } as const;
export type ItemStatusName = keyof typeof STATUS_LABEL;

export function StatusBadge(props: { status: ItemStatusName }): JSX.Element {
  return (
    <span class={`badge status-badge status-badge--${props.status}`}>
      {STATUS_LABEL[props.status]}
    </span>
  );
}

/** Messages after a redirect, chosen by a fixed key (see flashReader). */
export const FLASH = {
  project_created: 'Project created.',
  project_saved: 'Project saved.',
  project_deleted: 'Project deleted.',
  item_created: 'Draft created. Add what is missing, preview it, then publish.',
  item_saved: 'Item saved.',
  item_deleted: 'Item deleted.',
  file_removed: 'File removed.',
  preview_saved: 'Preview start saved. The new clip is being made.',
  item_published: 'Published: everyone can see it now.',
  item_unlisted: 'Unlisted: only people with the link can see it.',
  item_unpublished: 'Back to draft: only you can see it.',
  versions_saved: 'Versions saved.',
  chapters_saved: 'Chapters saved.',
  bundle_saved: 'Bundle contents saved.',
  profile_saved: 'Profile saved.',
} as const;

export const flashFor = flashReader(FLASH);
