// The "confirm with your current password" field of the re-authentication and two-factor
// prompts: focused on arrival, filled by password managers, its error read with it.
export function CurrentPasswordField(props: { label: string; error?: string | undefined }) {
  const errorId = props.error ? 'field-password-error' : undefined;
  return (
    <div class={props.error ? 'field field--invalid' : 'field'}>
      <label class="field__label" for="field-password" safe>
        {props.label}
      </label>
      <input
        class="field__input"
        id="field-password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
        autofocus
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={errorId}
      />
      {props.error ? (
        <p class="field__error" id={errorId} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}
