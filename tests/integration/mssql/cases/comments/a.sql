CREATE TABLE t (a int)
EXEC sp_addextendedproperty 'MS_Description', 'old', 'SCHEMA', 'dbo', 'TABLE', 't', 'COLUMN', 'a'
