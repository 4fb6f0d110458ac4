CREATE SCHEMA app;
CREATE SCHEMA old_stuff;
CREATE TABLE app.t (a int, b int);
COMMENT ON COLUMN app.t.a IS 'first';
CREATE TABLE old_stuff.junk (x int);
