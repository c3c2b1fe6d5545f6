-- Orders for more than one item: a tip (to a creator, optionally on a project) and a membership
-- period (a project's tier) are orders too, so they share checkout, webhooks, receipts, refunds
-- and the ledger. An item order names its item; the others name none.
alter table orders add column kind text not null default 'item'
  check (kind in ('item', 'tip', 'membership'));
alter table orders alter column item_id drop not null;
alter table orders add column project_id uuid references projects (id) on delete set null;
alter table orders add constraint orders_kind_item check ((kind = 'item') = (item_id is not null));
-- a fan's words with a tip, shown to the creator (escaped like everything else)
alter table orders add column message text check (message is null or length(message) <= 500);
-- how much of the order a processor dispute holds (0 when none is open or it was won)
alter table orders add column disputed_amount bigint not null default 0
  check (disputed_amount >= 0);
create index orders_project_idx on orders (project_id) where project_id is not null;

-- The local processor's sessions remember what kind of checkout they are and what to echo back.
alter table local_checkout_sessions add column mode text not null default 'payment'
  check (mode in ('payment', 'subscription'));
alter table local_checkout_sessions add column metadata jsonb not null default '{}'::jsonb;
alter table local_checkout_sessions add column recurring_interval text
  check (recurring_interval is null or recurring_interval in ('month', 'year'));
alter table local_checkout_sessions add column trial_days int
  check (trial_days is null or trial_days between 1 and 365);
alter table local_checkout_sessions drop constraint local_checkout_sessions_amount_check;
alter table local_checkout_sessions add constraint local_checkout_sessions_amount_check
  check (amount >= 0);
