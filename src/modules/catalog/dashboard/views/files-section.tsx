// The item editor's files: what was uploaded and how processing went, updated live, and the
// resumable uploader (src/public/uploader.js with tus-js-client). Without script the list still
// shows, and the section says how to upload from a script instead.
import { assetUrl } from '../../../../platform/http/static-assets.js';
import type { ItemFileSummary } from '../../publishing.js';
import { formatDuration, formatFileSize } from '../../public/format.js';

const STATUS_LABEL: Record<ItemFileSummary['status'], string> = {
  pending: 'Waiting',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
  quarantined: 'Refused',
};

function ReplaceForm(props: { itemId: string; file: ItemFileSummary }) {
  const { file } = props;
  const action = `/dashboard/items/${props.itemId}/files/${file.id}/replace`;
  return (
    <details class="file-row__replace" data-needs-js hidden>
      <summary class="row-menu__action">
        Replace<span class="visually-hidden" safe>{` ${file.name}`}</span>
      </summary>
      <form
        class="file-replace"
        hx-post={action}
        hx-encoding="multipart/form-data"
        hx-target="#file-list"
        hx-swap="outerHTML"
      >
        <label class="file-replace__label" for={`replace-${file.id}`}>
          New version<span class="visually-hidden" safe>{` of ${file.name}`}</span>
        </label>
        <input type="file" name="file" id={`replace-${file.id}`} required />
        <button type="submit" class="button button--secondary button--small">
          Upload new version
        </button>
        <p class="file-replace__hint">
          The file you have now stays until the new one is ready; then the new one takes its place.
        </p>
      </form>
    </details>
  );
}

function FileRow(props: {
  itemId: string;
  file: ItemFileSummary;
  removable: boolean;
  replaceable: boolean;
}) {
  const { file } = props;
  const facts = [
    file.kind ?? undefined,
    file.size !== null ? formatFileSize(file.size) : undefined,
    file.durationMs !== null ? formatDuration(file.durationMs / 1000) : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  return (
    <li class="file-row" id={`file-${file.id}`}>
      <span class="file-row__name" safe>
        {file.name}
      </span>
      <span class={`badge file-status file-status--${file.status}`} data-file-status={file.id} safe>
        {STATUS_LABEL[file.status]}
      </span>
      {facts.length > 0 ? (
        <span class="file-row__facts" safe>
          {facts.join(' · ')}
        </span>
      ) : (
        ''
      )}
      {file.error ? (
        <p class="file-row__problem" safe>
          {file.error}
        </p>
      ) : (
        ''
      )}
      {file.notice ? (
        <p class="file-row__notice" safe>
          {file.notice}
        </p>
      ) : (
        ''
      )}
      {props.replaceable && file.status === 'ready' ? (
        <ReplaceForm itemId={props.itemId} file={file} />
      ) : (
        ''
      )}
      {props.removable ? (
        <p class="file-row__actions">
          <a
            class="row-menu__action row-menu__action--danger"
            href={`/dashboard/items/${props.itemId}/files/${file.id}/remove`}
          >
            Remove<span class="visually-hidden" safe>{` ${file.name}`}</span>
          </a>
        </p>
      ) : (
        ''
      )}
    </li>
  );
}

export interface FileListMessage {
  tone: 'status' | 'problem';
  text: string;
}

/** The list alone: what the live updates fetch again from /dashboard/items/:id/files. */
export function FileList(props: {
  itemId: string;
  files: readonly ItemFileSummary[];
  /** whether files can be removed here (the files module supplies the removal) */
  removable?: boolean;
  /** whether files can be replaced by a new version here */
  replaceable?: boolean;
  /** what the last replacement did: a new version on its way, or why it was refused */
  message?: FileListMessage | undefined;
}) {
  return (
    <div class="file-list" id="file-list" data-file-list={`/dashboard/items/${props.itemId}/files`}>
      {props.message ? (
        <p
          class={`file-list__message file-list__message--${props.message.tone}`}
          role={props.message.tone === 'problem' ? 'alert' : 'status'}
          safe
        >
          {props.message.text}
        </p>
      ) : (
        ''
      )}
      {props.files.length === 0 ? (
        <p class="file-list__empty">No files yet.</p>
      ) : (
        <ul role="list">
          {props.files.map((file) => (
            <FileRow
              itemId={props.itemId}
              file={file}
              removable={props.removable === true}
              replaceable={props.replaceable === true}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

export function FilesSection(props: {
  itemId: string;
  files: readonly ItemFileSummary[];
  removable?: boolean;
  replaceable?: boolean;
}): JSX.Element {
  return (
    <section class="dashboard-card files-panel" id="files" aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      <p class="files-panel__lead">
        Audio, video, images, downloads and software need a file that finished processing before
        they can be published, and a course needs at least one lesson file. Big uploads resume where
        they stopped.
      </p>
      <FileList
        itemId={props.itemId}
        files={props.files}
        removable={props.removable}
        replaceable={props.replaceable}
      />
      <div class="uploader" data-uploader data-item-id={props.itemId} hidden>
        <label class="uploader__label" for="upload-file">
          Choose a file to upload
        </label>
        <input class="uploader__input" type="file" id="upload-file" data-uploader-input />
        <div class="uploader__actions">
          <button type="button" class="button button--primary button--small" data-uploader-start>
            Upload file
          </button>
          <button
            type="button"
            class="button button--secondary button--small"
            data-uploader-pause
            hidden
          >
            Pause
          </button>
          <button
            type="button"
            class="button button--secondary button--small"
            data-uploader-resume
            hidden
          >
            Resume
          </button>
        </div>
        <progress
          class="uploader__progress"
          max="100"
          value="0"
          aria-label="Upload progress"
          data-uploader-progress
          hidden
        ></progress>
        <p class="uploader__status" role="status" data-uploader-status></p>
      </div>
      <p class="files-panel__noscript" data-uploader-noscript>
        Uploading here needs JavaScript. From a script, send the file to{' '}
        <code safe>{`POST /api/v1/items/${props.itemId}/files`}</code>.
      </p>
      <script src={assetUrl('tus.js')} defer></script>
      <script src={assetUrl('uploader.js')} defer></script>
    </section>
  );
}
