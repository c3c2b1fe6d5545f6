-- Foundation: extensions used by search, the mail outbox and worker heartbeats.
create extension if not exists pg_trgm;
create extension if not exists unaccent;

create table mail_messages (
  id uuid primary key default gen_random_uuid(),
  to_address text not null check (length(to_address) between 3 and 320),
  subject text not null check (length(subject) <= 998),
  text_body text not null,
  html_body text,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  transport text,
  error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index mail_messages_created_at_idx on mail_messages (created_at desc);

-- Each worker process (inline or standalone) records that it is alive; /readyz reads this.
create table worker_heartbeats (
  worker_id text primary key,
  hostname text not null,
  pid integer not null,
  started_at timestamptz not null default now(),
  seen_at timestamptz not null default now()
);
