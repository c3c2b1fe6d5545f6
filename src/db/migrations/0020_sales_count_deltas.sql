-- Sales counts without a hot row. Until now every paid item order updated items.sales_count in
-- the transaction that made it paid, so all sales of one item (a launch) queued on that item's
-- row lock until each commit: the webhook bench applied ~60 events/s with most worker
-- connections waiting on it. Now a sale only inserts a delta (no row is shared between
-- sales), a job folds the deltas into items.sales_count every minute, and the one reader
-- (search ranking) adds the deltas not yet folded, so what it sees is exact at every moment.
create table item_sales_pending (
  id bigint generated always as identity primary key,
  -- no foreign key: an order deleted with its item must not fail on the item's absence
  item_id uuid not null,
  delta integer not null check (delta in (-1, 1))
);
create index item_sales_pending_item_idx on item_sales_pending (item_id);

create or replace function orders_sales_count() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op in ('UPDATE', 'DELETE') and old.kind = 'item' and old.status = 'paid' then
      insert into item_sales_pending (item_id, delta) values (old.item_id, -1);
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.kind = 'item' and new.status = 'paid' then
      insert into item_sales_pending (item_id, delta) values (new.item_id, 1);
    end if;
    return null;
  end
  $$;

-- Moves the pending deltas into items.sales_count; returns how many items changed. Safe to run
-- concurrently: a delta is deleted by exactly one fold (the other waits for its row lock, then
-- finds it gone) and counted in the same transaction that deletes it.
create or replace function fold_item_sales() returns integer
  language sql
  as $$
    with taken as (delete from item_sales_pending returning item_id, delta),
    sums as (select item_id, sum(delta)::int as n from taken group by item_id),
    changed as (
      update items i set sales_count = greatest(0, i.sales_count + s.n)
        from sums s
       where i.id = s.item_id and s.n <> 0
      returning 1
    )
    select count(*)::int from changed
  $$;
