CREATE TABLE [we]]ird] ([x'y] int CHECK ([x'y] > 0), [a"b] int CONSTRAINT [d]]f] DEFAULT 1)
