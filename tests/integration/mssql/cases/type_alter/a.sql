CREATE TYPE p FROM nvarchar(20)
