-- New functions calling each other across schemas, named so that name
-- order is the wrong creation order; util.legacy and its caller go away
-- (the caller first); changes_result changes its result type, so it is
-- dropped and created again with calls_changed around it, and old_caller,
-- which calls it and goes for good, is dropped before it.
CREATE SCHEMA util;
CREATE SCHEMA api;
CREATE FUNCTION util.double_it(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE FUNCTION util.zz_base(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x + 10;
CREATE FUNCTION api.ab_mid(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN util.zz_base(x) - 1;
CREATE FUNCTION api.aa_quad(x int) RETURNS int LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
  SELECT util.double_it(util.double_it(api.ab_mid(x)));
END;
CREATE FUNCTION public.changes_result(x int) RETURNS bigint LANGUAGE sql RETURN x;
CREATE FUNCTION public.calls_changed(x int) RETURNS bigint LANGUAGE sql RETURN public.changes_result(x) + 1;
