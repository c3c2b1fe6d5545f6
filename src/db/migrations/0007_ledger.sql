-- The double-entry ledger: money in integer minor units, append-only, every transaction balanced
-- per currency. Sign convention: a positive amount is a debit, a negative amount a credit.
-- Creator accounts (pending, available, in_transit) are liabilities, so their balance is minus
-- the sum of their postings; processor_clearing is an asset (balance = the sum). See
-- src/modules/ledger/ledger.accounts.ts for the whole scheme.
create table ledger_transactions (
  id uuid primary key default gen_random_uuid(),
  -- one business event, one key: sale:<order>, refund:<event>, payout:<id>:reserve, …
  idempotency_key text not null unique check (length(idempotency_key) between 1 and 200),
  kind text not null check (kind in (
    'sale', 'refund', 'dispute', 'dispute_won', 'release',
    'payout_reserve', 'payout_paid', 'payout_failed', 'adjustment'
  )),
  order_id uuid,
  payout_id uuid,
  occurred_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  metadata jsonb not null default '{}'
);
create index ledger_transactions_order_idx on ledger_transactions (order_id)
  where order_id is not null;
-- An order is sold once and released once; a payout ends once, paid or failed, never both.
create unique index ledger_transactions_sale_key on ledger_transactions (order_id)
  where kind = 'sale';
create unique index ledger_transactions_release_key on ledger_transactions (order_id)
  where kind = 'release';
create unique index ledger_transactions_payout_reserve_key on ledger_transactions (payout_id)
  where kind = 'payout_reserve';
create unique index ledger_transactions_payout_end_key on ledger_transactions (payout_id)
  where kind in ('payout_paid', 'payout_failed');

create table ledger_postings (
  id bigserial primary key,
  transaction_id uuid not null references ledger_transactions (id),
  account text not null
    check (account ~ '^(creator:[0-9a-f-]{36}:[a-z_]+|[a-z_]+)$'),
  -- the creator an account belongs to, or the sale a platform posting was made for
  creator_id uuid references users (id),
  amount bigint not null check (amount <> 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  -- on a sale's pending credit: when the hold ends
  release_at timestamptz,
  check (account not like 'creator:%'
    or (creator_id is not null and split_part(account, ':', 2) = creator_id::text))
);
create index ledger_postings_transaction_idx on ledger_postings (transaction_id);
create index ledger_postings_account_idx on ledger_postings (account, currency);
create index ledger_postings_creator_idx on ledger_postings (creator_id, currency)
  where creator_id is not null;
-- releaseDue's search for sales whose hold has ended
create index ledger_postings_release_idx on ledger_postings (release_at)
  where release_at is not null and account = 'processor_clearing';

-- created_at is always the inserting transaction's start, so a posting can be checked to
-- belong to a ledger transaction written in the same database transaction.
create function ledger_transactions_stamp() returns trigger language plpgsql as $$
begin
  new.created_at := now();
  return new;
end $$;
create trigger ledger_transactions_stamp before insert on ledger_transactions
  for each row execute function ledger_transactions_stamp();

create function ledger_postings_same_transaction() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from ledger_transactions
                 where id = new.transaction_id and created_at = now()) then
    raise exception 'ledger transaction % is closed: postings are added only when it is written',
      new.transaction_id using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger ledger_postings_same_transaction before insert on ledger_postings
  for each row execute function ledger_postings_same_transaction();

-- History is never rewritten: corrections are new transactions.
create function ledger_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only: % on % is refused', tg_op, tg_table_name
    using errcode = 'restrict_violation';
end $$;
create trigger ledger_transactions_append_only before update or delete on ledger_transactions
  for each row execute function ledger_refuse_change();
create trigger ledger_transactions_no_truncate before truncate on ledger_transactions
  for each statement execute function ledger_refuse_change();
create trigger ledger_postings_append_only before update or delete on ledger_postings
  for each row execute function ledger_refuse_change();
create trigger ledger_postings_no_truncate before truncate on ledger_postings
  for each statement execute function ledger_refuse_change();

-- Checked at commit, once all of a transaction's postings are in.
create function ledger_check_balanced() returns trigger language plpgsql as $$
declare
  unbalanced record;
begin
  select currency, sum(amount) as total into unbalanced
    from ledger_postings where transaction_id = new.transaction_id
    group by currency having sum(amount) <> 0 limit 1;
  if found then
    raise exception 'ledger transaction % does not balance: % % off',
      new.transaction_id, unbalanced.total, unbalanced.currency
      using errcode = 'check_violation';
  end if;
  return null;
end $$;
create constraint trigger ledger_postings_balanced after insert on ledger_postings
  deferrable initially deferred
  for each row execute function ledger_check_balanced();
