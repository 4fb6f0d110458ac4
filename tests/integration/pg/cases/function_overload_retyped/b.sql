DO $$ BEGIN CREATE ROLE function_overload_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION twice(x bigint) RETURNS bigint AS $$ BEGIN RETURN x * 2; END; $$ LANGUAGE plpgsql;
CREATE FUNCTION twice(x text) RETURNS text AS $$ BEGIN RETURN x || x; END; $$ LANGUAGE plpgsql;
REVOKE ALL ON FUNCTION twice(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION twice(text) TO function_overload_reader;
CREATE FUNCTION grant_me(x integer) RETURNS bigint AS $$ BEGIN RETURN x; END; $$ LANGUAGE plpgsql;
REVOKE ALL ON FUNCTION grant_me(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION grant_me(integer) TO function_overload_reader;
