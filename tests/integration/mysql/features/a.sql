-- Hand-written drift pair covering what the corpus does not: every
-- MySQL/MariaDB feature the connector reads, changed between a and b.
CREATE TABLE `parent` (
  `id` int NOT NULL,
  `code` varchar(10) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `code` (`code`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE `child` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `parent_id` int NOT NULL,
  `a` varchar(20) NOT NULL DEFAULT 'x',
  `b` int(11) DEFAULT 0,
  `c` enum('one','two') DEFAULT NULL,
  `d` text,
  `e` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `f` int INVISIBLE DEFAULT 1,
  `g` int AS (`b` * 2) VIRTUAL,
  `gone` int,
  PRIMARY KEY (`id`),
  KEY `k_a` (`a`(5)),
  KEY `k_desc` (`b` DESC) COMMENT 'old',
  FULLTEXT KEY `ft_d` (`d`),
  KEY `k_hidden` (`c`),
  CONSTRAINT `fk_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE,
  CONSTRAINT `chk_b` CHECK (`b` >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 ROW_FORMAT=DYNAMIC COMMENT='child rows';

CREATE TABLE `weird ``name``` (
  `col ``x``` int NOT NULL,
  `naïve` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  PRIMARY KEY (`col ``x```)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE `logs` (
  `id` int NOT NULL,
  `y` int NOT NULL,
  PRIMARY KEY (`id`, `y`)
) ENGINE=InnoDB
PARTITION BY RANGE (`y`) (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN MAXVALUE);

CREATE TABLE `plain` (`id` int NOT NULL PRIMARY KEY) ENGINE=InnoDB;

CREATE TABLE `dropme` (`id` int NOT NULL PRIMARY KEY, `p` int, CONSTRAINT `fk_d` FOREIGN KEY (`p`) REFERENCES `parent` (`id`)) ENGINE=InnoDB;

CREATE VIEW `v1` AS SELECT `id`, `a` FROM `child`;
CREATE VIEW `v2` AS SELECT `id` FROM `v1`;

CREATE TRIGGER `trg` BEFORE INSERT ON `child` FOR EACH ROW SET NEW.`a` = UPPER(NEW.`a`);

DELIMITER //
CREATE PROCEDURE `proc`(IN `p` int)
BEGIN
  SELECT `p`;
  SELECT 1;
END//
CREATE FUNCTION `fn`(`x` int) RETURNS int DETERMINISTIC RETURN `x` + 1//
DELIMITER ;

CREATE EVENT `ev` ON SCHEDULE EVERY 1 DAY DO DELETE FROM `plain` WHERE `id` < 0;
