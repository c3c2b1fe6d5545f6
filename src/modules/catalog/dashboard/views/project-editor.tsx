// /dashboard/projects/:id: the project's details and cover. The form is a fragment of its own:
// htmx swaps it with the errors next to each field (422) or with a saved notice.
import type { FieldErrors } from '../../../../platform/errors.js';
import { Notice } from '../../../../platform/views/components.js';
import { ImagePicker, UploadForm, type PickedImage } from './image-picker.js';
import { PROJECT_LABELS } from './project-wizard.js';
import { CsrfField, FormProblem, TextArea, TextField } from '../../../../platform/views/forms.js';

export interface ProjectFormProps {
  projectId: string;
  values: { title: string; slug: string; description: string };
  cover: PickedImage | undefined;
  handle: string;
  host: string;
  csrfToken: string;
  errors: FieldErrors;
  saved?: boolean;
  focusProblem?: boolean;
}

export function ProjectForm(props: ProjectFormProps): JSX.Element {
  const action = `/dashboard/projects/${props.projectId}`;
  const { values, errors } = props;
  return (
    <section class="dashboard-card" id="project-form" aria-labelledby="project-form-title">
      <h2 id="project-form-title">Details</h2>
      {props.saved ? <Notice tone="success" title="Project saved." /> : ''}
      <FormProblem errors={errors} labels={PROJECT_LABELS} focus={props.focusProblem} />
      <form
        method="post"
        action={action}
        class="editor-form"
        hx-post={action}
        hx-target="#project-form"
        hx-swap="outerHTML"
        hx-disable="findAll .editor-form__actions button"
        novalidate
      >
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Title"
          name="title"
          value={values.title}
          error={errors.title}
          maxlength={200}
          required
        />
        <TextField
          label="Address"
          name="slug"
          value={values.slug}
          error={errors.slug}
          hint="Changing it keeps the old address working as a redirect."
          prefix={`${props.host}/@${props.handle}/`}
          maxlength={80}
          verbatim
          required
        />
        <TextArea
          label="Description"
          name="description"
          value={values.description}
          error={errors.description}
          hint="Markdown: **bold**, _italic_, [links](https://example.com), lists."
          rows={8}
        />
        <ImagePicker purpose="cover" image={props.cover} error={errors.cover_image_id} />
        <div class="editor-form__actions">
          <button type="submit" class="button button--primary">
            Save project
          </button>
        </div>
      </form>
      <UploadForm purpose="cover" />
    </section>
  );
}
