// Stored answers of Idempotency-Key requests can hold secrets (POST /auth/tokens shows a token
// once; sign-in and sign-up set a session cookie), so they are kept encrypted: AES-256-GCM
// under a key derived from APP_SECRET for this purpose only, with the key row's id as
// associated data, so a sealed answer cannot be replayed from another row.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { deriveKey } from '../secrets.js';

const storedAnswer = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  /** base64 of the body's bytes */
  body: z.string(),
});
export type StoredAnswer = z.infer<typeof storedAnswer>;

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createAnswerSealer(appSecret: string) {
  const key = deriveKey(appSecret, 'http/idempotency');
  return {
    seal(answer: StoredAnswer, rowId: string): Buffer {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(rowId));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    /** throws when the answer was altered, moved to another row, or sealed under another key */
    open(sealed: Buffer, rowId: string): StoredAnswer {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(rowId));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return storedAnswer.parse(JSON.parse(plain.toString('utf8')));
    },
  };
}
