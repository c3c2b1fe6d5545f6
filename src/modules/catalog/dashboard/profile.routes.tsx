// /dashboard/profile and the image uploads the dashboard's pickers post to.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, type FieldErrors } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { profileInputSchema } from '../catalog.schemas.js';
import { uploadImage } from '../images.service.js';
import { getOwnProfile, updateProfile, type CreatorProfile } from '../profile.service.js';
import type { CatalogDeps } from '../projects.service.js';
import { pickedImage } from './dashboard-data.js';
import { formBody, formErrorsOf, many, one } from './dashboard-forms.js';
import { flashOf } from './dashboard-http.js';
import { ImagePicker } from './views/image-picker.js';
import { MAX_LINKS, ProfileForm, ProfilePage, type ProfileValues } from './views/profile-editor.js';
import { csrfOf } from '../../../platform/views/view-context.js';

function valuesFrom(profile: CreatorProfile): ProfileValues {
  return {
    display_name: profile.displayName,
    bio: profile.bio,
    links: profile.links.map((link) => ({ label: link.label, url: link.url })),
    tips_enabled: profile.tipsEnabled,
    avatar_image_id: profile.avatar?.id ?? '',
  };
}

function valuesOfForm(body: ReturnType<typeof formBody>): ProfileValues {
  const labels = many(body, 'link_label');
  const urls = many(body, 'link_url');
  const links = labels
    .map((label, i) => ({ label, url: urls[i] ?? '' }))
    .filter((link) => link.label.trim() !== '' || link.url.trim() !== '');
  return {
    display_name: one(body, 'display_name'),
    bio: one(body, 'bio'),
    links,
    tips_enabled: one(body, 'tips_enabled') === '1',
    avatar_image_id:
      one(body, 'avatar_image_id_remove') === '1' ? '' : one(body, 'avatar_image_id'),
  };
}

const purposeParams = z.object({ purpose: z.enum(['cover', 'avatar']) });

export async function profileRoutes(app: FastifyInstance, deps: CatalogDeps) {
  async function profilePage(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values: ProfileValues; errors: FieldErrors; status: number } | undefined,
  ) {
    const principal = principalOf(request);
    const profile = await getOwnProfile(deps, principal);
    const values = state?.values ?? valuesFrom(profile);
    const props = {
      handle: profile.handle,
      values,
      avatar: state
        ? await pickedImage(deps, values.avatar_image_id)
        : profile.avatar && { id: profile.avatar.id, src: profile.avatar.src },
      csrfToken: csrfOf(request),
      errors: state?.errors ?? {},
      focusProblem: state !== undefined,
    };
    const saved = request.method === 'POST' && state === undefined;
    return render(reply, {
      title: 'Profile',
      status: state?.status,
      body: wantsFragment(request) ? (
        <ProfileForm {...props} saved={saved} />
      ) : (
        <ProfilePage {...props} flash={flashOf(request)} />
      ),
    });
  }

  app.get('/dashboard/profile', (request, reply) => profilePage(request, reply, undefined));

  app.post('/dashboard/profile', async (request, reply) => {
    const values = valuesOfForm(formBody(request.body));
    try {
      if (values.links.length > MAX_LINKS) {
        throw new AppError('VALIDATION_FAILED', 422, 'Some fields are not valid.', {
          fields: { links: `Use at most ${MAX_LINKS} links.` },
        });
      }
      const input = profileInputSchema.parse({
        display_name: values.display_name,
        bio: values.bio,
        links: values.links,
        tips_enabled: values.tips_enabled,
        avatar_image_id: values.avatar_image_id || null,
      });
      await updateProfile(deps, principalOf(request), input);
    } catch (error) {
      const invalid = formErrorsOf(error);
      if (!invalid) throw error;
      return profilePage(request, reply, { values, ...invalid });
    }
    if (wantsFragment(request)) return profilePage(request, reply, undefined);
    return reply.redirect('/dashboard/profile?done=profile_saved', 303);
  });

  // Multipart, so only through htmx (the CSRF header is checked before the body is read).
  // Answers with the picker showing the new image; a refused file keeps the picked one and
  // puts its message in the picker's status line.
  app.post('/dashboard/uploads/:purpose', async (request, reply) => {
    const { purpose } = purposeParams.parse(request.params);
    const statusId = `#field-${purpose}_file-error`;
    const refuse = (message: string, status: number) => {
      reply.header('hx-retarget', statusId).header('hx-reswap', 'innerHTML');
      return render(reply, {
        title: 'Upload',
        status,
        body: (
          <p class="field__error" safe>
            {message}
          </p>
        ),
      });
    };
    if (!request.isMultipart()) return refuse('Choose an image file first.', 422);
    const file = await request.file();
    if (!file || file.filename === '') return refuse('Choose an image file first.', 422);
    try {
      const image = await uploadImage(deps, principalOf(request), purpose, file.file);
      return await render(reply, {
        title: 'Upload',
        body: <ImagePicker purpose={purpose} image={{ id: image.id, src: image.src }} />,
      });
    } catch (error) {
      if (error instanceof AppError && error.status < 500)
        return refuse(error.message, error.status);
      throw error;
    }
  });
}
