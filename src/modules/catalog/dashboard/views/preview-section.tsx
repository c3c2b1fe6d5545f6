// The item editor's preview clip (audio and video): where the 30-second clip that fans hear or
// see before buying starts. Empty means a third of the way in. A plain form; text props are
// escaped here (`safe`).
import { CsrfField, TextField } from '../../../../platform/views/forms.js';
import { formatTimestamp } from '../dashboard-forms.js';

export interface PreviewSectionProps {
  itemId: string;
  kind: 'audio' | 'video';
  /** the field's text: what was typed, or the start kept now */
  value: string;
  /** how long the playable file is, when known */
  durationMs: number | null;
  error?: string | undefined;
  csrfToken: string;
}

export function previewValueOf(startMs: number | null): string {
  return startMs === null ? '' : formatTimestamp(Math.floor(startMs / 1000));
}

export function PreviewSection(props: PreviewSectionProps): JSX.Element {
  const length =
    props.durationMs === null
      ? ''
      : ` The file is ${formatTimestamp(Math.round(props.durationMs / 1000))} long.`;
  return (
    <section class="dashboard-card" id="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview clip</h2>
      <p>
        {props.kind === 'audio'
          ? 'Fans who have not bought this hear 30 seconds of it, from the point you choose.'
          : 'Fans who have not bought this see 30 seconds of it, from the point you choose.'}
      </p>
      <form method="post" action={`/dashboard/items/${props.itemId}/preview`}>
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Preview starts at"
          name="preview_start"
          value={props.value}
          error={props.error}
          placeholder="1:30"
          hint={`Minutes and seconds (1:30) or seconds (90). Empty: a third of the way in.${length} A new start makes the clip again, which takes a moment.`}
        />
        <button type="submit" class="button button--secondary">
          Save preview start
        </button>
      </form>
    </section>
  );
}
