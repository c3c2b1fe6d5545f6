-- Promo codes: a creator's codes for a discount (percent or fixed), free access, or a trial of a
-- membership tier, on all their items, one project, one item or one tier; optionally only
-- between two dates and only so many times. Codes are stored upper-case, so matching them is
-- case-insensitive and unique per creator.
create table promo_codes (
  id uuid primary key default gen_random_uuid(),
  creator_id uuid not null references users (id) on delete cascade,
  code text not null check (code ~ '^[A-Z0-9_-]{3,40}$'),
  kind text not null check (kind in ('percent', 'fixed', 'free', 'trial')),
  percent_off int check (percent_off between 1 and 100),
  -- minor units, in the creator's currency
  amount_off bigint check (amount_off between 1 and 100000000),
  currency char(3) check (currency ~ '^[A-Z]{3}$'),
  trial_days int check (trial_days between 1 and 365),
  scope text not null check (scope in ('all', 'project', 'item', 'tier')),
  project_id uuid references projects (id) on delete cascade,
  item_id uuid references items (id) on delete cascade,
  -- membership tiers arrive in migration 0012 (another module): a plain uuid, no foreign key
  tier_id uuid,
  starts_at timestamptz,
  ends_at timestamptz,
  max_redemptions int check (max_redemptions between 1 and 1000000),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (creator_id, code),
  check ((kind = 'percent') = (percent_off is not null)),
  check ((kind = 'fixed') = (amount_off is not null and currency is not null)),
  check ((kind = 'trial') = (trial_days is not null)),
  check (kind <> 'trial' or scope = 'tier'),
  check ((scope = 'project') = (project_id is not null)),
  check ((scope = 'item') = (item_id is not null)),
  check ((scope = 'tier') = (tier_id is not null)),
  check (starts_at is null or ends_at is null or starts_at < ends_at)
);
create index promo_codes_creator_idx on promo_codes (creator_id, created_at desc);

-- One row per order that used a code. The foreign key is checked at commit, so a checkout may
-- redeem before or after it inserts the order, in the same transaction. An order that fails
-- no longer counts against the usage limit.
create table promo_redemptions (
  id uuid primary key default gen_random_uuid(),
  promo_code_id uuid not null references promo_codes (id) on delete cascade,
  order_id uuid not null unique references orders (id) on delete cascade
    deferrable initially deferred,
  -- the price before the code, and what the code took off it (minor units)
  amount_before bigint not null check (amount_before >= 0),
  discount bigint not null check (discount between 0 and amount_before),
  created_at timestamptz not null default now()
);
create index promo_redemptions_code_idx on promo_redemptions (promo_code_id);
