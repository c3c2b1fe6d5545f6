-- Memberships: a project's tiers (monthly and/or yearly prices), the fans who joined one, the
-- orders each membership period was paid with, and the local processor's own subscriptions
-- (which a real processor keeps on its side).
create table membership_tiers (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references projects (id) on delete cascade,
  creator_id uuid not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 80),
  description text not null default '' check (length(description) <= 5000),
  -- short lines, shown as a list
  benefits jsonb not null default '[]'::jsonb check (jsonb_typeof(benefits) = 'array'),
  monthly_price bigint check (monthly_price is null or monthly_price > 0),
  yearly_price bigint check (yearly_price is null or yearly_price > 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  position int not null default 0,
  status text not null default 'active' check (status in ('active', 'archived')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (monthly_price is not null or yearly_price is not null)
);
create index membership_tiers_project_idx on membership_tiers (project_id, position);

create table memberships (
  id uuid primary key default gen_random_uuid(),
  tier_id uuid not null references membership_tiers (id),
  project_id uuid not null references projects (id) on delete cascade,
  creator_id uuid not null references users (id) on delete cascade,
  -- a guest joins with an email; a verified account with that email is the member
  member_id uuid references users (id) on delete set null,
  member_email text check (member_email is null or length(member_email) between 3 and 320),
  interval text not null check (interval in ('month', 'year')),
  -- trialing and active: access; past_due: access for a grace period; canceled: access until
  -- the period ends; ended: none
  status text not null check (status in ('trialing', 'active', 'past_due', 'canceled', 'ended')),
  processor text not null check (processor in ('local', 'stripe')),
  subscription_id text not null unique,
  current_period_end timestamptz not null,
  cancel_at_period_end boolean not null default false,
  past_due_since timestamptz,
  started_at timestamptz not null default now(),
  canceled_at timestamptz,
  ended_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (member_id is not null or member_email is not null)
);
-- one membership per fan and project: joining again re-activates it
create unique index memberships_member_project_idx on memberships (project_id, member_id)
  where member_id is not null;
create index memberships_member_idx on memberships (member_id) where member_id is not null;
create index memberships_tier_idx on memberships (tier_id);

-- What each membership order paid for: the first checkout (tier, interval, trial) and each
-- renewal (the processor's invoice, unique: a re-delivered or second invoice event for the same
-- invoice makes no second order).
create table membership_orders (
  order_id uuid primary key references orders (id) on delete cascade,
  tier_id uuid not null references membership_tiers (id),
  interval text not null check (interval in ('month', 'year')),
  trial_days int check (trial_days is null or trial_days between 1 and 365),
  membership_id uuid references memberships (id) on delete cascade,
  invoice_id text unique,
  created_at timestamptz not null default now()
);

-- The local processor's subscriptions, started by a completed subscription-mode checkout and
-- renewed by an hourly job (or from the developer panel) with Stripe-shaped invoice events.
create table local_subscriptions (
  id text primary key,
  session_id text not null unique references local_checkout_sessions (id),
  order_id uuid not null,
  amount bigint not null check (amount > 0),
  currency char(3) not null,
  interval text not null check (interval in ('month', 'year')),
  status text not null check (status in ('trialing', 'active', 'past_due', 'canceled')),
  current_period_end timestamptz not null,
  cancel_at_period_end boolean not null default false,
  past_due_since timestamptz,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  canceled_at timestamptz
);
create index local_subscriptions_due_idx on local_subscriptions (current_period_end)
  where status <> 'canceled';
