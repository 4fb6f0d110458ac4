CREATE TABLE [a b](`c d` "e", f);
-- comment
/* block */ CREATE VIEW v AS SELECT 1;
