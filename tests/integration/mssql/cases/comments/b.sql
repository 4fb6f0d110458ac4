CREATE TABLE t (a int, b int)
EXEC sp_addextendedproperty 'MS_Description', 'b col', 'SCHEMA', 'dbo', 'TABLE', 't', 'COLUMN', 'b'
EXEC sp_addextendedproperty 'MS_Description', 'tbl', 'SCHEMA', 'dbo', 'TABLE', 't'
