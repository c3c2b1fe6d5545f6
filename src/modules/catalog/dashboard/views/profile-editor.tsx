// /dashboard/profile: the public profile at /@handle. Display name, markdown bio, up to 10
// links (label + address rows), tips on or off, and the avatar.
import type { FieldErrors } from '../../../../platform/errors.js';
import { Notice } from '../../../../platform/views/components.js';
import { ImagePicker, UploadForm, type PickedImage } from './image-picker.js';
import {
  ChoiceGroup,
  CsrfField,
  FormProblem,
  TextArea,
  TextField,
} from '../../../../platform/views/forms.js';
import { DashboardFrame } from '../../../../platform/views/dashboard-frame.js';

export const MAX_LINKS = 10;

export interface ProfileValues {
  display_name: string;
  bio: string;
  links: { label: string; url: string }[];
  tips_enabled: boolean;
  avatar_image_id: string;
}

export interface ProfileFormProps {
  handle: string;
  values: ProfileValues;
  avatar: PickedImage | undefined;
  csrfToken: string;
  errors: FieldErrors;
  saved?: boolean;
  focusProblem?: boolean;
}

function labelsFor(rows: number): Record<string, string> {
  const labels: Record<string, string> = {
    display_name: 'Display name',
    bio: 'Bio',
    links: 'Links',
    avatar_image_id: 'Avatar',
  };
  for (let i = 0; i < rows; i++) {
    labels[`links_${i}_label`] = `Link ${i + 1} name`;
    labels[`links_${i}_url`] = `Link ${i + 1} address`;
  }
  return labels;
}

export function ProfileForm(props: ProfileFormProps): JSX.Element {
  const { values, errors } = props;
  const blanks = Math.max(0, Math.min(2, MAX_LINKS - values.links.length));
  const rows = [...values.links, ...Array.from({ length: blanks }, () => ({ label: '', url: '' }))];
  return (
    <section class="dashboard-card" id="profile-form" aria-labelledby="profile-form-title">
      <h2 id="profile-form-title">Your public profile</h2>
      <p>
        Shown at{' '}
        <a href={`/@${encodeURIComponent(props.handle)}`} safe>
          {`/@${props.handle}`}
        </a>
        .
      </p>
      {props.saved ? <Notice tone="success" title="Profile saved." /> : ''}
      <FormProblem errors={errors} labels={labelsFor(rows.length)} focus={props.focusProblem} />
      <form
        method="post"
        action="/dashboard/profile"
        class="editor-form"
        hx-post="/dashboard/profile"
        hx-target="#profile-form"
        hx-swap="outerHTML"
        hx-disable="findAll .editor-form__actions button"
        novalidate
      >
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Display name"
          name="display_name"
          value={values.display_name}
          error={errors.display_name}
          maxlength={80}
          autocomplete="name"
          required
        />
        <TextArea
          label="Bio"
          name="bio"
          value={values.bio}
          error={errors.bio}
          hint="Markdown. Who you are and what you make."
          rows={6}
        />
        <ChoiceGroup
          legend="Links"
          name="links"
          id="links"
          class="link-rows"
          hint="Up to 10: your site, shops, socials. Leave a row empty to remove it; save to get more rows."
          error={errors.links}
        >
          <ol class="link-rows__list">
            {rows.map((link, i) => (
              <li class="link-rows__row">
                <TextField
                  label={`Link ${i + 1} name`}
                  name="link_label"
                  id={`field-links_${i}_label`}
                  value={link.label}
                  error={errors[`links_${i}_label`]}
                  maxlength={60}
                  required={link.url !== ''}
                />
                <TextField
                  label={`Link ${i + 1} address`}
                  name="link_url"
                  id={`field-links_${i}_url`}
                  type="url"
                  value={link.url}
                  error={errors[`links_${i}_url`]}
                  maxlength={500}
                  verbatim
                  required={link.label !== ''}
                />
              </li>
            ))}
          </ol>
        </ChoiceGroup>
        <div class="field">
          <label class="choice">
            <input type="checkbox" name="tips_enabled" value="1" checked={values.tips_enabled} />
            <span>Accept tips on my profile and project pages</span>
          </label>
        </div>
        <ImagePicker purpose="avatar" image={props.avatar} error={errors.avatar_image_id} />
        <div class="editor-form__actions">
          <button type="submit" class="button button--primary">
            Save profile
          </button>
        </div>
      </form>
      <UploadForm purpose="avatar" />
    </section>
  );
}

export function ProfilePage(props: ProfileFormProps & { flash?: string | undefined }) {
  return (
    <DashboardFrame
      section="overview"
      within
      title="Profile"
      lead="What fans see on your page."
      back={{ href: '/dashboard', label: 'Dashboard' }}
      flash={props.flash}
    >
      <ProfileForm {...props} />
    </DashboardFrame>
  );
}
