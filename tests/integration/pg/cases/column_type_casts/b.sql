CREATE TABLE events (id int PRIMARY KEY, flag int, amount numeric(12,2), code text, label bigint,
  span interval day to second(3), at timestamp(3) with time zone, ids bigint[], tags int[],
  ratio numeric);
