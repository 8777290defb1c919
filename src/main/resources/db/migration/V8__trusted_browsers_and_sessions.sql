-- Browsers an account trusts to stand in for the code at sign-in (TRUSTED_BROWSER cookie): only the secret's
-- SHA-256 is stored. Deleted when forgotten or revoked (password change or reset, new recovery codes, new phone, sign
-- out everywhere else, ending the session on it, operator reset); an expired row is never used and is deleted at the
-- next trust.
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
    browser        varchar(100),
    -- The trusted browser the session is on, if any: ending the session forgets that browser too.
    trusted_browser_id varchar(22)
);
create index ix_signed_in_session_account on signed_in_session (account_id);
create index ix_signed_in_session_active on signed_in_session (last_active_at);

-- Future time steps a wrong code was found to match (a phone whose clock is ahead): the message names the offset, so
-- such a code must never be accepted later, or the hint would tell an attacker a code that is about to be valid.
create table totp_hinted_step (
    account_id bigint not null references account (id),
    step       bigint not null,
    constraint pk_totp_hinted_step primary key (account_id, step)
);
