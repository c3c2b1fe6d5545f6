-- An apply job takes along the other events waiting to be applied, oldest first
-- (payments/apply-batch.repository.ts, findEventsToApply): unapplied events by arrival, so the
-- look-up reads the oldest few instead of every event ever received.
create index payment_events_unapplied_received_idx
  on payment_events (received_at)
  where applied_at is null;
