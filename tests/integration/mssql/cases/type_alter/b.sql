CREATE TYPE p FROM nvarchar(30)
