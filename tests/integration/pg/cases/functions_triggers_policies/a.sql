CREATE TABLE acct (id int PRIMARY KEY, owner text, balance int);
CREATE FUNCTION next_id() RETURNS int LANGUAGE sql AS 'SELECT coalesce(max(id), 0) + 1 FROM public.acct';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER acct_touch BEFORE UPDATE ON acct FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY own ON acct USING (owner = current_user);
ALTER TABLE acct ENABLE ROW LEVEL SECURITY;
