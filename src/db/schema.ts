// Kysely table types. Each migration that adds or changes a table updates this file.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;

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

export interface Tables {
  schema_migrations: SchemaMigrationsTable;
  mail_messages: MailMessagesTable;
  worker_heartbeats: WorkerHeartbeatsTable;
}
