CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TYPE gone AS ENUM ('x', 'y', 'z');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a int, b text);
CREATE SEQUENCE counter START 5 INCREMENT 2;
CREATE TABLE t (id serial PRIMARY KEY, m mood DEFAULT 'sad', g gone, p posint, pr pair, tags text[],
  r int GENERATED ALWAYS AS IDENTITY (START WITH 10));
