-- A check-in's request and answer are kept compressed in its own row (storage
-- MAIN) instead of out of line in the TOAST table (EXTENDED, the default for
-- json). An answer is about 4.7 kB of JSON that PostgreSQL compresses to about
-- 2.5 kB: with EXTENDED that is over the 2 kB a row aims for, so it went out
-- of line, and reading a check-in meant its row, then the TOAST index, then
-- the TOAST pages. With MAIN one page read gives the whole check-in, which is
-- what a client's timeline needs when the check-ins are not in memory; writing
-- one no longer inserts TOAST chunks and their index entries either. Values
-- still go out of line if a row would not fit in a page. Rows stored before
-- this migration keep their TOAST until rewritten (VACUUM FULL check_ins).

-- +goose Up
ALTER TABLE check_ins ALTER COLUMN assessment SET STORAGE MAIN, ALTER COLUMN request SET STORAGE MAIN;

-- +goose Down
ALTER TABLE check_ins ALTER COLUMN assessment SET STORAGE EXTENDED, ALTER COLUMN request SET STORAGE EXTENDED;
