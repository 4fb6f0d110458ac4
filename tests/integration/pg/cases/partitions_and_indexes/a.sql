CREATE TABLE ev (id int, at date NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX ev_at ON ev (at);
CREATE TABLE docs (id int, body text, tags text[]);
CREATE INDEX docs_lower ON docs (lower(body));
