// Kysely table types. Each migration that adds or changes a table updates this file.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** A rendering kept beside its source (migration 0035): optional on insert, null until made. */
type Rendered<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export interface MailMessagesTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** queued → sent | failed; the local outbox marks messages sent when it stores them */
  status: ColumnType<'queued' | 'sent' | 'failed', 'queued' | undefined, 'sent' | 'failed'>;
  transport: string | null;
  error: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
}

export interface WorkerHeartbeatsTable {
  worker_id: string;
  hostname: string;
  pid: number;
  started_at: CreatedAt;
  seen_at: Date;
}

export type CreatorTier = 'basic' | 'small_files' | 'big_files' | 'everything';
export type UserStatus = 'active' | 'deactivated' | 'suspended' | 'deleted';
export type SessionMethod = 'password' | 'passkey' | 'email_link' | 'signup';
export type EmailTokenPurpose =
  'verify_email' | 'reset_password' | 'unlock_account' | 'change_email';
export type TokenScope = 'read' | 'write';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  email_verified_at: Date | null;
  handle: string;
  display_name: string;
  password_hash: string | null;
  is_creator: Generated<boolean>;
  creator_tier: CreatorTier | null;
  is_admin: Generated<boolean>;
  status: Generated<UserStatus>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  /** ISO 4217; prices of the creator's items are in it */
  currency: Generated<string>;
  /** markdown */
  bio: Generated<string>;
  /** bio rendered at write time (migration 0035); null until rendered */
  bio_html: Rendered<string>;
  bio_text: Rendered<string>;
  avatar_image_id: string | null;
  links: ColumnType<ProfileLink[], string | undefined, string>;
  tips_enabled: Generated<boolean>;
  /** set by a trigger when status leaves 'active' (the start of buyers' grace period) */
  left_at: ColumnType<Date | null, never, never>;
}

export interface ProfileLink {
  label: string;
  url: string;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: Buffer;
  created_at: CreatedAt;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  reauthenticated_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
  method: SessionMethod;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: Buffer;
  scopes: TokenScope[];
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface EmailTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: EmailTokenPurpose;
  token_hash: Buffer;
  email: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface KnownDevicesTable {
  user_id: string;
  device_id: string;
  first_seen_at: CreatedAt;
  last_seen_at: Generated<Date>;
}

export interface RateLimitsTable {
  key: string;
  window_start: Date;
  count: Generated<number>;
  expires_at: Date;
}

export interface SecurityEventsTable {
  id: Generated<number>;
  user_id: string;
  type: string;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}

export interface PasskeysTable {
  id: Generated<string>;
  user_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: Generated<number>;
  transports: Generated<string[]>;
  device_type: string | null;
  backed_up: Generated<boolean>;
  name: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
}

export interface WebauthnChallengesTable {
  id: Generated<string>;
  user_id: string | null;
  purpose: 'register' | 'authenticate';
  challenge: string;
  expires_at: Date;
}

export interface TotpBackupCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: Buffer;
  used_at: Date | null;
}

export interface PendingLoginsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: Buffer;
  attempts: Generated<number>;
  expires_at: Date;
}

/** Idempotency-Key of POST /api/v1 requests (platform/http/idempotency.ts), kept 24 hours. */
export interface IdempotencyKeysTable {
  id: Generated<string>;
  /** the signed-in user's id, or 'anon:' and the client's address */
  caller: string;
  key: string;
  /** sha256 of the method, the URL and the body bytes */
  request_hash: Buffer;
  /** the sealed answer; null only inside the transaction of the request it belongs to */
  answer: Buffer | null;
  /** set anew when an expired key is used again */
  created_at: ColumnType<Date, Date | undefined, Date>;
}

export interface Tables {
  schema_migrations: SchemaMigrationsTable;
  mail_messages: MailMessagesTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  email_tokens: EmailTokensTable;
  known_devices: KnownDevicesTable;
  rate_limits: RateLimitsTable;
  security_events: SecurityEventsTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  totp_backup_codes: TotpBackupCodesTable;
  pending_logins: PendingLoginsTable;
  projects: ProjectsTable;
  project_slug_redirects: ProjectSlugRedirectsTable;
  items: ItemsTable;
  tags: TagsTable;
  item_tags: ItemTagsTable;
  images: ImagesTable;
  item_versions: ItemVersionsTable;
  item_chapters: ItemChaptersTable;
  bundle_items: BundleItemsTable;
  uploads: UploadsTable;
  upload_locks: UploadLocksTable;
  files: FilesTable;
  file_renditions: FileRenditionsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_postings: LedgerPostingsTable;
  orders: OrdersTable;
  payment_events: PaymentEventsTable;
  local_checkout_sessions: LocalCheckoutSessionsTable;
  local_refunds: LocalRefundsTable;
  local_transfers: LocalTransfersTable;
}

