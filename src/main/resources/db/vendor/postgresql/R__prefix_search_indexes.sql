-- PostgreSQL only (spring.flyway.locations: db/vendor/{vendor}). The admin console searches by the start of a
-- username or a verified address (LIKE 'text%'). Under any collation but "C" (en_US.UTF-8, C.UTF-8 ...), a btree
-- index in the default operator class cannot serve LIKE: the unique indexes would leave a full scan per search.
-- The pattern operator class compares byte by byte, so LIKE 'text%' becomes an index range on it. H2 serves the
-- prefix from the unique indexes and needs nothing. Repeatable (no version number): re-run when this file changes.
create index if not exists ix_account_username_key_prefix on account (username_key varchar_pattern_ops);
create index if not exists ix_account_email_key_prefix on account (email_key varchar_pattern_ops);
