// Choosing a cover or an avatar inside a bigger form. The picked image is a hidden id in that
// form; uploading goes through a separate form (the file input and its button point to it with
// form="…"), posted by htmx as multipart with the CSRF header, which swaps this picker for one
// showing the new image. Without JavaScript the upload controls stay hidden and a note says so:
// a plain multipart POST could not carry the CSRF token past the check.

export type ImagePurposeName = 'cover' | 'avatar';

export interface PickedImage {
  id: string;
  src: string;
}

export interface ImagePickerProps {
  purpose: ImagePurposeName;
  image: PickedImage | undefined;
  error?: string | undefined;
}

const FIELD = { cover: 'cover_image_id', avatar: 'avatar_image_id' } as const;
const LEGEND = { cover: 'Cover image', avatar: 'Avatar' } as const;

export const uploadFormId = (purpose: ImagePurposeName): string => `${purpose}-upload`;
export const imageFieldOf = (purpose: ImagePurposeName): string => FIELD[purpose];

export function ImagePicker(props: ImagePickerProps): JSX.Element {
  const { purpose, image } = props;
  const id = `${purpose}-picker`;
  const fileId = `field-${purpose}_file`;
  const errorId = `${fileId}-error`;
  return (
    <fieldset class="image-picker" id={id}>
      <legend class="field__label">{LEGEND[purpose]}</legend>
      <input type="hidden" name={FIELD[purpose]} value={image?.id ?? ''} />
      {image ? (
        <div class="image-picker__preview">
          <img
            class={`image-picker__image image-picker__image--${purpose}`}
            src={image.src}
            alt={`Current ${LEGEND[purpose].toLowerCase()}`}
          />
          <label class="choice choice--inline">
            <input type="checkbox" name={`${FIELD[purpose]}_remove`} value="1" />
            <span>Remove this image when saving</span>
          </label>
        </div>
      ) : (
        <p class="image-picker__none">No image yet.</p>
      )}
      <div class="image-picker__upload" data-needs-js hidden>
        <label class="field__label" for={fileId}>
          {image ? 'Replace with another image' : 'Choose an image'}
        </label>
        <p class="field__hint" id={`${fileId}-hint`}>
          JPEG, PNG, WebP, GIF or AVIF. It is resized and its metadata removed.
        </p>
        <div class="image-picker__row">
          <input
            class="field__input image-picker__file"
            type="file"
            id={fileId}
            name="image"
            accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
            form={uploadFormId(purpose)}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={`${fileId}-hint ${errorId}`}
          />
          <button
            type="submit"
            class="button button--secondary button--small"
            form={uploadFormId(purpose)}
          >
            Upload
          </button>
        </div>
      </div>
      <p class="field__hint" data-no-js>
        Uploading an image needs JavaScript in this browser. Everything else works without it, and
        you can add the image later.
      </p>
      <div id={errorId} role="status" class="image-picker__status">
        {props.error ? (
          <p class="field__error" safe>
            {props.error}
          </p>
        ) : (
          ''
        )}
      </div>
    </fieldset>
  );
}

/** The form the picker's file input and button belong to; put it outside the main form. */
export function UploadForm(props: { purpose: ImagePurposeName }): JSX.Element {
  const action = `/dashboard/uploads/${props.purpose}`;
  return (
    <form
      id={uploadFormId(props.purpose)}
      class="upload-form"
      hx-post={action}
      hx-encoding="multipart/form-data"
      hx-target={`#${props.purpose}-picker`}
      hx-swap="outerHTML"
    ></form>
  );
}
