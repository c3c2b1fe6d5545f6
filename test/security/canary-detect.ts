// Canary markers and the search for them in anything an app answers: raw, and after undoing
// every encoding a leak could hide behind (HTML tags and entities, JSON \u escapes, URL
// percent-encoding, quoted-printable soft breaks, case, punctuation or markup splitting the
// marker's words, base64). A marker is random per run, so finding it by accident is impossible.
import { randomBytes } from 'node:crypto';

export interface Secret {
  /** what the failure message calls it */
  label: string;
  text: string;
}

/** Lower-case letters only: one search word that PostgreSQL's parser keeps whole. */
export function randomWord(prefix: string, length = 10): string {
  const letters = [...randomBytes(length)].map((b) => String.fromCharCode(97 + (b % 26)));
  return `${prefix}${letters.join('')}`;
}

export const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Only letters and digits, lower-cased: what survives any markup or punctuation in between. */
const alnum = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    }
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function decodePercent(text: string): string {
  return text.replace(/(%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const stripTags = (text: string) => text.replace(/<[^<>]{0,500}>/g, '');

/** The text with every encoding undone, reduced to letters and digits. */
export function normalise(text: string): string {
  let plain = text
    .replace(/=\r?\n/g, '') // quoted-printable soft line breaks
    .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  // Twice: an escaped snippet may hold entities that decode to more markup or entities.
  for (let round = 0; round < 2; round++) {
    plain = decodeEntities(stripTags(plain));
    plain = decodePercent(plain);
  }
  return alnum(stripTags(plain));
}

/** The marker as base64 at each of the three byte alignments, without the unstable edges. */
function base64Forms(text: string): string[] {
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from(`${'x'.repeat(shift)}${text}`).toString('base64');
    // the first 4 characters mix in the padding bytes, the last 4 the next bytes
    const core = encoded.slice(4, -4);
    if (core.length >= 12) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

export interface Needle {
  label: string;
  /** looked for in the normalised text */
  plain: string;
  /** looked for in the raw text as they are (base64 is case-sensitive) */
  raw: string[];
  /** the words a request may carry itself (a search query): then not looked for */
  echo: string;
}

export function needlesOf(secrets: readonly Secret[]): Needle[] {
  return secrets.map((s) => ({
    label: s.label,
    plain: alnum(s.text),
    raw: base64Forms(s.text),
    echo: alnum(s.text),
  }));
}

/**
 * The labels of the needles in `text`. A needle the request itself carries (its URL holds the
 * word, as a search query does) is not looked for: a page may repeat what was asked.
 */
export function findNeedles(text: string, needles: readonly Needle[], requestUrl = ''): string[] {
  if (text === '') return [];
  const plain = normalise(text);
  const asked = normalise(requestUrl);
  return needles
    .filter((n) => !(asked !== '' && asked.includes(n.echo)))
    .filter((n) => plain.includes(n.plain) || n.raw.some((form) => text.includes(form)))
    .map((n) => n.label);
}
