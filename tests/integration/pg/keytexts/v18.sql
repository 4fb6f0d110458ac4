-- 18: temporal keys (WITHOUT OVERLAPS, PERIOD), NOT ENFORCED
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE booking (room int, during int4range, CONSTRAINT booking_pk PRIMARY KEY (room, during WITHOUT OVERLAPS));
CREATE TABLE stay (room int, during int4range,
  CONSTRAINT stay_fk FOREIGN KEY (room, PERIOD during) REFERENCES booking (room, PERIOD during));
CREATE TABLE loose (id int PRIMARY KEY, p int, CONSTRAINT loose_fk FOREIGN KEY (p) REFERENCES loose NOT ENFORCED);
