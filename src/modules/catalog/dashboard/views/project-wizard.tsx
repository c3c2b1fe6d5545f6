// /dashboard/projects/new: details (title, slug, description), an optional cover, review.
import type { FieldErrors } from '../../../../platform/errors.js';
import { ImagePicker, UploadForm, type PickedImage } from './image-picker.js';
import { WizardFrame, type WizardFocus } from './wizard-frame.js';
import { TextArea, TextField } from '../../../../platform/views/forms.js';

export const PROJECT_STEPS = [
  { id: 'details', label: 'Details' },
  { id: 'cover', label: 'Cover' },
  { id: 'review', label: 'Review' },
] as const;

export type ProjectStep = (typeof PROJECT_STEPS)[number]['id'];

export const PROJECT_FIELDS = ['title', 'slug', 'description', 'cover_image_id'] as const;
export type ProjectDraft = Record<(typeof PROJECT_FIELDS)[number], string>;

export const PROJECT_LABELS = {
  title: 'Title',
  slug: 'Address',
  description: 'Description',
  cover_image_id: 'Cover image',
};

export interface ProjectWizardProps {
  step: ProjectStep;
  draft: ProjectDraft;
  cover: PickedImage | undefined;
  handle: string;
  host: string;
  csrfToken: string;
  errors: FieldErrors;
  focus: WizardFocus;
}

function without(draft: ProjectDraft, ...names: (keyof ProjectDraft)[]) {
  const skip = new Set<string>(names);
  return Object.fromEntries(Object.entries(draft).filter(([name]) => !skip.has(name)));
}

function DetailsFields(props: ProjectWizardProps) {
  const { draft, errors } = props;
  return (
    <>
      <TextField
        label="Title"
        name="title"
        value={draft.title}
        error={errors.title}
        maxlength={200}
        required
      />
      <TextField
        label="Address"
        name="slug"
        value={draft.slug}
        error={errors.slug}
        hint="Lowercase letters, digits and hyphens. Suggested from the title; leave it empty to use the suggestion."
        prefix={`${props.host}/@${props.handle}/`}
        maxlength={80}
        verbatim
      />
      <TextArea
        label="Description"
        name="description"
        value={draft.description}
        error={errors.description}
        hint="Markdown: **bold**, _italic_, [links](https://example.com), lists."
        rows={8}
      />
    </>
  );
}

function Review(props: ProjectWizardProps) {
  const { draft } = props;
  return (
    <dl class="review">
      <div class="review__row">
        <dt>Title</dt>
        <dd safe>{draft.title}</dd>
      </div>
      <div class="review__row">
        <dt>Address</dt>
        <dd safe>{`${props.host}/@${props.handle}/${draft.slug}`}</dd>
      </div>
      <div class="review__row">
        <dt>Description</dt>
        <dd class="review__text" safe>
          {draft.description || 'None'}
        </dd>
      </div>
      <div class="review__row">
        <dt>Cover</dt>
        <dd>
          {props.cover ? (
            <img class="review__cover" src={props.cover.src} alt="The cover you chose" />
          ) : (
            'None'
          )}
        </dd>
      </div>
    </dl>
  );
}

export function ProjectWizard(props: ProjectWizardProps): JSX.Element {
  const common = {
    steps: PROJECT_STEPS,
    current: props.step,
    making: 'Steps to create a project',
    action: '/dashboard/projects/new',
    csrfToken: props.csrfToken,
    focus: props.focus,
    errors: props.errors,
    labels: PROJECT_LABELS,
  };
  switch (props.step) {
    case 'details':
      return (
        <WizardFrame
          {...common}
          hidden={without(props.draft, 'title', 'slug', 'description')}
          canGoBack={false}
          submitLabel="Continue"
        >
          <DetailsFields {...props} />
        </WizardFrame>
      );
    case 'cover':
      return (
        <WizardFrame
          {...common}
          hidden={without(props.draft, 'cover_image_id')}
          canGoBack
          submitLabel="Continue"
          extraActions={
            <button type="submit" class="button button--ghost" name="go" value="skip">
              Skip, no cover
            </button>
          }
          after={<UploadForm purpose="cover" />}
        >
          <p class="wizard__lead">
            Optional. A square image of at least 1200 pixels looks good everywhere. You can add or
            change it later.
          </p>
          <ImagePicker purpose="cover" image={props.cover} error={props.errors.cover_image_id} />
        </WizardFrame>
      );
    case 'review':
      return (
        <WizardFrame
          {...common}
          hidden={props.draft}
          canGoBack
          submitLabel="Create project"
          submitGo="create"
        >
          <p class="wizard__lead">Check everything, then create the project.</p>
          <Review {...props} />
        </WizardFrame>
      );
  }
}
