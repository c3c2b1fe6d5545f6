// The chart of accounts. Amounts are integer minor units; a positive amount is a debit, a
// negative amount a credit, and every transaction sums to zero per currency.
//
//   processor_clearing          asset: what the processor collected for us and still holds,
//                               before its fees (debit-normal)
//   processor_fees              contra-asset: fees the processor withheld from clearing
//                               (credit-normal); the processor's balance is the sum of both
//   creator:<id>:pending        liability: earned, still inside the holding period
//   creator:<id>:available      liability: may be paid out
//   creator:<id>:in_transit     liability: reserved for a payout being sent
//   creator:<id>:debt           asset: what a creator owes after a refund or dispute their
//                               balance could not cover; repaid first from later releases
//
// Liabilities are credit-normal: their balance is minus the sum of their postings, and pending,
// available and in_transit never go below zero. Paid-out money leaves processor_clearing and
// in_transit together (kind payout_paid), which is how "paid out" is counted.

export const PROCESSOR_CLEARING = 'processor_clearing';
export const PROCESSOR_FEES = 'processor_fees';

export const CREATOR_BUCKETS = ['pending', 'available', 'in_transit', 'debt'] as const;
export type CreatorBucket = (typeof CREATOR_BUCKETS)[number];

export function creatorAccount(creatorId: string, bucket: CreatorBucket): string {
  return `creator:${creatorId}:${bucket}`;
}

/** The creator and bucket of a creator account, or null for a platform account. */
export function parseCreatorAccount(
  account: string,
): { creatorId: string; bucket: CreatorBucket } | null {
  const match = /^creator:([0-9a-f-]{36}):([a-z_]+)$/.exec(account);
  const bucket = CREATOR_BUCKETS.find((b) => b === match?.[2]);
  if (!match?.[1] || !bucket) return null;
  return { creatorId: match[1], bucket };
}

/** What turns an account's sum into its balance: debt is debit-normal, the rest credit-normal. */
export function normalSign(bucket: CreatorBucket): 1 | -1 {
  return bucket === 'debt' ? 1 : -1;
}

const CURRENCY = /^[A-Z]{3}$/;

export function isCurrency(value: string): boolean {
  return CURRENCY.test(value);
}
