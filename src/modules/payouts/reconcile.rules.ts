// The comparison itself, without I/O: the processor's transfers against our payouts and the
// ledger's payout transactions. Every mismatch becomes one Difference with a stable kind.
import type { LedgerPayoutRecord, PayoutRecord } from './reconcile.repository.js';

export const DIFFERENCE_KINDS = [
  /** the processor sent money under a key no payout of ours has */
  'transfer_without_payout',
  /** we marked a payout paid, but the processor has no transfer for it */
  'paid_without_transfer',
  'amount_mismatch',
  'currency_mismatch',
  /** more than one transfer under one payout's key: a creator paid twice */
  'duplicate_transfers',
  /** the money left, but the payout still waits (past the grace period) */
  'queued_with_transfer',
  /** the money left, but we recorded the payout as failed and gave the balance back */
  'failed_with_transfer',
  /** a paid payout names a transfer the processor does not list under its key */
  'transfer_id_mismatch',
  /** the ledger lacks the posting the payout's status needs */
  'ledger_missing',
  /** the ledger's payout postings disagree with the payout (ending, amount or currency) */
  'ledger_mismatch',
] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface Money {
  amount: number;
  currency: string;
}

export interface Difference {
  kind: DifferenceKind;
  idempotency_key: string | null;
  payout_id: string | null;
  transfer_ids: string[];
  expected?: Money;
  actual?: Money;
  detail: string;
}

export interface ProcessorTransfer extends Money {
  transferId: string;
  idempotencyKey: string;
}

export interface CompareInput {
  transfers: readonly ProcessorTransfer[];
  payouts: readonly PayoutRecord[];
  ledger: readonly LedgerPayoutRecord[];
  /** payouts made before this are checked; newer ones are still in the window's edge */
  windowStart: Date;
  /** a queued payout updated after this may simply be mid-send */
  queuedBefore: Date;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

function compareTransfers(
  key: string,
  sent: ProcessorTransfer[],
  payout: PayoutRecord | undefined,
  input: CompareInput,
): Difference[] {
  const ids = sent.map((t) => t.transferId);
  const base = { idempotency_key: key, payout_id: payout?.id ?? null, transfer_ids: ids };
  if (!payout) {
    return [{ ...base, kind: 'transfer_without_payout', detail: 'No payout has this key.' }];
  }
  const found: Difference[] = [];
  const expected = { amount: payout.amount, currency: payout.currency };
  if (sent.length > 1) {
    found.push({
      ...base,
      kind: 'duplicate_transfers',
      detail: `${sent.length} transfers under one key.`,
    });
  }
  for (const transfer of sent) {
    const actual = { amount: transfer.amount, currency: transfer.currency.toUpperCase() };
    const one = { ...base, transfer_ids: [transfer.transferId], expected, actual };
    if (actual.currency !== expected.currency) {
      found.push({ ...one, kind: 'currency_mismatch', detail: 'The transfer’s currency differs.' });
    } else if (actual.amount !== expected.amount) {
      found.push({ ...one, kind: 'amount_mismatch', detail: 'The transfer’s amount differs.' });
    }
  }
  if (payout.status === 'queued' && payout.updated_at < input.queuedBefore) {
    found.push({ ...base, kind: 'queued_with_transfer', detail: 'Sent, but still queued here.' });
  }
  if (payout.status === 'failed') {
    found.push({ ...base, kind: 'failed_with_transfer', detail: 'Sent, but recorded as failed.' });
  }
  if (
    payout.status === 'paid' &&
    (payout.transfer_id === null || !ids.includes(payout.transfer_id))
  ) {
    found.push({
      ...base,
      kind: 'transfer_id_mismatch',
      detail: `The payout names ${payout.transfer_id ?? 'no transfer'}.`,
    });
  }
  return found;
}

function compareLedger(payout: PayoutRecord, entries: LedgerPayoutRecord[]): Difference[] {
  const base = { idempotency_key: payout.idempotency_key, payout_id: payout.id, transfer_ids: [] };
  const byKind = (kind: LedgerPayoutRecord['kind']) => entries.find((e) => e.kind === kind);
  const reserve = byKind('payout_reserve');
  const paid = byKind('payout_paid');
  const failed = byKind('payout_failed');
  const found: Difference[] = [];
  if (!reserve) {
    found.push({ ...base, kind: 'ledger_missing', detail: 'No payout_reserve transaction.' });
  } else if (reserve.amount !== payout.amount || reserve.currency !== payout.currency) {
    found.push({
      ...base,
      kind: 'ledger_mismatch',
      expected: { amount: payout.amount, currency: payout.currency },
      actual: { amount: reserve.amount ?? 0, currency: reserve.currency ?? '' },
      detail: 'The reserved amount differs from the payout.',
    });
  }
  const needed = payout.status === 'paid' ? paid : payout.status === 'failed' ? failed : undefined;
  if (payout.status !== 'queued' && !needed) {
    found.push({
      ...base,
      kind: 'ledger_missing',
      detail: `No payout_${payout.status} transaction.`,
    });
  }
  const wrong =
    (payout.status !== 'paid' && paid !== undefined) ||
    (payout.status !== 'failed' && failed !== undefined);
  if (wrong) {
    found.push({
      ...base,
      kind: 'ledger_mismatch',
      detail: `The ledger ended the payout as ${paid ? 'paid' : 'failed'}; it is ${payout.status}.`,
    });
  }
  return found;
}

export function comparePayouts(input: CompareInput): Difference[] {
  const payoutsByKey = new Map(input.payouts.map((p) => [p.idempotency_key, p]));
  const transfersByKey = groupBy(input.transfers, (t) => t.idempotencyKey);
  const ledgerByPayout = groupBy(input.ledger, (e) => e.payout_id);
  const found: Difference[] = [];
  for (const [key, sent] of transfersByKey) {
    found.push(...compareTransfers(key, sent, payoutsByKey.get(key), input));
  }
  for (const payout of input.payouts) {
    if (payout.created_at < input.windowStart) continue; // found only through a transfer's key
    if (payout.status === 'paid' && !transfersByKey.has(payout.idempotency_key)) {
      found.push({
        kind: 'paid_without_transfer',
        idempotency_key: payout.idempotency_key,
        payout_id: payout.id,
        transfer_ids: payout.transfer_id === null ? [] : [payout.transfer_id],
        expected: { amount: payout.amount, currency: payout.currency },
        detail: 'Marked paid, but the processor lists no transfer for it.',
      });
    }
    found.push(...compareLedger(payout, ledgerByPayout.get(payout.id) ?? []));
  }
  return found;
}
