// /dashboard/items/:id: the item's details form (a fragment htmx swaps with inline errors or a
// saved notice), its status with publish / unlist / back to draft, and links to preview it.
import type { Children } from '@kitajs/html';
import type { FieldErrors } from '../../../../platform/errors.js';
import { Notice } from '../../../../platform/views/components.js';
import { ITEM_LABELS, type ItemValues } from '../item-form.js';
import { StatusBadge, type ItemStatusName } from './dashboard-parts.js';
import { ImagePicker, UploadForm, type PickedImage } from './image-picker.js';
import { AiFields, DetailFields, PriceFields } from './item-fields.js';
import { TagPicker } from './tag-picker.js';
import { CsrfField, FormProblem } from '../../../../platform/views/forms.js';

export interface ItemFormProps {
  itemId: string;
  values: ItemValues;
  cover: PickedImage | undefined;
  currency: string;
  csrfToken: string;
  errors: FieldErrors;
  saved?: boolean;
  focusProblem?: boolean;
}

export function ItemForm(props: ItemFormProps): JSX.Element {
  const action = `/dashboard/items/${props.itemId}`;
  const { values, errors } = props;
  return (
    <section class="dashboard-card" id="item-form" aria-labelledby="item-form-title">
      <h2 id="item-form-title">Details</h2>
      {props.saved ? <Notice tone="success" title="Item saved." /> : ''}
      <FormProblem errors={errors} labels={ITEM_LABELS} focus={props.focusProblem} />
      <form
        method="post"
        action={action}
        class="editor-form"
        hx-post={action}
        hx-target="#item-form"
        hx-swap="outerHTML"
        hx-disable="findAll .editor-form__actions button"
        novalidate
      >
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="type" value={values.type} />
        <DetailFields values={values} errors={errors} />
        <ImagePicker purpose="cover" image={props.cover} error={errors.cover_image_id} />
        <PriceFields values={values} errors={errors} currency={props.currency} />
        <AiFields values={values} errors={errors} />
        <TagPicker tags={values.tags} error={errors.tags} />
        <div class="editor-form__actions">
          <button type="submit" class="button button--primary">
            Save item
          </button>
        </div>
      </form>
      <UploadForm purpose="cover" />
    </section>
  );
}

export interface StatusPanelProps {
  itemId: string;
  title: string;
  status: ItemStatusName;
  previewHref: string;
  permalink: string;
  csrfToken: string;
}

function StatusButton(props: {
  action: string;
  status?: 'draft' | 'unlisted';
  csrfToken: string;
  variant: 'primary' | 'secondary';
  children: Children;
}) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="return_to" value="item" />
      {props.status ? <input type="hidden" name="status" value={props.status} /> : ''}
      <button type="submit" class={`button button--${props.variant} button--small`}>
        {props.children}
      </button>
    </form>
  );
}

export function StatusPanel(props: StatusPanelProps): JSX.Element {
  const base = `/dashboard/items/${props.itemId}`;
  const explanation = {
    draft: 'Only you can see it. Preview it, then publish when it is ready.',
    published: 'Everyone can see it: on your pages, in search and in feeds.',
    unlisted: 'Anyone with the link can see it; it is not listed anywhere.',
  }[props.status];
  return (
    <section class="dashboard-card status-panel" id="status" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <p class="status-panel__now">
        <StatusBadge status={props.status} /> <span safe>{explanation}</span>
      </p>
      <div class="status-panel__actions">
        <a class="button button--secondary button--small" href={props.previewHref}>
          {props.status === 'draft' ? 'Preview' : 'View'}
        </a>
        {props.status === 'published' ? (
          ''
        ) : (
          <StatusButton action={`${base}/publish`} csrfToken={props.csrfToken} variant="primary">
            Publish
          </StatusButton>
        )}
        {props.status === 'unlisted' ? (
          ''
        ) : (
          <StatusButton
            action={`${base}/status`}
            status="unlisted"
            csrfToken={props.csrfToken}
            variant="secondary"
          >
            Make unlisted
          </StatusButton>
        )}
        {props.status === 'draft' ? (
          ''
        ) : (
          <StatusButton
            action={`${base}/status`}
            status="draft"
            csrfToken={props.csrfToken}
            variant="secondary"
          >
            Unpublish (back to draft)
          </StatusButton>
        )}
      </div>
      <p class="status-panel__link">
        Permanent link: <code safe>{props.permalink}</code>
      </p>
    </section>
  );
}
