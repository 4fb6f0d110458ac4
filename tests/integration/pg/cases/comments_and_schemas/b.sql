CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';
CREATE TABLE app.t (a int, b int NOT NULL);
COMMENT ON COLUMN app.t.a IS 'first, changed';
COMMENT ON COLUMN app.t.b IS 'second';
CREATE INDEX t_b ON app.t (b);
COMMENT ON INDEX app.t_b IS 'speeds up b';
