-- A file uploaded as the new version of another: when it is ready, the one it replaces goes (in
-- the transaction that marks it ready), so buyers always have a working file. If the new one
-- fails, the old one stays. A replaced file deleted meanwhile leaves nothing to replace.
alter table files
  add column replaces_file_id uuid references files (id) on delete set null;
