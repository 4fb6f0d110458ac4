CREATE TABLE t (a int IDENTITY(1,1), b int)
