/* The same schema as hand.sql, the way SSMS "Generate Scripts" writes what
   SQL Server stores: bracketed names and types, explicit lengths, system
   names for unnamed constraints, defaults and CHECKs in stored form. */
USE [shop]
GO
/****** Object:  Schema [billing]    Script Date: 11/30/2026 10:00:00 AM ******/
CREATE SCHEMA [billing]
GO
/****** Object:  UserDefinedDataType [dbo].[Phone] ******/
CREATE TYPE [dbo].[Phone] FROM [nvarchar](30) NULL
GO
/****** Object:  Sequence [billing].[Numbers] ******/
CREATE SEQUENCE [billing].[Numbers] 
 AS [bigint]
 START WITH 1
 INCREMENT BY 1
 MINVALUE -9223372036854775808
 MAXVALUE 9223372036854775807
 CACHE 
GO
SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE TABLE [billing].[Accounts](
	[id] [int] IDENTITY(1,1) NOT NULL,
	[code] [varchar](12) NOT NULL,
	[phone] [dbo].[Phone] NULL,
	[balance] [decimal](18, 0) NOT NULL,
	[rate] [real] NULL,
	[ratio] [float] NULL,
	[kind] [varchar](10) NOT NULL,
	[opened] [datetime2](7) NOT NULL,
	[closed] [datetime2](7) NULL,
	[note] [nvarchar](1) NULL,
	[total]  AS ([balance]*(2)),
PRIMARY KEY CLUSTERED 
(
	[id] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY],
UNIQUE NONCLUSTERED 
(
	[code] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY]
) ON [PRIMARY]
GO
SET ANSI_PADDING ON
GO
/****** Object:  Index [ix_open] ******/
CREATE NONCLUSTERED INDEX [ix_open] ON [billing].[Accounts]
(
	[opened] DESC
)
WHERE ([closed] IS NULL)
WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, SORT_IN_TEMPDB = OFF, DROP_EXISTING = OFF, ONLINE = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON, OPTIMIZE_FOR_SEQUENTIAL_KEY = OFF) ON [PRIMARY]
GO
ALTER TABLE [billing].[Accounts] ADD  DEFAULT ((0)) FOR [balance]
GO
ALTER TABLE [billing].[Accounts] ADD  DEFAULT ((-1.5)) FOR [ratio]
GO
ALTER TABLE [billing].[Accounts] ADD  DEFAULT ('std') FOR [kind]
GO
ALTER TABLE [billing].[Accounts] ADD  DEFAULT (getdate()) FOR [opened]
GO
ALTER TABLE [billing].[Accounts]  WITH CHECK ADD  CONSTRAINT [ck_dates] CHECK  (([closed] IS NULL OR [closed]>=[opened]))
GO
ALTER TABLE [billing].[Accounts] CHECK CONSTRAINT [ck_dates]
GO
ALTER TABLE [billing].[Accounts]  WITH CHECK ADD  CONSTRAINT [CK__Accounts__kind__3B75D760] CHECK  (([kind]='std' OR [kind]='gold'))
GO
ALTER TABLE [billing].[Accounts] CHECK CONSTRAINT [CK__Accounts__kind__3B75D760]
GO
/****** Object:  View [billing].[OpenAccounts] ******/
SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE VIEW [billing].[OpenAccounts] AS
SELECT a.id, a.code FROM billing.Accounts AS a JOIN billing.Accounts b ON b.id = a.id
WHERE a.closed IS NULL
GO
