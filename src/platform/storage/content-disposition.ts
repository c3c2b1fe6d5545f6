// Content-Disposition for downloads (RFC 6266 with the RFC 8187/5987 `filename*` parameter).
// Both drivers build the header here, so a filename looks the same from the fs route and S3.

// The attr-char set of RFC 8187 is encodeURIComponent's minus these four.
const encodeExtValue = (value: string): string =>
  encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * Filenames come from creators: control characters and path separators are replaced so the
 * browser saves exactly one plain file under a readable name.
 */
export function sanitizeFilename(filename: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = filename.replace(/[\u0000-\u001f\u007f-\u009f/\\]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'download' : cleaned;
}

/** `attachment; filename="a_b.mp3"; filename*=UTF-8''a%C3%A9b.mp3` */
export function contentDisposition(
  disposition: 'inline' | 'attachment',
  filename: string | undefined,
): string {
  if (filename === undefined) return disposition;
  const name = sanitizeFilename(filename);
  // The quoted fallback is for old clients: ASCII only, quotes and backslashes replaced.
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const quoted = `${disposition}; filename="${fallback}"`;
  return fallback === name ? quoted : `${quoted}; filename*=UTF-8''${encodeExtValue(name)}`;
}

/** The header a signed URL asks for, if any: no disposition and no filename means none. */
export function requestedDisposition(options: {
  disposition?: 'inline' | 'attachment' | undefined;
  filename?: string | undefined;
}): string | undefined {
  if (options.disposition === undefined && options.filename === undefined) return undefined;
  return contentDisposition(options.disposition ?? 'inline', options.filename);
}
