-- Applying a payment wakes the events of the same payment that arrived too early (a refund
-- before its checkout). Finding them joined every queued job to payment_events: with a few
-- thousand events queued that scan was the biggest CPU cost of applying one (webhook bench).
-- Unapplied events by their payment, so the look-up starts from the few that can be waiting.
create index payment_events_unapplied_payment_idx
  on payment_events ((payload -> 'data' -> 'object' ->> 'payment_intent'))
  where applied_at is null;
