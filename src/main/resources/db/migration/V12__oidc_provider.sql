-- The OpenID Connect provider (Spring Security's authorization server): its authorizations, codes and tokens in the
-- database, so that any instance finishes any flow. The table is the one shipped in the library
-- (oauth2-authorization-schema.sql), with its own advice applied for PostgreSQL: blob -> text (H2 reads text as a
-- CLOB; bytea would not do: the JDBC service accepts only BLOB, CLOB and character columns) and timestamps with
-- time zone.
create table oauth2_authorization (
    id varchar(100) not null,
    registered_client_id varchar(100) not null,
    principal_name varchar(200) not null,
    authorization_grant_type varchar(100) not null,
    authorized_scopes varchar(1000) default null,
    attributes text default null,
    state varchar(500) default null,
    authorization_code_value text default null,
    authorization_code_issued_at timestamp with time zone default null,
    authorization_code_expires_at timestamp with time zone default null,
    authorization_code_metadata text default null,
    access_token_value text default null,
    access_token_issued_at timestamp with time zone default null,
    access_token_expires_at timestamp with time zone default null,
    access_token_metadata text default null,
    access_token_type varchar(100) default null,
    access_token_scopes varchar(1000) default null,
    oidc_id_token_value text default null,
    oidc_id_token_issued_at timestamp with time zone default null,
    oidc_id_token_expires_at timestamp with time zone default null,
    oidc_id_token_metadata text default null,
    refresh_token_value text default null,
    refresh_token_issued_at timestamp with time zone default null,
    refresh_token_expires_at timestamp with time zone default null,
    refresh_token_metadata text default null,
    user_code_value text default null,
    user_code_issued_at timestamp with time zone default null,
    user_code_expires_at timestamp with time zone default null,
    user_code_metadata text default null,
    device_code_value text default null,
    device_code_issued_at timestamp with time zone default null,
    device_code_expires_at timestamp with time zone default null,
    device_code_metadata text default null,
    constraint pk_oauth2_authorization primary key (id)
);

-- Which signed-in session each authorization came from: when that session ends (sign out, ended on /account, sign
-- out everywhere, a password change, an operator reset, idle), its authorizations are removed (refresh tokens
-- revoked) and each client that registered a back-channel logout URI is told (oidc.ClientSessions).
create table oidc_client_session (
    authorization_id varchar(100) not null primary key,
    session_ref      varchar(22)  not null,
    account_id       bigint       not null,
    client_id        varchar(100) not null,
    signed_in_at     timestamp with time zone not null
);
create index ix_oidc_client_session_ref on oidc_client_session (session_ref);
create index ix_oidc_client_session_account on oidc_client_session (account_id);

-- The stable, opaque `sub` of each account: a random value, never the username or the row id.
create table oidc_subject (
    account_id bigint      not null primary key references account (id),
    subject    varchar(36) not null,
    constraint uk_oidc_subject unique (subject)
);

-- Token signing keys, shared by every instance: the private part encrypted as TOTP secrets are (app.encryption).
-- The newest key signs; an older one stays in the JWKS until retire_after, past the life of the tokens it signed.
create table oidc_signing_key (
    kid          varchar(64) not null primary key,
    created_at   timestamp with time zone not null,
    retire_after timestamp with time zone,
    jwk          text not null
);
