-- Browsers an account trusts to stand in for the code at sign-in (TRUSTED_BROWSER cookie): only the secret's
-- SHA-256 is stored. Deleted when forgotten, expired or revoked (password change or reset, new phone, sign out
-- everywhere else, operator reset).
create table trusted_browser (
    id           varchar(22)  not null primary key,
    account_id   bigint       not null references account (id),
    secret_hash  varchar(64)  not null,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone not null,
    last_used_at timestamp with time zone,
    ip_address   varchar(64),
    browser      varchar(100)
);
create index ix_trusted_browser_account on trusted_browser (account_id);
create index ix_trusted_browser_expires on trusted_browser (expires_at);

-- The account's signed-in sessions, whatever the session store: the id is an opaque reference (never the session
-- id), kept in the session's Authentication; a session whose row is gone is ended at its next request.
create table signed_in_session (
    id             varchar(22)  not null primary key,
    account_id     bigint       not null references account (id),
    session_epoch  integer      not null,
    signed_in_at   timestamp with time zone not null,
    last_active_at timestamp with time zone not null,
    ip_address     varchar(64),
    browser        varchar(100)
);
create index ix_signed_in_session_account on signed_in_session (account_id);
create index ix_signed_in_session_active on signed_in_session (last_active_at);
