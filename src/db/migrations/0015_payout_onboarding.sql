-- Payout-account onboarding. A payout account made through the processor's onboarding (Stripe
-- Connect Express, or the local processor's page) is not ready until the creator finishes it and
-- the processor says so; the weekly payout run pays only ready accounts. Accounts named directly
-- (PUT /me/payout-account) stay ready, as they were before onboarding existed.
alter table payout_accounts add column ready boolean not null default true;
-- when readiness was last asked of the processor (the onboarding return page asks)
alter table payout_accounts add column checked_at timestamptz;

-- The local processor's connected accounts, as Stripe keeps Connect accounts on its side: one per
-- onboarding, finished on its page /pay/local/connect/<id>.
create table local_connect_accounts (
  id text primary key check (length(id) between 1 and 200),
  creator_id uuid not null references users (id) on delete cascade,
  email text not null,
  -- where the page sends the creator when they finish, or when the link is stale
  return_url text not null,
  refresh_url text not null,
  completed_at timestamptz,
  created_at timestamptz not null default now()
);
create index local_connect_accounts_creator_idx on local_connect_accounts (creator_id);
