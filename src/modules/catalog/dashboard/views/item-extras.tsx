// What some item types carry beyond the details: versions with changelogs, chapters of audio
// and the contents of a bundle. Each is its own section and form, swapped by htmx on its own.
import type { FieldErrors } from '../../../../platform/errors.js';
import { Notice } from '../../../../platform/views/components.js';
import type { ItemJson } from '../../catalog.responses.js';
import type { ChapterJson, VersionJson } from '../../item-extras.service.js';
import { formatTimestamp } from '../dashboard-forms.js';
import { StatusBadge } from './dashboard-parts.js';
import { typeLabel } from './dashboard-labels.js';
import {
  ChoiceGroup,
  CsrfField,
  FormProblem,
  TextArea,
  TextField,
} from '../../../../platform/views/forms.js';

function htmxForm(action: string, target: string) {
  return {
    method: 'post',
    action,
    'hx-post': action,
    'hx-target': `#${target}`,
    'hx-swap': 'outerHTML',
    novalidate: true,
  } as const;
}

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

export interface VersionsProps {
  itemId: string;
  versions: VersionJson[];
  csrfToken: string;
  values?: { version: string; changelog: string } | undefined;
  errors?: FieldErrors | undefined;
  saved?: boolean;
  /** a version whose edit failed: its form stays open with the input and errors */
  editing?: {
    versionId: string;
    values: { version: string; changelog: string };
    errors: FieldErrors;
  };
}

function EditVersion(props: {
  action: string;
  version: VersionJson;
  csrfToken: string;
  editing: VersionsProps['editing'];
}) {
  const failed = props.editing?.versionId === props.version.id ? props.editing : undefined;
  const values = failed?.values ?? {
    version: props.version.version,
    changelog: props.version.changelog,
  };
  const errors = failed?.errors ?? {};
  return (
    <details class="version-list__edit" open={failed !== undefined}>
      <summary>
        Edit<span class="visually-hidden" safe>{` version ${props.version.version}`}</span>
      </summary>
      <form {...htmxForm(props.action, 'versions')} class="editor-form">
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Version"
          name="version"
          id={`field-version-${props.version.id}`}
          value={values.version}
          error={errors.version}
          maxlength={50}
          verbatim
          required
        />
        <TextArea
          label="Changelog"
          name="changelog"
          id={`field-changelog-${props.version.id}`}
          value={values.changelog}
          error={errors.changelog}
          rows={4}
        />
        <button type="submit" class="button button--secondary button--small">
          Save version
        </button>
      </form>
    </details>
  );
}

