-- Composite types whose names need quotes, used by other composite types,
-- domains and ranges; new ones are named so that name order is the wrong
-- creation order.
CREATE SCHEMA "Geo Data";
CREATE TYPE "Point 2D" AS (x double precision, y double precision);
CREATE TYPE "Geo Data"."Lat""Lon" AS (lat double precision, lon double precision);
CREATE TYPE segment AS (a "Point 2D", b "Point 2D");
CREATE TABLE places (id int PRIMARY KEY, at "Geo Data"."Lat""Lon");
