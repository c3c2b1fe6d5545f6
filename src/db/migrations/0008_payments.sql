-- Payments: orders, the processor events we received (the unique id is what makes a re-delivered
-- event change nothing), and the local processor's own records (its checkout sessions, refunds
-- and transfers), which a real processor would keep on its side.
create table orders (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references items (id),
  creator_id uuid not null references users (id),
  buyer_id uuid references users (id) on delete set null,
  -- guests buy with an email; a verified account with that email gets the order
  buyer_email text check (buyer_email is null or length(buyer_email) between 3 and 320),
  status text not null default 'pending' check (status in (
    'pending', 'paid', 'failed', 'refunded', 'partially_refunded', 'disputed'
  )),
  amount bigint not null check (amount >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  processor text not null check (processor in ('local', 'stripe', 'none')),
  processor_session_id text unique,
  processor_payment_id text,
  refunded_amount bigint not null default 0 check (refunded_amount between 0 and amount),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  paid_at timestamptz,
  check (buyer_id is not null or buyer_email is not null),
  check (status = 'pending' or status = 'failed' or paid_at is not null)
);
create index orders_buyer_idx on orders (buyer_id, created_at desc) where buyer_id is not null;
create index orders_item_idx on orders (item_id);
create index orders_creator_idx on orders (creator_id, created_at desc);
create index orders_guest_email_idx on orders (lower(buyer_email)) where buyer_id is null;

create table payment_events (
  -- the processor's event id (evt_…): a second delivery of the same event inserts nothing
  id text primary key check (length(id) between 1 and 255),
  processor text not null check (processor in ('local', 'stripe')),
  type text not null,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  applied_at timestamptz
);

-- The local processor's side of a checkout: what the buyer sees on /pay/local/<id>, and whether
-- the form was submitted (once: a second submission sends no second event).
create table local_checkout_sessions (
  id text primary key,
  order_id uuid not null references orders (id) on delete cascade,
  amount bigint not null check (amount > 0),
  currency char(3) not null,
  description text not null,
  buyer_email text,
  success_url text not null,
  cancel_url text not null,
  outcome text check (outcome in ('succeeded', 'declined')),
  payment_id text,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);

create table local_refunds (
  id text primary key,
  idempotency_key text not null unique,
  order_id uuid not null,
  payment_id text not null,
  amount bigint not null check (amount > 0),
  currency char(3) not null,
  created_at timestamptz not null default now()
);

create table local_transfers (
  id text primary key,
  -- payout:<id>: the same key always answers the same transfer, never a second one
  idempotency_key text not null unique,
  destination text not null,
  amount bigint not null check (amount > 0),
  currency char(3) not null,
  created_at timestamptz not null default now()
);
create index local_transfers_created_idx on local_transfers (created_at);
