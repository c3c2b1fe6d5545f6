-- Refunds recorded before the processor is asked, and pending orders that expire (issue 15).
--
-- order_refunds: a refund's intent is committed (its amount reserved under the order's row lock)
-- before the processor is called with the row's key, and settled in another short transaction,
-- so no refund holds a database connection or a transaction while the processor works, and two
-- refunds of one order at once cannot together exceed what was paid (the second sees the first's
-- reservation). A settle job retries an intent whose request died between the call and the record.
create table order_refunds (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references orders (id) on delete cascade,
  amount bigint not null check (amount > 0),
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'refused')),
  -- creator: the item's creator asked (API or sales page); item_removed: a payment arrived after
  -- its order expired and its item was deleted, so it goes back by itself
  reason text not null check (reason in ('creator', 'item_removed')),
  -- what the processor is asked under (its idempotency key): a retry gets the same refund back
  processor_key text not null unique check (length(processor_key) between 1 and 255),
  processor_refund_id text unique,
  requested_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  settled_at timestamptz,
  check ((status = 'succeeded') = (processor_refund_id is not null))
);
create index order_refunds_order_pending_idx on order_refunds (order_id) where status = 'pending';

-- Why an order failed: the processor declined it, its checkout could not be opened, or it was
-- never paid within 24 hours and expired. Kept when a late payment makes it paid after all.
alter table orders add column failure_reason text
  check (failure_reason in ('declined', 'processor_unavailable', 'expired'));
create index orders_pending_created_idx on orders (created_at) where status = 'pending';

-- The local processor's checkout expires like Stripe's (expired by us, or 24 hours old).
alter table local_checkout_sessions add column expired_at timestamptz;

-- Only work someone may have paid for holds its item: deleting an item first detaches its
-- failed (declined, expired) orders, and the foreign key still refuses the deletion while any
-- other order (paid, refunded, pending) points at it. A detached order keeps its kind.
alter table orders drop constraint orders_kind_item;
alter table orders add constraint orders_kind_item check (kind = 'item' or item_id is null);

create function items_detach_failed_orders() returns trigger
  language plpgsql
  as $$
  begin
    update orders set item_id = null, updated_at = now()
     where item_id = old.id and status = 'failed';
    return old;
  end
  $$;
create trigger items_detach_failed_orders before delete on items
  for each row execute function items_detach_failed_orders();

-- A detached order paid late counts as no item's sale.
create or replace function orders_sales_count() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op in ('UPDATE', 'DELETE') and old.kind = 'item' and old.status = 'paid'
       and old.item_id is not null then
      insert into item_sales_pending (item_id, delta) values (old.item_id, -1);
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.kind = 'item' and new.status = 'paid'
       and new.item_id is not null then
      insert into item_sales_pending (item_id, delta) values (new.item_id, 1);
    end if;
    return null;
  end
  $$;
