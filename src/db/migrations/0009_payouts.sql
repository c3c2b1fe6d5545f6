-- Payouts: a creator's connected payout account, and each payout from the queue. The ledger
-- holds the money (payout:<id>:reserve|paid|failed); this table holds the transfer's progress.
create table payout_accounts (
  creator_id uuid primary key references users (id) on delete cascade,
  processor text not null check (processor in ('local', 'stripe')),
  -- the processor's account (Stripe: acct_…)
  destination text not null check (length(destination) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table payouts (
  id uuid primary key default gen_random_uuid(),
  creator_id uuid not null references users (id),
  amount bigint not null check (amount > 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  status text not null default 'queued' check (status in ('queued', 'paid', 'failed')),
  destination text not null,
  -- payout:<id>: the processor sees the same key on every retry, so it sends one transfer
  idempotency_key text not null unique,
  transfer_id text,
  failure_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  settled_at timestamptz,
  check (status <> 'failed' or failure_reason is not null),
  check (status <> 'paid' or transfer_id is not null)
);
create index payouts_creator_idx on payouts (creator_id, created_at desc);
-- one payout in flight per creator and currency
create unique index payouts_one_queued_key on payouts (creator_id, currency)
  where status = 'queued';
