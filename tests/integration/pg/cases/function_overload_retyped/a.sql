-- An overload whose argument type changes is another function: the plan
-- drops twice(integer) and creates twice(bigint), and must not restore the
-- old one's grants onto a signature that no longer exists. grant_me keeps
-- its signature while its result type changes: it is recreated, and its
-- grant comes back.
DO $$ BEGIN CREATE ROLE function_overload_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION twice(x integer) RETURNS integer AS $$ BEGIN RETURN x * 2; END; $$ LANGUAGE plpgsql;
CREATE FUNCTION twice(x text) RETURNS text AS $$ BEGIN RETURN x || x; END; $$ LANGUAGE plpgsql;
REVOKE ALL ON FUNCTION twice(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION twice(text) TO function_overload_reader;
CREATE FUNCTION grant_me(x integer) RETURNS integer AS $$ BEGIN RETURN x; END; $$ LANGUAGE plpgsql;
REVOKE ALL ON FUNCTION grant_me(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grant_me(integer) TO function_overload_reader;
