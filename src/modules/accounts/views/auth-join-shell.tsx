// The frame of every join step: the steps themselves, the indicator that shows where the
// person is, and the one <section id="join"> each step replaces. After an htmx swap the step's
// heading takes focus, so a screen reader announces "Step 2 of 4, Your profile".
import type { Children } from '@kitajs/html';
import { AuthCard, AuthHeading } from './auth-forms.js';

export type JoinStep = 'account' | 'profile' | 'create' | 'done';

export const JOIN_STEPS: readonly { id: JoinStep; label: string; path: string; title: string }[] = [
  { id: 'account', label: 'Account', path: '/join', title: 'Create your account' },
  { id: 'profile', label: 'Profile', path: '/join/profile', title: 'Your profile' },
  { id: 'create', label: 'Create', path: '/join/create', title: 'Start creating' },
  { id: 'done', label: 'Done', path: '/join/done', title: 'You’re in' },
];

function stepOf(id: JoinStep) {
  const index = JOIN_STEPS.findIndex((step) => step.id === id);
  const step = JOIN_STEPS[index];
  if (!step) throw new Error(`unknown join step ${id}`);
  return { ...step, number: index + 1 };
}

export function joinStepTitle(id: JoinStep): string {
  return stepOf(id).title;
}

/** How a step arrives: after an htmx swap its heading takes focus; after an error, the problem. */
export type StepFocus = 'none' | 'heading' | 'problem';

function StepIndicator(props: { current: JoinStep }) {
  const currentNumber = stepOf(props.current).number;
  return (
    <ol class="steps" aria-label="Steps to join">
      {JOIN_STEPS.map((step, index) => {
        const state =
          index + 1 < currentNumber ? 'done' : index + 1 === currentNumber ? 'current' : 'todo';
        return (
          <li
            class={`steps__item steps__item--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span class="steps__marker" aria-hidden="true">
              {state === 'done' ? '✓' : index + 1}
            </span>
            <span class="steps__label" safe>
              {step.label}
            </span>
            {state === 'done' ? <span class="visually-hidden">(done)</span> : ''}
          </li>
        );
      })}
    </ol>
  );
}

export function JoinSection(props: { step: JoinStep; focus: StepFocus; children: Children }) {
  const step = stepOf(props.step);
  const headingId = `join-${step.id}-title`;
  return (
    <AuthCard id="join" labelledBy={headingId} wide>
      <StepIndicator current={step.id} />
      <AuthHeading
        id={headingId}
        eyebrow={`Step ${step.number} of ${JOIN_STEPS.length}`}
        title={step.title}
        focus={props.focus === 'heading'}
      />
      {props.children}
    </AuthCard>
  );
}

/** htmx attributes that make a form swap the wizard in place; the plain form still works. */
export function joinFormAttributes(action: string) {
  return {
    method: 'post',
    action,
    'hx-post': action,
    'hx-target': '#join',
    'hx-swap': 'outerHTML',
    'hx-disable': 'find button',
    novalidate: true,
  } as const;
}
