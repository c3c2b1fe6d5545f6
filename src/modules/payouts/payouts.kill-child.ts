// A worker process for the payout kill test (payouts.test.ts): it sends one payout's transfer
// through the local processor and is SIGKILLed the moment the transfer has been made, before
// the payout is recorded — the worst moment a crash can hit.
// Usage: node --import tsx payouts.kill-child.ts <databaseUrl> <payoutId>
import { createDb, createPool } from '../../db/database.js';
import { loadConfig } from '../../config.js';
import { LocalProcessor } from '../payments/index.js';
import type { PaymentProcessor, TransferRequest } from '../payments/index.js';
import { sendPayout } from './payouts.service.js';

const [url, payoutId] = process.argv.slice(2);
if (!url || !payoutId) throw new Error('missing arguments');
const db = createDb(createPool(url, { max: 2 }));
const config = loadConfig({
  DATABASE_URL: url,
  APP_SECRET: 'kill-test-secret-long-enough-for-keys',
  DATA_DIR: '/tmp',
});
const local = new LocalProcessor(db, config);
// The local processor, except that the process dies right after the transfer was made.
const dying: PaymentProcessor = Object.assign(Object.create(local) as LocalProcessor, {
  transfer: async (request: TransferRequest) => {
    const sent = await local.transfer(request);
    process.kill(process.pid, 'SIGKILL');
    return sent;
  },
});
await sendPayout({ db, processor: dying }, payoutId);
