-- Hostile names on every object kind MySQL/MariaDB has (tests/integration/hostile/mysql.sh).
-- The marker "pwned" is in every name that would, broken out of its quotes
-- or comment, create a table named pwned.
CREATE TABLE `t'q"b``k` (
  `id` int NOT NULL,
  `c
CREATE TABLE pwned (i int); -- x` varchar(20) DEFAULT 'a\\b''c' COMMENT 'x\'; CREATE TABLE pwned (i int); -- ',
  `c*/ CREATE TABLE pwned (i int); /*` int,
  `back\\slash\` int,
  `ünï€ 名前` int,
  `c2345678901234567890123456789012345678901234567890123456789012x` int,
  PRIMARY KEY (`id`),
  UNIQUE KEY `u;
DROP TABLE pwned; --` (`ünï€ 名前`),
  KEY `k\` (`back\\slash\`),
  CONSTRAINT `chk'
CREATE TABLE pwned (i int); #` CHECK (`c*/ CREATE TABLE pwned (i int); /*` > 0 OR `c*/ CREATE TABLE pwned (i int); /*` IS NULL)
) COMMENT = 'tab\\le''s\'; CREATE TABLE pwned (i int); -- ';
CREATE TABLE `Tw` (`id` int PRIMARY KEY);
CREATE TABLE `tw` (`id` int PRIMARY KEY, `ref` int,
  CONSTRAINT `fk
-- pwned` FOREIGN KEY (`ref`) REFERENCES `Tw` (`id`));
CREATE TABLE `t2345678901234567890123456789012345678901234567890123456789012x` (`id` int);
CREATE VIEW `v'
CREATE TABLE pwned (i int); --` AS SELECT `id`, 'a\\b' AS `s\`, "q\"" AS `d` FROM `t'q"b``k`;
CREATE TRIGGER `tr\
CREATE TABLE pwned (i int); --` BEFORE INSERT ON `t'q"b``k` FOR EACH ROW
  SET NEW.`c
CREATE TABLE pwned (i int); -- x` = CONCAT('\\', '\'', "\"", '$$', '//', '
DELIMITER ;
CREATE TABLE pwned (i int); -- ');
DELIMITER //
CREATE PROCEDURE `p;
DROP TABLE x; --`(IN `a'` int)
BEGIN
  SELECT '\\'; SELECT 'x
$$
DELIMITER ;
CREATE TABLE pwned (i int); -- ', `a'`;
END//
CREATE FUNCTION `f*/`(`x\` varchar(10)) RETURNS varchar(40)
  DETERMINISTIC COMMENT 'it\'s; CREATE TABLE pwned (i int); --'
RETURN CONCAT('\\', `x\`, '\\')//
CREATE EVENT `e'
CREATE TABLE pwned (i int); --` ON SCHEDULE EVERY 1 DAY DISABLE
  COMMENT 'e\\v''\'' DO SELECT '\\'//
DELIMITER ;
