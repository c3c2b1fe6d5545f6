// Paths of the public pages, built in one place so links, redirects and canonical URLs agree.
const segment = encodeURIComponent;

export const creatorPath = (handle: string): string => `/@${segment(handle)}`;

export const projectPath = (handle: string, projectSlug: string): string =>
  `${creatorPath(handle)}/${segment(projectSlug)}`;

export const itemPath = (handle: string, projectSlug: string, itemSlug: string): string =>
  `${projectPath(handle, projectSlug)}/${segment(itemSlug)}`;

export const permalinkPath = (id: string): string => `/i/${segment(id)}`;

/** Tag paths are normalised to a-z, 0-9, hyphens and slashes, so they need no encoding. */
export const tagPath = (path: string): string => `/tags/${path}`;

export function absoluteUrl(path: string, publicUrl: URL): string {
  return new URL(path, publicUrl).href;
}

/** A path with a query string, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
