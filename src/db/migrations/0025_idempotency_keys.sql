-- Idempotency-Key on POST under /api/v1 (API.md, "Writes that can be retried";
-- platform/http/idempotency.ts). One row per caller and key, inserted in the same transaction
-- as the request's effects and given the sealed answer before that transaction commits: a
-- committed row always holds the answer of a request that happened. A retry blocks on the
-- uncommitted row of a request still running (the unique index's wait), then replays the
-- answer or, when that request died, runs itself. Rows are good for 24 hours; the hourly
-- cleanup deletes older ones.
create table idempotency_keys (
  id uuid primary key default gen_random_uuid(),
  -- the signed-in user's id, or 'anon:' and the client's address
  caller text not null,
  key text not null check (length(key) between 1 and 255),
  -- sha256 of the method, the URL and the body bytes
  request_hash bytea not null,
  -- AES-256-GCM of the answer (status, headers, body) with the row id as associated data;
  -- null only while the request runs
  answer bytea,
  created_at timestamptz not null default now(),
  constraint idempotency_keys_caller_key_key unique (caller, key)
);

create index idempotency_keys_created_at_idx on idempotency_keys (created_at);
