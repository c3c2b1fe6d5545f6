// Deciding what a file is from its bytes, and refusing one whose bytes contradict what its name
// or declared type promise where it matters: a program renamed .mp3 must never reach a player or
// a fan's download folder as "audio", and a ".zip" that is not a zip is not an archive.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { ACCEPTED_IMAGE_TYPES } from '../../platform/images/index.js';
import { fileQuarantined } from './media-errors.js';

/** What a name or type promises, at the level where a mismatch matters. */
type Family = 'media' | 'image' | 'archive';

export interface Sniffed {
  /** the sniffed MIME type; application/octet-stream when the bytes are not recognised */
  mime: string;
  ext: string | undefined;
  /** how the worker treats it: audio and video are told apart later by ffprobe */
  treatment: 'media' | 'image' | 'archive' | 'other';
  /** an image sharp can re-encode */
  webImage: boolean;
  executable: boolean;
}

/** Containers ffmpeg processes; other audio/video types (MIDI, tracker modules …) are kept as is. */
const MEDIA_TYPES = new Set([
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aac',
  'audio/wav',
  'audio/flac',
  'audio/ogg',
  'audio/ogg; codecs=opus',
  'audio/opus',
  'application/ogg',
  'audio/aiff',
  'video/mp4',
  'video/x-m4v',
  'video/quicktime',
  'video/webm',
  'video/matroska',
  'video/ogg',
]);

const EXECUTABLE_TYPES = new Set([
  'application/x-elf',
  'application/x-msdownload',
  'application/x-mach-binary',
]);

/** Extensions under which a program is what the creator means to publish (software items). */
const PROGRAM_EXTENSIONS = new Set([
  'exe', 'msi', 'dll', 'com', 'appimage', 'bin', 'run', 'elf', 'so', 'dylib', 'out',
  'x86_64', 'aarch64', 'arm64', 'amd64', 'sh', 'bash', 'command', 'py', 'pl', 'rb',
]); // prettier-ignore

const EXTENSION_FAMILY: ReadonlyMap<string, Family> = new Map<string, Family>([
  ...['mp3', 'm4a', 'aac', 'wav', 'wave', 'flac', 'ogg', 'oga', 'opus', 'aif', 'aiff', 'aifc']
    .map((e): [string, Family] => [e, 'media']),
  ...['mp4', 'm4v', 'mov', 'webm', 'mkv', 'ogv'].map((e): [string, Family] => [e, 'media']),
  ...['jpg', 'jpeg', 'png', 'gif', 'webp', 'avif', 'heic', 'heif', 'tif', 'tiff', 'bmp']
    .map((e): [string, Family] => [e, 'image']),
  ['zip', 'archive'],
]); // prettier-ignore

const FAMILY_WORDS: Record<Family, string> = {
  media: 'audio or video',
  image: 'an image',
  archive: 'a ZIP archive',
};

export function extensionOf(name: string): string {
  const ext = path.extname(name).slice(1).toLowerCase();
  return ext;
}

function declaredFamilies(name: string, declaredType: string | null): Family[] {
  const families: Family[] = [];
  const byName = EXTENSION_FAMILY.get(extensionOf(name));
  if (byName) families.push(byName);
  const type = (declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.startsWith('audio/') || type.startsWith('video/')) families.push('media');
  else if (type.startsWith('image/')) families.push('image');
  else if (type === 'application/zip' || type === 'application/x-zip-compressed') {
    families.push('archive');
  }
  return families;
}

function familyOf(sniffed: Sniffed): Family | undefined {
  if (sniffed.mime.startsWith('audio/') || sniffed.mime.startsWith('video/')) return 'media';
  if (sniffed.mime === 'application/ogg') return 'media';
  if (sniffed.mime.startsWith('image/')) return 'image';
  if (sniffed.mime === 'application/zip') return 'archive';
  return undefined;
}

function describe(sniffed: Sniffed): string {
  if (sniffed.executable) return 'a program';
  if (sniffed.ext === undefined) return 'in no format we recognise';
  return `${sniffed.ext.toUpperCase()} data`;
}

const HEAD_BYTES = 4100;

export async function sniffFile(file: string): Promise<Sniffed> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const detected = await fileTypeFromBuffer(head);
  const mime = detected?.mime ?? 'application/octet-stream';
  const script = detected === undefined && head.subarray(0, 2).toString('latin1') === '#!';
  const executable = EXECUTABLE_TYPES.has(mime) || script;
  const treatment = MEDIA_TYPES.has(mime)
    ? 'media'
    : mime.startsWith('image/')
      ? 'image'
      : mime === 'application/zip'
        ? 'archive'
        : 'other';
  return {
    mime: script ? 'text/x-script' : mime,
    ext: script ? 'script' : detected?.ext,
    treatment,
    webImage: ACCEPTED_IMAGE_TYPES.has(mime),
    executable,
  };
}

/**
 * Throws a quarantine refusal when the bytes contradict the name or declared type: a different
 * family (a "song" that is a PDF, a ".zip" that is not a zip), or a program under a name that
 * does not say so. Within a family differences are harmless (an .mp3 that is really AAC).
 */
export function assertDeclarationMatches(
  sniffed: Sniffed,
  name: string,
  declaredType: string | null,
): void {
  const declared = declaredFamilies(name, declaredType);
  const actual = familyOf(sniffed);
  const mismatch = declared.find((family) => family !== actual);
  if (mismatch !== undefined) {
    throw fileQuarantined(
      `This file was uploaded as ${FAMILY_WORDS[mismatch]}, but its contents are ${describe(sniffed)}. ` +
        'It will not be published.',
    );
  }
  const ext = extensionOf(name);
  if (sniffed.executable && ext !== '' && !PROGRAM_EXTENSIONS.has(ext)) {
    throw fileQuarantined(
      `This file is named “.${ext}” but it is a program. Programs must carry their own ` +
        'extension (such as .exe or .AppImage); it will not be published.',
    );
  }
}
