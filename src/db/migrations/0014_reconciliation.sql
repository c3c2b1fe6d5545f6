-- Payout reconciliation: each run compares the processor's transfers with our payouts and the
-- ledger's payout postings over a window, and keeps what it found. A report is written when the
-- run starts and completed when it ends, so a run that died shows as never finished.
create table reconciliation_reports (
  id uuid primary key default gen_random_uuid(),
  processor text not null check (processor in ('local', 'stripe')),
  window_start timestamptz not null,
  window_end timestamptz not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null default 'running'
    check (status in ('running', 'clean', 'differences', 'failed')),
  transfers_checked int not null default 0 check (transfers_checked >= 0),
  payouts_checked int not null default 0 check (payouts_checked >= 0),
  difference_count int not null default 0 check (difference_count >= 0),
  -- [{kind, idempotency_key?, payout_id?, transfer_ids?, expected?, actual?, detail}]
  differences jsonb not null default '[]' check (jsonb_typeof(differences) = 'array'),
  error text,
  check (window_start < window_end),
  check ((status = 'running') = (finished_at is null))
);
create index reconciliation_reports_started_idx on reconciliation_reports (started_at desc);
