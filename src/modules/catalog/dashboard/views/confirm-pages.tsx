// Pages that stop before something happens: deleting (a confirmation step, never a script's
// confirm()) and publishing that is refused (every unmet rule, each with a link to fix it).
import { LinkButton, Notice } from '../../../../platform/views/components.js';
import { CsrfField } from '../../../../platform/views/forms.js';
import { DashboardFrame } from '../../../../platform/views/dashboard-frame.js';

export interface ConfirmDeleteProps {
  kind: 'project' | 'item';
  title: string;
  action: string;
  cancelHref: string;
  csrfToken: string;
  /** why the last attempt was refused (a project with published items) */
  refusal?: string | undefined;
}

export function ConfirmDeletePage(props: ConfirmDeleteProps): JSX.Element {
  const consequence =
    props.kind === 'project'
      ? 'The project and its drafts are deleted. Published and unlisted items must be unpublished or deleted first.'
      : 'The item, its tags, versions and chapters are deleted. Fans who bought it keep their access.';
  return (
    <DashboardFrame
      section="projects"
      within
      title={`Delete ‘${props.title}’?`}
      back={{ href: props.cancelHref, label: 'Back' }}
    >
      <section class="dashboard-card dashboard-card--danger" aria-labelledby="confirm-title">
        <h2 id="confirm-title">This cannot be undone</h2>
        {props.refusal ? (
          <Notice tone="error" title="This project cannot be deleted yet">
            <p safe>{props.refusal}</p>
          </Notice>
        ) : (
          ''
        )}
        <p>{consequence}</p>
        <form method="post" action={props.action} class="confirm-form">
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="button button--danger">
            <span safe>{`Delete ‘${props.title}’`}</span>
          </button>
          <LinkButton href={props.cancelHref} variant="secondary">
            Cancel
          </LinkButton>
        </form>
      </section>
    </DashboardFrame>
  );
}

/** Where each publishing rule is fixed in the item editor. */
const FIX_ANCHOR: Record<string, { anchor: string; label: string }> = {
  AI_DISCLOSURE_REQUIRED: { anchor: 'ai', label: 'Choose an AI disclosure' },
  AI_STATEMENT_REQUIRED: { anchor: 'field-ai_statement', label: 'Describe how AI assisted' },
  BODY_REQUIRED: { anchor: 'field-body', label: 'Write the text' },
  FILE_REQUIRED: { anchor: 'files', label: 'Upload a file' },
  COURSE_EMPTY: { anchor: 'files', label: 'Upload a lesson' },
  PRICE_INVALID: { anchor: 'price', label: 'Fix the price' },
  BUNDLE_EMPTY: { anchor: 'bundle', label: 'Choose what the bundle holds' },
};

export interface PublishProblemsProps {
  itemId: string;
  title: string;
  /** what was asked: publishing or unlisting */
  target: 'published' | 'unlisted';
  /** rule code → message, as the publish service reported them */
  unmet: Readonly<Record<string, string>>;
}

export function PublishProblems(props: PublishProblemsProps): JSX.Element {
  const editor = `/dashboard/items/${props.itemId}`;
  const verb = props.target === 'published' ? 'publish' : 'unlist';
  return (
    <div
      class="form-problem publish-problems"
      id="publish-problems"
      tabindex="-1"
      autofocus
      aria-labelledby="publish-problems-title"
    >
      <p class="form-problem__title" id="publish-problems-title" safe>
        {`Before you can ${verb} ‘${props.title}’:`}
      </p>
      <ul class="form-problem__list">
        {Object.entries(props.unmet).map(([code, message]) => {
          const fix = FIX_ANCHOR[code];
          return (
            <li>
              <span safe>{message}</span>{' '}
              <a href={`${editor}#${fix?.anchor ?? 'item-form'}`} safe>
                {fix?.label ?? 'Fix this'}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function PublishProblemsPage(props: PublishProblemsProps): JSX.Element {
  return (
    <DashboardFrame
      section="projects"
      within
      title="Not ready to publish yet"
      back={{ href: `/dashboard/items/${props.itemId}`, label: 'Back to the item' }}
    >
      <PublishProblems {...props} />
    </DashboardFrame>
  );
}

export interface ConfirmRemoveFileProps {
  itemId: string;
  fileId: string;
  name: string;
  csrfToken: string;
  /** why removing it was refused (buyers may download it; the only ready file) */
  refusal?: string | undefined;
}

/** Removing one of an item's files: asked first; a refused removal says why here. */
export function ConfirmRemoveFilePage(props: ConfirmRemoveFileProps): JSX.Element {
  const back = `/dashboard/items/${props.itemId}#files`;
  return (
    <DashboardFrame
      section="projects"
      within
      title={`Remove ‘${props.name}’?`}
      back={{ href: back, label: 'Back to the item' }}
    >
      <section class="dashboard-card dashboard-card--danger" aria-labelledby="confirm-title">
        <h2 id="confirm-title">This cannot be undone</h2>
        {props.refusal ? (
          <Notice tone="error" title="This file stays">
            <p safe>{props.refusal}</p>
          </Notice>
        ) : (
          ''
        )}
        <p>
          The file and everything made from it (streams, previews, pictures) are deleted. A file
          someone has paid for cannot be removed: replace it with a new version instead.
        </p>
        <form
          method="post"
          action={`/dashboard/items/${props.itemId}/files/${props.fileId}/remove`}
          class="confirm-form"
        >
          <CsrfField token={props.csrfToken} />
          {props.refusal ? (
            ''
          ) : (
            <button type="submit" class="button button--danger">
              <span safe>{`Remove ‘${props.name}’`}</span>
            </button>
          )}
          <LinkButton href={back} variant="secondary">
            {props.refusal ? 'Back to the item' : 'Cancel'}
          </LinkButton>
        </form>
      </section>
    </DashboardFrame>
  );
}
