CREATE SCHEMA "Geo Data";
CREATE TYPE "Point 2D" AS (x double precision, y double precision);
CREATE TYPE "Geo Data"."Lat""Lon" AS (lat double precision, lon double precision);
CREATE TYPE segment AS (a "Point 2D", b "Point 2D", c "Point 2D"[], w "Geo Data"."Lat""Lon");
CREATE TYPE "Z Stop" AS (at "Geo Data"."Lat""Lon", name text);
CREATE TYPE "Route" AS (start "Z Stop", stops "Z Stop"[], legs segment[]);
CREATE DOMAIN "A Checked Stop" AS "Z Stop" CHECK ((VALUE).name <> '');
CREATE TYPE "B Stop Span" AS RANGE (subtype = "Z Stop");
CREATE TABLE places (id int PRIMARY KEY, at "Geo Data"."Lat""Lon", path "Route", stop "A Checked Stop",
  span "B Stop Span");
