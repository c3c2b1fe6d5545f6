-- Subscription events arrive in any order. The time (the processor's `created`) of the newest
-- event that set a membership's state lets an older one that arrives late change nothing: a
-- stale "payment failed" after a later renewal, or a stale "not cancelling" after a cancel.
alter table memberships add column state_event_at timestamptz;
