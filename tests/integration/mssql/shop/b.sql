/* The shop database of a.sql after drifting (see expected_changes.txt). A shop database as SSMS "Generate Scripts" and people write them: 30
   tables in five schemas, keys, foreign keys, filtered indexes, computed
   columns, defaults named and unnamed, views, procedures, a function,
   triggers, a sequence, an alias type and descriptions. */
SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE SCHEMA [hr] AUTHORIZATION [dbo]
GO
CREATE SCHEMA [sales]
GO
CREATE SCHEMA [inventory]
GO
CREATE SCHEMA [billing]
GO
CREATE TYPE [dbo].[Phone] FROM [nvarchar](30) NULL
GO
CREATE SEQUENCE [sales].[OrderNumbers] AS [bigint] START WITH 1000 INCREMENT BY 1 CACHE 50
GO
/****** Object:  Table [dbo].[Settings] ******/
CREATE TABLE [dbo].[Settings](
	[SettingKey] [varchar](100) NOT NULL,
	[Value] [nvarchar](max) NULL,
	[IsSecret] [bit] NOT NULL,
 CONSTRAINT [PK_Settings] PRIMARY KEY CLUSTERED
(
	[SettingKey] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON) ON [PRIMARY]
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
ALTER TABLE [dbo].[Settings] ADD  CONSTRAINT [DF_Settings_IsSecret]  DEFAULT ((1)) FOR [IsSecret]
GO
CREATE TABLE [dbo].[AuditLog](
	[AuditId] [bigint] IDENTITY(1,1) NOT NULL,
	[TableName] [sysname] NOT NULL,
	[Action] [char](1) NOT NULL,
	[ChangedAt] [datetime2](3) NOT NULL,
	[ChangedBy] [nvarchar](128) NOT NULL,
 CONSTRAINT [PK_AuditLog] PRIMARY KEY CLUSTERED ([AuditId] ASC) ON [PRIMARY]
) ON [PRIMARY]
GO
ALTER TABLE [dbo].[AuditLog] ADD  DEFAULT (sysutcdatetime()) FOR [ChangedAt]
GO
ALTER TABLE [dbo].[AuditLog] ADD  DEFAULT (suser_sname()) FOR [ChangedBy]
GO
ALTER TABLE [dbo].[AuditLog]  WITH CHECK ADD  CONSTRAINT [CK_AuditLog_Action] CHECK  (([Action]='D' OR [Action]='U' OR [Action]='I'))
GO
ALTER TABLE [dbo].[AuditLog] CHECK CONSTRAINT [CK_AuditLog_Action]
GO

-- hr ------------------------------------------------------------------------
CREATE TABLE hr.Departments (
    DepartmentId int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Departments PRIMARY KEY,
    Name nvarchar(100) NOT NULL CONSTRAINT UQ_Departments_Name UNIQUE,
    ParentId int NULL,
    CostCenter char(6) NULL
);
ALTER TABLE hr.Departments ADD CONSTRAINT FK_Departments_Parent FOREIGN KEY (ParentId) REFERENCES hr.Departments (DepartmentId);
CREATE TABLE hr.Employees (
    EmployeeId int IDENTITY(1, 1) NOT NULL,
    FirstName nvarchar(50) NOT NULL,
    LastName nvarchar(50) NOT NULL,
    FullName AS (FirstName + N' ' + LastName),
    Email varchar(254) NOT NULL,
    Phone dbo.Phone NULL,
    DepartmentId int NOT NULL,
    ManagerId int NULL,
    HiredOn date NOT NULL CONSTRAINT DF_Employees_HiredOn DEFAULT (CONVERT(date, GETDATE())),
    TerminatedOn date NULL,
    RowGuid uniqueidentifier ROWGUIDCOL NOT NULL DEFAULT NEWSEQUENTIALID(),
    CONSTRAINT PK_Employees PRIMARY KEY CLUSTERED (EmployeeId),
    CONSTRAINT FK_Employees_Department FOREIGN KEY (DepartmentId) REFERENCES hr.Departments (DepartmentId),
    CONSTRAINT FK_Employees_Manager FOREIGN KEY (ManagerId) REFERENCES hr.Employees (EmployeeId),
    CONSTRAINT CK_Employees_Dates CHECK (TerminatedOn IS NULL OR TerminatedOn >= HiredOn)
);
CREATE UNIQUE NONCLUSTERED INDEX UX_Employees_Email ON hr.Employees (Email) WHERE TerminatedOn IS NULL;
CREATE INDEX IX_Employees_Department ON hr.Employees (DepartmentId) INCLUDE (LastName, FirstName);
CREATE TABLE hr.Positions (
    PositionId int NOT NULL PRIMARY KEY,
    Title nvarchar(100) NOT NULL,
    MinSalary decimal(12, 2) NOT NULL,
    MaxSalary decimal(12, 2) NOT NULL,
    CHECK (MaxSalary >= MinSalary)
);
CREATE TABLE hr.EmployeePositions (
    EmployeeId int NOT NULL REFERENCES hr.Employees (EmployeeId) ON DELETE CASCADE,
    PositionId int NOT NULL REFERENCES hr.Positions,
    StartedOn date NOT NULL,
    EndedOn date NULL,
    PRIMARY KEY (EmployeeId, PositionId, StartedOn)
);
CREATE TABLE hr.Salaries (
    EmployeeId int NOT NULL,
    EffectiveOn date NOT NULL,
    Amount money NOT NULL,
    Currency char(3) NOT NULL DEFAULT 'EUR',
    CONSTRAINT PK_Salaries PRIMARY KEY (EmployeeId, EffectiveOn DESC),
    CONSTRAINT FK_Salaries_Employee FOREIGN KEY (EmployeeId) REFERENCES hr.Employees (EmployeeId) ON DELETE CASCADE,
    CONSTRAINT CK_Salaries_Amount CHECK (Amount > 0)
);
CREATE TABLE hr.TimeOff (
    TimeOffId int IDENTITY NOT NULL PRIMARY KEY NONCLUSTERED,
    EmployeeId int NOT NULL FOREIGN KEY REFERENCES hr.Employees (EmployeeId),
    FromDate date NOT NULL,
    ToDate date NOT NULL,
    Kind varchar(20) NOT NULL CHECK (Kind IN ('vacation', 'sick', 'unpaid')),
    Days AS (DATEDIFF(day, FromDate, ToDate) + 1) PERSISTED
);
CREATE CLUSTERED INDEX CX_TimeOff_Employee ON hr.TimeOff (EmployeeId, FromDate);
GO

-- sales ---------------------------------------------------------------------
CREATE TABLE [sales].[Customers] (
    [CustomerId] int IDENTITY(1,1) NOT NULL,
    [Email] nvarchar(320) NOT NULL,
    [Name] nvarchar(200) NOT NULL,
    [Phone] [dbo].[Phone] NULL,
    [CreatedAt] datetime2 NOT NULL CONSTRAINT [DF_Customers_CreatedAt] DEFAULT SYSUTCDATETIME(),
    [IsDeleted] bit NOT NULL CONSTRAINT [DF_Customers_IsDeleted] DEFAULT 0,
    [LoyaltyTier] tinyint NULL,
    CONSTRAINT [PK_Customers] PRIMARY KEY CLUSTERED ([CustomerId])
);
CREATE UNIQUE INDEX [UX_Customers_Email] ON [sales].[Customers] ([Email]) WHERE [IsDeleted] = 0;
CREATE TABLE [sales].[Addresses] (
    [AddressId] int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    [CustomerId] int NOT NULL,
    [Line1] nvarchar(200) NOT NULL,
    [Line2] nvarchar(200) SPARSE NULL,
    [City] nvarchar(100) NOT NULL,
    [PostalCode] varchar(20) NOT NULL,
    [Country] char(2) NOT NULL CONSTRAINT [DF_Addresses_Country] DEFAULT ('FR'),
    CONSTRAINT [FK_Addresses_Customer] FOREIGN KEY ([CustomerId]) REFERENCES [sales].[Customers] ([CustomerId]) ON DELETE CASCADE
);
CREATE TABLE sales.Carriers (
    CarrierId smallint NOT NULL PRIMARY KEY,
    Name nvarchar(100) NOT NULL,
    TrackingUrl nvarchar(400) NULL
);
CREATE TABLE sales.Orders (
    OrderId bigint NOT NULL CONSTRAINT DF_Orders_OrderId DEFAULT (NEXT VALUE FOR sales.OrderNumbers),
    CustomerId int NOT NULL,
    ShippingAddressId int NULL,
    Status varchar(10) NOT NULL CONSTRAINT DF_Orders_Status DEFAULT 'open',
    OrderedAt datetime2(0) NOT NULL CONSTRAINT DF_Orders_OrderedAt DEFAULT (CURRENT_TIMESTAMP),
    Total decimal(14, 2) NOT NULL CONSTRAINT DF_Orders_Total DEFAULT 0,
    Notes nvarchar(1000) COLLATE Latin1_General_CI_AI NULL,
    CONSTRAINT PK_Orders PRIMARY KEY (OrderId),
    CONSTRAINT FK_Orders_Customer FOREIGN KEY (CustomerId) REFERENCES sales.Customers (CustomerId),
    CONSTRAINT FK_Orders_Address FOREIGN KEY (ShippingAddressId) REFERENCES sales.Addresses (AddressId),
    CONSTRAINT CK_Orders_Status CHECK (Status IN ('open', 'held', 'paid', 'shipped', 'cancelled'))
);
CREATE INDEX IX_Orders_Open ON sales.Orders (OrderedAt DESC) INCLUDE (CustomerId, Total) WHERE Status IN ('open', 'held');
CREATE INDEX IX_Orders_Customer ON sales.Orders (CustomerId, OrderedAt);
CREATE TABLE sales.OrderLines (
    OrderId bigint NOT NULL,
    LineNumber smallint NOT NULL,
    ProductId int NOT NULL,
    Quantity int NOT NULL,
    UnitPrice decimal(12, 2) NOT NULL,
    Discount decimal(5, 4) NOT NULL DEFAULT 0,
    LineTotal AS (Quantity * UnitPrice * (1 - Discount)) PERSISTED,
    CONSTRAINT PK_OrderLines PRIMARY KEY (OrderId, LineNumber),
    CONSTRAINT FK_OrderLines_Order FOREIGN KEY (OrderId) REFERENCES sales.Orders (OrderId) ON DELETE CASCADE,
    CONSTRAINT CK_OrderLines_Quantity CHECK (Quantity > 0 AND Quantity <= 1000),
    CONSTRAINT CK_OrderLines_Discount CHECK (Discount BETWEEN 0 AND 1)
);
CREATE TABLE sales.Payments (
    PaymentId uniqueidentifier NOT NULL DEFAULT NEWID() PRIMARY KEY NONCLUSTERED,
    OrderId bigint NOT NULL REFERENCES sales.Orders (OrderId),
    Amount decimal(14, 2) NOT NULL,
    Method varchar(20) NOT NULL,
    PaidAt datetime2 NOT NULL,
    Reference nvarchar(100) NULL
);
CREATE INDEX IX_Payments_Order ON sales.Payments (OrderId, PaidAt);
CREATE TABLE sales.Coupons (
    CouponId int IDENTITY(1,1) PRIMARY KEY,
    Code varchar(40) NOT NULL,
    Percentage tinyint NOT NULL CHECK (Percentage BETWEEN 1 AND 100),
    ValidUntil date NULL
);
CREATE TABLE sales.OrderCoupons (
    OrderId bigint NOT NULL FOREIGN KEY REFERENCES sales.Orders (OrderId),
    CouponId int NOT NULL FOREIGN KEY REFERENCES sales.Coupons (CouponId),
    PRIMARY KEY (OrderId, CouponId)
);
CREATE TABLE sales.Shipments (
    ShipmentId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    OrderId bigint NOT NULL,
    CarrierId smallint NOT NULL,
    TrackingCode varchar(64) NULL,
    ShippedAt datetime2 NULL,
    DeliveredAt datetime2 NULL,
    CONSTRAINT FK_Shipments_Order FOREIGN KEY (OrderId) REFERENCES sales.Orders (OrderId),
    CONSTRAINT FK_Shipments_Carrier FOREIGN KEY (CarrierId) REFERENCES sales.Carriers (CarrierId)
);
CREATE INDEX IX_Shipments_Pending ON sales.Shipments (CarrierId) WHERE DeliveredAt IS NULL;
CREATE TABLE sales.Returns (
    ReturnId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    OrderId bigint NOT NULL,
    LineNumber smallint NOT NULL,
    Reason nvarchar(500) NULL,
    CONSTRAINT FK_Returns_Line FOREIGN KEY (OrderId, LineNumber) REFERENCES sales.OrderLines (OrderId, LineNumber)
);
GO

-- inventory -------------------------------------------------------------------
CREATE TABLE inventory.Warehouses (
    WarehouseId smallint NOT NULL PRIMARY KEY,
    Code char(4) NOT NULL UNIQUE,
    City nvarchar(100) NOT NULL
);
CREATE TABLE inventory.Suppliers (
    SupplierId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    Name nvarchar(200) NOT NULL,
    Phone dbo.Phone NULL,
    Rating tinyint NULL CHECK (Rating <= 5)
);
CREATE TABLE inventory.Categories (
    CategoryId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    ParentId int NULL REFERENCES inventory.Categories (CategoryId),
    Name nvarchar(100) NOT NULL
);
CREATE TABLE inventory.Products (
    ProductId int IDENTITY(1,1) NOT NULL,
    Sku varchar(32) NOT NULL,
    Name nvarchar(200) NOT NULL,
    SupplierId int NULL,
    Price decimal(12, 2) NOT NULL,
    Cost decimal(12, 2) NOT NULL,
    Margin AS (Price - Cost) PERSISTED,
    Discontinued bit NOT NULL DEFAULT 0,
    CONSTRAINT PK_Products PRIMARY KEY (ProductId),
    CONSTRAINT UQ_Products_Sku UNIQUE NONCLUSTERED (Sku),
    CONSTRAINT FK_Products_Supplier FOREIGN KEY (SupplierId) REFERENCES inventory.Suppliers (SupplierId) ON DELETE SET NULL
);
CREATE INDEX IX_Products_Active ON inventory.Products (SupplierId, Price) WHERE Discontinued = 0;
ALTER TABLE sales.OrderLines WITH NOCHECK ADD CONSTRAINT FK_OrderLines_Product FOREIGN KEY (ProductId) REFERENCES inventory.Products (ProductId);
CREATE TABLE inventory.ProductCategories (
    ProductId int NOT NULL,
    CategoryId int NOT NULL,
    CONSTRAINT PK_ProductCategories PRIMARY KEY (ProductId, CategoryId),
    CONSTRAINT FK_ProductCategories_Product FOREIGN KEY (ProductId) REFERENCES inventory.Products (ProductId) ON DELETE CASCADE,
    CONSTRAINT FK_ProductCategories_Category FOREIGN KEY (CategoryId) REFERENCES inventory.Categories (CategoryId) ON DELETE CASCADE
);
CREATE TABLE inventory.Stock (
    WarehouseId smallint NOT NULL,
    ProductId int NOT NULL,
    OnHand int NOT NULL DEFAULT 0,
    Reserved int NOT NULL DEFAULT 0,
    Available AS (OnHand - Reserved),
    CONSTRAINT PK_Stock PRIMARY KEY (WarehouseId, ProductId),
    CONSTRAINT FK_Stock_Warehouse FOREIGN KEY (WarehouseId) REFERENCES inventory.Warehouses (WarehouseId),
    CONSTRAINT FK_Stock_Product FOREIGN KEY (ProductId) REFERENCES inventory.Products (ProductId),
    CONSTRAINT CK_Stock_NonNegative CHECK (OnHand >= 0 AND Reserved >= 0)
);
CREATE TABLE inventory.PurchaseOrders (
    PurchaseOrderId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    SupplierId int NOT NULL REFERENCES inventory.Suppliers (SupplierId),
    WarehouseId smallint NOT NULL REFERENCES inventory.Warehouses (WarehouseId),
    OrderedOn date NOT NULL,
    ExpectedOn date NULL
);
CREATE TABLE inventory.PurchaseOrderLines (
    PurchaseOrderId int NOT NULL REFERENCES inventory.PurchaseOrders (PurchaseOrderId) ON DELETE CASCADE,
    ProductId int NOT NULL REFERENCES inventory.Products (ProductId),
    Quantity int NOT NULL CHECK (Quantity > 0),
    UnitCost decimal(12, 2) NOT NULL,
    PRIMARY KEY (PurchaseOrderId, ProductId)
);
CREATE TABLE inventory.PriceHistory (
    ProductId int NOT NULL REFERENCES inventory.Products (ProductId) ON DELETE CASCADE,
    ChangedAt datetime2 NOT NULL DEFAULT SYSUTCDATETIME(),
    OldPrice decimal(12, 2) NULL,
    NewPrice decimal(12, 2) NOT NULL,
    PRIMARY KEY (ProductId, ChangedAt)
);
GO

-- billing ---------------------------------------------------------------------
CREATE TABLE billing.Invoices (
    InvoiceId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    OrderId bigint NOT NULL UNIQUE REFERENCES sales.Orders (OrderId),
    IssuedOn date NOT NULL,
    DueOn AS (DATEADD(day, 30, IssuedOn)),
    Net decimal(14, 2) NOT NULL,
    Tax decimal(14, 2) NOT NULL,
    Gross AS (Net + Tax) PERSISTED
);
CREATE TABLE billing.InvoiceLines (
    InvoiceId int NOT NULL REFERENCES billing.Invoices (InvoiceId) ON DELETE CASCADE,
    LineNumber smallint NOT NULL,
    Description nvarchar(400) NOT NULL,
    Amount decimal(14, 2) NOT NULL,
    PRIMARY KEY (InvoiceId, LineNumber)
);
CREATE TABLE billing.CreditNotes (
    CreditNoteId int IDENTITY(1,1) NOT NULL PRIMARY KEY,
    InvoiceId int NOT NULL REFERENCES billing.Invoices (InvoiceId),
    Amount decimal(14, 2) NOT NULL CHECK (Amount > 0),
    IssuedOn date NOT NULL DEFAULT GETDATE()
);
GO

-- modules -----------------------------------------------------------------------
CREATE FUNCTION sales.fn_OrderTotal (@OrderId bigint)
RETURNS decimal(14, 2)
AS
BEGIN
    DECLARE @total decimal(14, 2);
    SELECT @total = SUM(LineTotal) FROM sales.OrderLines WHERE OrderId = @OrderId;
    RETURN ISNULL(@total, 0);
END
GO
CREATE VIEW sales.vOpenOrders
AS
SELECT o.OrderId, o.CustomerId, c.Name AS CustomerName, o.OrderedAt, o.Total
FROM sales.Orders AS o
INNER JOIN sales.Customers AS c ON c.CustomerId = o.CustomerId
WHERE o.Status IN ('open', 'held')
GO
CREATE VIEW sales.vCustomerTotals WITH SCHEMABINDING
AS
SELECT o.CustomerId, COUNT_BIG(*) AS Orders, SUM(o.Total) AS Spent
FROM sales.Orders AS o
GROUP BY o.CustomerId
GO
CREATE VIEW sales.vBigOpenOrders AS
SELECT OrderId, CustomerName, Total FROM sales.vOpenOrders WHERE Total > 1000
GO
CREATE VIEW inventory.vLowStock AS
SELECT s.WarehouseId, p.Sku, s.Available
FROM inventory.Stock s JOIN inventory.Products p ON p.ProductId = s.ProductId
WHERE s.Available < 10
GO
CREATE PROCEDURE hr.usp_GiveRaise
    @EmployeeId int,
    @Percent decimal(5, 2)
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO hr.Salaries (EmployeeId, EffectiveOn, Amount, Currency)
    SELECT TOP (1) EmployeeId, CONVERT(date, GETDATE()), Amount * (1 + @Percent / 100), Currency
    FROM hr.Salaries WHERE EmployeeId = @EmployeeId AND @Percent > 0 ORDER BY EffectiveOn DESC;
END
GO
CREATE PROCEDURE [sales].[usp_CancelOrder] @OrderId bigint
AS
    SET NOCOUNT ON
    UPDATE sales.Orders SET Status = 'cancelled' WHERE OrderId = @OrderId AND Status IN ('open', 'held')
GO
CREATE TRIGGER [inventory].[trg_Products_Price] ON [inventory].[Products]
AFTER UPDATE
AS
    SET NOCOUNT ON
    IF UPDATE(Price)
        INSERT INTO inventory.PriceHistory (ProductId, OldPrice, NewPrice)
        SELECT i.ProductId, d.Price, i.Price FROM inserted i JOIN deleted d ON d.ProductId = i.ProductId
GO

-- descriptions ------------------------------------------------------------------
EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'Departments form a tree (ParentId); the root has none.',
    @level0type = N'SCHEMA', @level0name = N'hr', @level1type = N'TABLE', @level1name = N'Departments'
GO
EXEC sys.sp_addextendedproperty @name=N'MS_Description', @value=N'Sum of the lines, tax included' , @level0type=N'SCHEMA',@level0name=N'sales', @level1type=N'TABLE',@level1name=N'Orders', @level2type=N'COLUMN',@level2name=N'Total'
GO
EXEC sp_addextendedproperty N'MS_Description', N'Open orders with their customer', N'SCHEMA', N'sales', N'VIEW', N'vOpenOrders'
GO
