// A creator's sales (their paid orders, newest first) and the refund form's rules. The refund
// itself is the payments module's (refundOrder): it checks the order's creator again, calls the
// processor and reverses the ledger in one transaction.
import type { Executor } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { isUuid } from '../../platform/ids.js';
import { findSale, listSales, type SaleRow, type SalesKeyset } from './earnings.repository.js';
import type { SaleJson, SalesList } from './earnings.schemas.js';
import { formatMoney, parseMajorUnits } from '../../platform/money/index.js';

/** The payments module's refund (refunds.service refundOrder with its dependencies bound). */
export type RefundOrder = (
  principal: Principal,
  orderId: string,
  amount: number | undefined,
) => Promise<{ status: string }>;

/** "jane@example.com" → "j•••@example.com": enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

export const remainingOf = (sale: SaleRow): number => sale.amount - sale.refunded_amount;

export function isRefundable(sale: SaleRow): boolean {
  return (
    (sale.status === 'paid' || sale.status === 'partially_refunded') &&
    sale.refundable_payment &&
    remainingOf(sale) > 0
  );
}

export function saleTitle(sale: SaleRow): string {
  if (sale.kind === 'tip') return 'Tip';
  if (sale.kind === 'membership') return 'Membership';
  return sale.item_title ?? 'Deleted item';
}

export function buyerLabel(sale: SaleRow): string {
  if (sale.buyer_handle) return `@${sale.buyer_handle}`;
  return sale.buyer_email ? maskEmail(sale.buyer_email) : 'Guest';
}

export function toSaleJson(sale: SaleRow): SaleJson {
  return {
    id: sale.id,
    kind: sale.kind,
    title: saleTitle(sale),
    buyer: buyerLabel(sale),
    amount: sale.amount,
    refunded_amount: sale.refunded_amount,
    currency: sale.currency,
    status: sale.status,
    refundable: isRefundable(sale),
    message: sale.message,
    created_at: sale.created_at.toISOString(),
  };
}

function encodeCursor(keyset: SalesKeyset): string {
  return Buffer.from(`${keyset.createdAt.toISOString()}|${keyset.id}`).toString('base64url');
}

function decodeCursor(cursor: string): SalesKeyset {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('INVALID_CURSOR', 422, 'That cursor is not one we made.', {
      fields: { cursor: 'Use the next_cursor of a previous answer.' },
    });
  }
  return { createdAt, id };
}

export interface SalesPage {
  sales: SaleRow[];
  nextCursor: string | null;
}

export async function salesPage(
  db: Executor,
  creatorId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<SalesPage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listSales(db, creatorId, query.limit + 1, after);
  const sales = rows.slice(0, query.limit);
  const last = sales.at(-1);
  return {
    sales,
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ createdAt: last.created_at, id: last.id })
        : null,
  };
}

export async function listSalesJson(
  db: Executor,
  creatorId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<SalesList> {
  const page = await salesPage(db, creatorId, query);
  return { items: page.sales.map(toSaleJson), next_cursor: page.nextCursor };
}

/** The creator's own sale; anyone else's order (or no order) is a 404. */
export async function requireSale(
  db: Executor,
  creatorId: string,
  orderId: string,
): Promise<SaleRow> {
  const sale = isUuid(orderId) ? await findSale(db, creatorId, orderId) : undefined;
  if (!sale) throw new AppError('NOT_FOUND', 404, 'We could not find that sale.');
  return sale;
}

export type RefundAmount =
  { ok: true; minor: number; full: boolean } | { ok: false; error: string };

/** The refund form's amount, in major units, checked against what is left of the sale. */
export function readRefundAmount(sale: SaleRow, raw: string): RefundAmount {
  const remaining = remainingOf(sale);
  const most = formatMoney(remaining, sale.currency);
  const parsed = parseMajorUnits(raw, sale.currency, { max: remaining });
  if (!parsed.ok) {
    const error =
      parsed.problem === 'missing'
        ? `Enter how much to refund, at most ${most}.`
        : parsed.problem === 'too_large'
          ? `You can refund at most ${most}, what is left of this sale.`
          : parsed.message;
    return { ok: false, error };
  }
  if (parsed.minor < 1) return { ok: false, error: 'Refund more than nothing.' };
  return { ok: true, minor: parsed.minor, full: parsed.minor === remaining };
}
