-- Data for 0022: creators who left before the column existed start their grace period now,
-- and paid texts already indexed lose their bodies from the index.
update users set left_at = now() where status <> 'active' and left_at is null;

select refresh_item_search(array_agg(id))
  from items
 where price_model <> 'free' and body <> '';
