-- What the processor kept of a payment, on the order itself: receipts, the thank-you page and
-- order history show it (the ledger has it too, as postings, but not by order).
alter table orders add column processor_fee bigint check (processor_fee >= 0);
