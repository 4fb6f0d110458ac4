-- The same schema as ssms.sql, as a person writes it.
create schema billing;
go
create type dbo.Phone from nvarchar(30);
create sequence billing.Numbers start with 1;
create table billing.Accounts (
    id integer identity primary key,
    code character varying(12) not null unique,
    phone Phone,
    balance dec not null default 0,
    rate float(24),
    ratio double precision default -1.5,
    kind varchar(10) not null default 'std' check (kind in ('std', 'gold')),
    opened datetime2 not null default current_timestamp,
    closed datetime2,
    note nvarchar,
    total as (balance * 2),
    constraint ck_dates check (closed is null or closed >= opened)
);
create index ix_open on billing.Accounts (opened desc) where closed is null;
go
create view billing.OpenAccounts as
select a.id, a.code from billing.Accounts as a inner join billing.Accounts b on b.id = a.id
where a.closed is null
go
