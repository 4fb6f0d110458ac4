-- Column type changes the server can cast (pg_cast, I/O through text,
-- typmods of one type, arrays element by element): the plan must not
-- take them for changes without a cast.
CREATE TABLE events (id int PRIMARY KEY, flag boolean, amount int, code int, label text,
  span interval, at timestamp(0), ids int[], tags text[], ratio real);
INSERT INTO events VALUES (1, true, 5, 7, '42', '1 day', '2024-01-02 03:04:05', '{1,2}', '{3}', 0.5);