export function VersionsSection(props: VersionsProps): JSX.Element {
  const base = `/dashboard/items/${props.itemId}/versions`;
  const errors = props.errors ?? {};
  return (
    <section class="dashboard-card" id="versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {props.saved ? <Notice tone="success" title="Versions saved." /> : ''}
      {props.versions.length === 0 ? (
        <p>No versions yet. Add the first one when you upload its file.</p>
      ) : (
        <ul class="version-list">
          {props.versions.map((version) => (
            <li class="version-list__row">
              <div class="version-list__main">
                <p class="version-list__name">
                  <strong safe>{version.version}</strong>{' '}
                  <time datetime={version.released_at} safe>
                    {DATE.format(new Date(version.released_at))}
                  </time>
                </p>
                {version.changelog ? (
                  <p class="version-list__log" safe>
                    {version.changelog}
                  </p>
                ) : (
                  ''
                )}
              </div>
              <EditVersion
                action={`${base}/${version.id}`}
                version={version}
                csrfToken={props.csrfToken}
                editing={props.editing}
              />
              <form {...htmxForm(`${base}/${version.id}/delete`, 'versions')} class="inline-form">
                <CsrfField token={props.csrfToken} />
                <button type="submit" class="button button--ghost button--small">
                  Remove<span class="visually-hidden" safe>{` version ${version.version}`}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h3>Add a version</h3>
      <FormProblem
        errors={errors}
        labels={{ version: 'Version', changelog: 'Changelog' }}
        focus={Object.keys(errors).length > 0}
      />
      <form {...htmxForm(base, 'versions')} class="editor-form">
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Version"
          name="version"
          value={props.values?.version}
          error={errors.version}
          hint="Like 1.2.0 or 2026-11."
          maxlength={50}
          verbatim
          required
        />
        <TextArea
          label="Changelog"
          name="changelog"
          value={props.values?.changelog}
          error={errors.changelog}
          hint="Markdown. What changed for the people who have it."
          rows={4}
        />
        <div class="editor-form__actions">
          <button type="submit" class="button button--secondary">
            Add version
          </button>
        </div>
      </form>
    </section>
  );
}

export interface ChapterRow {
  start: string;
  title: string;
}

export const chapterRowsOf = (chapters: readonly ChapterJson[]): ChapterRow[] =>
  chapters.map((c) => ({ start: formatTimestamp(c.start_seconds), title: c.title }));

export interface ChaptersProps {
  itemId: string;
  rows: ChapterRow[];
  csrfToken: string;
  errors?: FieldErrors | undefined;
  saved?: boolean;
}

const BLANK_ROWS = 3;

export function ChaptersSection(props: ChaptersProps): JSX.Element {
  const errors = props.errors ?? {};
  const rows = [
    ...props.rows,
    ...Array.from({ length: BLANK_ROWS }, () => ({ start: '', title: '' })),
  ];
  const labels: Record<string, string> = { chapters: 'Chapters' };
  rows.forEach((_, i) => {
    labels[`chapter_start_${i}`] = `Chapter ${i + 1} start`;
    labels[`chapter_title_${i}`] = `Chapter ${i + 1} title`;
  });
  return (
    <section class="dashboard-card" id="chapters" aria-labelledby="chapters-title">
      <h2 id="chapters-title">Chapters</h2>
      {props.saved ? <Notice tone="success" title="Chapters saved." /> : ''}
      <p id="chapters-hint">
        Start times as minutes:seconds (3:05) or hours:minutes:seconds. Leave a row empty to remove
        it; save to get more empty rows.
      </p>
      <FormProblem errors={errors} labels={labels} focus={Object.keys(errors).length > 0} />
      <form {...htmxForm(`/dashboard/items/${props.itemId}/chapters`, 'chapters')}>
        <CsrfField token={props.csrfToken} />
        <ol class="chapter-rows">
          {rows.map((row, i) => (
            <li class="chapter-rows__row">
              <fieldset class="chapter-rows__fieldset">
                <legend class="visually-hidden" safe>{`Chapter ${i + 1}`}</legend>
                <div class="chapter-rows__start">
                  <TextField
                    label="Start"
                    name="chapter_start"
                    id={`field-chapter_start_${i}`}
                    value={row.start}
                    error={errors[`chapter_start_${i}`]}
                    inputmode="numeric"
                    verbatim
                    required={row.start !== ''}
                  />
                </div>
                <div class="chapter-rows__title">
                  <TextField
                    label="Title"
                    name="chapter_title"
                    id={`field-chapter_title_${i}`}
                    value={row.title}
                    error={errors[`chapter_title_${i}`]}
                    maxlength={200}
                    required={row.title !== ''}
                  />
                </div>
              </fieldset>
            </li>
          ))}
        </ol>
        <div class="editor-form__actions">
          <button type="submit" class="button button--secondary">
            Save chapters
          </button>
        </div>
      </form>
    </section>
  );
}

export interface BundleProps {
  itemId: string;
  /** the creator's other items that are not bundles */
  candidates: ItemJson[];
  chosen: ReadonlySet<string>;
  csrfToken: string;
  error?: string | undefined;
  saved?: boolean;
}

export function BundleSection(props: BundleProps): JSX.Element {
  return (
    <section class="dashboard-card" id="bundle" aria-labelledby="bundle-title">
      <h2 id="bundle-title">Bundle contents</h2>
      {props.saved ? <Notice tone="success" title="Bundle contents saved." /> : ''}
      {props.candidates.length === 0 ? (
        <p>Create some other items first; a bundle sells them together.</p>
      ) : (
        <form {...htmxForm(`/dashboard/items/${props.itemId}/bundle`, 'bundle')}>
          <CsrfField token={props.csrfToken} />
          <ChoiceGroup legend="Items in this bundle" name="item_ids" error={props.error}>
            <ul class="bundle-list">
              {props.candidates.map((item, index) => (
                <li>
                  <label class="choice">
                    <input
                      type="checkbox"
                      name="item_ids"
                      value={item.id}
                      id={index === 0 ? 'field-item_ids' : undefined}
                      checked={props.chosen.has(item.id)}
                    />
                    <span safe>{item.title}</span>{' '}
                    <span class="bundle-list__meta" safe>
                      {typeLabel(item.type)}
                    </span>{' '}
                    <StatusBadge status={item.status} />
                  </label>
                </li>
              ))}
            </ul>
          </ChoiceGroup>
          <div class="editor-form__actions">
            <button type="submit" class="button button--secondary">
              Save bundle
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
