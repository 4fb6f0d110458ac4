CREATE TABLE [we]]ird] ([a"b] int, [new]]col] nvarchar(10) NOT NULL DEFAULT N'it''s')
CREATE INDEX [ix]]1] ON [we]]ird] ([new]]col]) WHERE [new]]col] <> N'x'
