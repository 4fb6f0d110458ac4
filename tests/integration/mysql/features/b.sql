-- The target of a.sql: see a.sql.
CREATE TABLE `parent` (
  `id` bigint NOT NULL,
  `code` varchar(10) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `code` (`code`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `child` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `new_first` int NOT NULL DEFAULT 5,
  `a` varchar(40) NOT NULL DEFAULT 'y' COMMENT 'renamed default',
  `parent_id` bigint DEFAULT NULL,
  `c` enum('one','two','three') DEFAULT 'one',
  `b` bigint unsigned DEFAULT 1,
  `d` text,
  `e` timestamp(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
  `f` int DEFAULT 1,
  `g` int AS (`b` * 3) STORED,
  `h` varchar(8) COLLATE utf8mb4_bin DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `k_a` (`a`(10)),
  KEY `k_desc` (`b` DESC) COMMENT 'new',
  KEY `k_new` (`new_first`, `a`),
  KEY `k_hidden` (`c`) IGNORED,
  CONSTRAINT `fk_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT `chk_b` CHECK (`b` >= 1),
  CONSTRAINT `chk_c` CHECK (`c` <> 'two')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=COMPACT COMMENT='child rows, v2';

CREATE TABLE `weird ``name``` (
  `col ``x``` int NOT NULL,
  `naïve` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,
  `it's` int DEFAULT NULL COMMENT 'it''s a \\ backslash',
  PRIMARY KEY (`col ``x```)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE `logs` (
  `id` int NOT NULL,
  `y` int NOT NULL,
  PRIMARY KEY (`id`, `y`)
) ENGINE=InnoDB
PARTITION BY HASH (`y`) PARTITIONS 3;

CREATE TABLE `plain` (`id` int NOT NULL PRIMARY KEY) ENGINE=InnoDB
PARTITION BY KEY () PARTITIONS 2;

CREATE TABLE `newt` (
  `id` int NOT NULL PRIMARY KEY,
  `child_id` int unsigned,
  CONSTRAINT `fk_newt` FOREIGN KEY (`child_id`) REFERENCES `child` (`id`)
) ENGINE=Aria;

CREATE VIEW `v1` AS SELECT `id`, `a`, `b` FROM `child`;
CREATE VIEW `v2` AS SELECT `id`, `b` FROM `v1`;

CREATE TRIGGER `trg` BEFORE INSERT ON `child` FOR EACH ROW SET NEW.`a` = LOWER(NEW.`a`);

DELIMITER //
CREATE PROCEDURE `proc`(IN `p` int, OUT `q` int)
BEGIN
  SELECT `p`;
  SET `q` = 2;
END//
CREATE FUNCTION `fn`(`x` int) RETURNS int DETERMINISTIC RETURN `x` + 2//
DELIMITER ;

CREATE EVENT `ev` ON SCHEDULE EVERY 2 HOUR DISABLE COMMENT 'slower' DO DELETE FROM `plain` WHERE `id` < 0;
