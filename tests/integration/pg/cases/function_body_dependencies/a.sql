-- SQL-standard bodies are parsed when created: what they call must exist.
CREATE SCHEMA util;
CREATE FUNCTION util.double_it(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE FUNCTION util.legacy(x int) RETURNS int LANGUAGE sql RETURN x + 1;
CREATE FUNCTION public.uses_legacy(x int) RETURNS int LANGUAGE sql RETURN util.legacy(x);
CREATE FUNCTION public.changes_result(x int) RETURNS int LANGUAGE sql RETURN x;
CREATE FUNCTION public.calls_changed(x int) RETURNS int LANGUAGE sql RETURN public.changes_result(x) + 1;
CREATE FUNCTION public.old_caller(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT public.changes_result(x); END;