export type ItemType =
  'audio' | 'video' | 'text' | 'image' | 'digital' | 'software' | 'course' | 'bundle';
export type ItemStatus = 'draft' | 'published' | 'unlisted';
export type PriceModel = 'free' | 'fixed' | 'pwyw' | 'members';
export type AiTier = 'handmade' | 'assisted' | 'generated';

export interface ProjectsTable {
  id: Generated<string>;
  creator_id: string;
  slug: string;
  title: string;
  description: Generated<string>;
  /** description rendered at write time (migration 0035); null until rendered */
  description_html: Rendered<string>;
  description_text: Rendered<string>;
  cover_image_id: string | null;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface ProjectSlugRedirectsTable {
  creator_id: string;
  slug: string;
  project_id: string;
  created_at: CreatedAt;
}

export interface ItemsTable {
  id: Generated<string>;
  project_id: string;
  creator_id: string;
  type: ItemType;
  title: string;
  slug: string;
  description: Generated<string>;
  body: Generated<string>;
  /** markdown rendered at write time (migration 0035, platform/markdown/stored.ts); null until rendered */
  description_html: Rendered<string>;
  description_text: Rendered<string>;
  body_html: Rendered<string>;
  body_preview: Rendered<string>;
  body_preview_html: Rendered<string>;
  body_continues: Rendered<boolean>;
  status: Generated<ItemStatus>;
  price_model: PriceModel;
  price_amount: number | null;
  price_minimum: number | null;
  price_suggested: number | null;
  currency: Generated<string>;
  ai_tier: AiTier | null;
  ai_statement: string | null;
  /** a calendar date, YYYY-MM-DD */
  release_date: ColumnType<string | null, string | null | undefined, string | null>;
  credits: Generated<string>;
  cover_image_id: string | null;
  position: Generated<number>;
  published_at: Date | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface TagsTable {
  path: string;
  created_at: CreatedAt;
}

export interface ItemTagsTable {
  item_id: string;
  tag_path: string;
}

export type ImagePurpose = 'avatar' | 'cover' | 'inline';

export interface ImageVariantRecord {
  name: string;
  key: string;
  width: number;
  height: number;
  bytes: number;
}

export interface ImagesTable {
  /** the folder id storeImage generated: objects live under images/<id>/ */
  id: string;
  owner_id: string | null;
  purpose: ImagePurpose;
  width: number;
  height: number;
  sha256: string;
  variants: ColumnType<ImageVariantRecord[], string, string>;
  created_at: CreatedAt;
}

export interface ItemVersionsTable {
  id: Generated<string>;
  item_id: string;
  version: string;
  changelog: Generated<string>;
  /** rendered at write time (migration 0035); null until rendered */
  changelog_html: Rendered<string>;
  released_at: Generated<Date>;
  created_at: CreatedAt;
}

export interface ItemChaptersTable {
  item_id: string;
  start_seconds: number;
  title: string;
}

export interface BundleItemsTable {
  bundle_id: string;
  item_id: string;
  position: number;
}

export type FileStatus = 'pending' | 'processing' | 'ready' | 'failed' | 'quarantined';
export type FileKind = 'audio' | 'video' | 'image' | 'archive' | 'other';

export interface FilesTable {
  id: Generated<string>;
  item_id: string;
  version_id: string | null;
  creator_id: string;
  status: Generated<FileStatus>;
  /** null until the worker has sniffed the bytes */
  kind: FileKind | null;
  original_name: string;
  /** the client's MIME type: compared with the sniffed one, never trusted */
  declared_type: string | null;
  /** sniffed from the bytes */
  mime: string | null;
  size: number | null;
  sha256: string | null;
  /** the temporary object the upload arrived at (tmp/uploads/<id>) */
  upload_key: string | null;
  original_key: string | null;
  duration_ms: number | null;
  /** the creator's choice; null = a third into the track */
  preview_start_ms: number | null;
  /** the file this one is a new version of: removed when this one is ready */
  replaces_file_id: string | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** a sentence the creator can read: why the file failed or was quarantined */
  error: string | null;
  /** a sentence the creator can read about a degraded result */
  notice: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  processed_at: Date | null;
}

export interface FileRenditionsTable {
  file_id: string;
  /** stream, preview, waveform, poster, w640 … */
  name: string;
  key: string;
  mime: string;
  size: number;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface UploadsTable {
  id: string;
  creator_id: string;
  item_id: string;
  filename: string;
  declared_type: string | null;
  size: number;
  offset: Generated<number>;
  part_count: Generated<number>;
  tail_size: Generated<number>;
  file_id: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  expires_at: Generated<Date>;
}

export interface UploadLocksTable {
  upload_id: string;
  holder: string;
  expires_at: Date;
  release_requested: Generated<boolean>;
}

export type LedgerKind =
  | 'sale'
  | 'refund'
  | 'dispute'
  | 'dispute_won'
  | 'release'
  | 'payout_reserve'
  | 'payout_paid'
  | 'payout_failed'
  | 'adjustment';

/** Append-only: the database refuses UPDATE and DELETE. */
export interface LedgerTransactionsTable {
  id: Generated<string>;
  idempotency_key: string;
  kind: LedgerKind;
  order_id: string | null;
  payout_id: string | null;
  occurred_at: ColumnType<Date, Date | undefined, never>;
  created_at: CreatedAt;
  metadata: ColumnType<Record<string, unknown>, string | undefined, never>;
}

/** amount: minor units, positive = debit, negative = credit; balanced per transaction. */
export interface LedgerPostingsTable {
  id: Generated<number>;
  transaction_id: string;
  account: string;
  creator_id: string | null;
  amount: number;
  currency: string;
  release_at: Date | null;
}

export type OrderStatus =
  'pending' | 'paid' | 'failed' | 'refunded' | 'partially_refunded' | 'disputed';
export type OrderProcessor = 'local' | 'stripe' | 'none';

export type OrderKind = 'item' | 'tip' | 'membership';

export interface OrdersTable {
  id: Generated<string>;
  /** what the order is for: an item; a tip to a creator (or their project); a membership period */
  kind: Generated<OrderKind>;
  /** set exactly when kind is 'item' */
  item_id: string | null;
  /** the project a tip or membership is for */
  project_id: string | null;
  /** a fan's words with a tip */
  message: string | null;
  /** how much an open processor dispute holds */
  disputed_amount: Generated<number>;
  creator_id: string;
  buyer_id: string | null;
  buyer_email: string | null;
  status: Generated<OrderStatus>;
  /** minor units */
  amount: number;
  currency: string;
  processor: OrderProcessor;
  processor_session_id: string | null;
  processor_payment_id: string | null;
  refunded_amount: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  paid_at: Date | null;
  /** minor units the processor kept of the payment; null before it is paid or when unknown */
  processor_fee: ColumnType<number | null, number | null | undefined, number | null>;
  /** why it failed (kept if a late payment then paid it); null for orders that never failed */
  failure_reason: ColumnType<
    OrderFailureReason | null,
    OrderFailureReason | null | undefined,
    OrderFailureReason | null
  >;
}

export type OrderFailureReason = 'declined' | 'processor_unavailable' | 'expired';

/** One row per processor event id: a re-delivered event inserts nothing. */
export interface PaymentEventsTable {
  id: string;
  processor: 'local' | 'stripe';
  type: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  received_at: CreatedAt;
  applied_at: Date | null;
}

export interface LocalCheckoutSessionsTable {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  description: string;
  buyer_email: string | null;
  success_url: string;
  cancel_url: string;
  outcome: 'succeeded' | 'declined' | null;
  payment_id: string | null;
  mode: Generated<'payment' | 'subscription'>;
  /** echoed back in the session's events (order_id and anything the caller added) */
  metadata: ColumnType<Record<string, string>, string | undefined, string>;
  recurring_interval: 'month' | 'year' | null;
  trial_days: number | null;
  created_at: CreatedAt;
  completed_at: Date | null;
  /** set when the order expired unpaid: the page then refuses to take a payment */
  expired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface LocalRefundsTable {
  id: string;
  idempotency_key: string;
  order_id: string;
  payment_id: string;
  amount: number;
  currency: string;
  created_at: CreatedAt;
}

export interface LocalTransfersTable {
  id: string;
  idempotency_key: string;
  destination: string;
  amount: number;
  currency: string;
  created_at: CreatedAt;
}
