// The frame of every sign-up, sign-in and recovery page: the card the form sits on and its
// heading (the fields, the error summary and the CSRF field are the form kit's, in
// platform/views/forms.tsx). Text props are escaped here; `children` is markup.
import type { Children } from '@kitajs/html';
export interface AuthCardProps {
  /** the id of the heading that names the section */
  labelledBy: string;
  /** the section's own id: the join wizard swaps `#join` in place */
  id?: string;
  wide?: boolean;
  children: Children;
}

/** A warm backdrop with one card in the middle: the frame of every page in this family. */
export function AuthCard(props: AuthCardProps): JSX.Element {
  return (
    <section class="auth" id={props.id} aria-labelledby={props.labelledBy}>
      <div class={props.wide ? 'auth__card auth__card--wide' : 'auth__card'}>{props.children}</div>
    </section>
  );
}

export interface AuthHeadingProps {
  id: string;
  title: string;
  /** a line above the title, read as part of it ("Step 2 of 4") */
  eyebrow?: string | undefined;
  /**
   * htmx focuses `[autofocus]` in swapped content: a heading that is focused after a swap is
   * what a screen reader announces as the new step.
   */
  focus?: boolean;
}

export function AuthHeading(props: AuthHeadingProps): JSX.Element {
  return (
    <h1 class="auth__title" id={props.id} tabindex="-1" autofocus={props.focus}>
      {props.eyebrow ? (
        <>
          <span class="auth__eyebrow" safe>
            {props.eyebrow}
          </span>{' '}
        </>
      ) : (
        ''
      )}
      <span safe>{props.title}</span>
    </h1>
  );
}

/** Seconds until a limit resets, as people say it. */
export function waitPhrase(seconds: number | undefined): string {
  if (seconds === undefined || seconds < 90) return 'in a minute or two';
  return `in about ${Math.ceil(seconds / 60)} minutes`;
}
