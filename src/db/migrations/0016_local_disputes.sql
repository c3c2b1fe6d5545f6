-- Finding the order a processor payment paid for (refund and dispute events name the payment).
create index orders_payment_idx on orders (processor_payment_id)
  where processor_payment_id is not null;

-- The local processor's disputes, opened and decided from its developer panel (/pay/local/dev),
-- as a card network would on a real processor's side.
create table local_disputes (
  id text primary key,
  payment_id text not null,
  order_id uuid not null,
  amount bigint not null check (amount > 0),
  currency char(3) not null,
  fee bigint not null check (fee >= 0),
  status text not null default 'needs_response' check (status in ('needs_response', 'won', 'lost')),
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
create unique index local_disputes_one_open_idx on local_disputes (payment_id)
  where status = 'needs_response';

-- Payout destinations the local processor refuses transfers to (a closed bank account), so a
-- failed payout can be tried from the panel.
create table local_refusing_destinations (
  destination text primary key,
  reason text not null,
  created_at timestamptz not null default now()
);
