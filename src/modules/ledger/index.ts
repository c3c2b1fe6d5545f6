// The ledger module's public face: post balanced transactions, record business events, read
// balances. Other modules import only this.
export {
  creatorAccount,
  PROCESSOR_CLEARING,
  PROCESSOR_FEES,
  type CreatorBucket,
} from './ledger.accounts.js';
export {
  postTransaction,
  postTransactions,
  type LedgerEntry,
  type PostedTransaction,
  type PostTransactionInput,
} from './ledger.js';
export {
  recordDispute,
  recordDisputeWon,
  recordRefund,
  recordSale,
  recordSales,
  releaseDue,
  type DisputeInput,
  type RefundInput,
  type SaleInput,
} from './operations.js';
export {
  completePayout,
  failPayout,
  reservePayout,
  type ReservePayoutInput,
} from './payout-operations.js';
export { balances, totalsByAccount, type CreatorBalance } from './balances.js';
export type { AccountTotal } from './ledger.repository.js';
