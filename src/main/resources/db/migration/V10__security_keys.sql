-- Security keys and passkeys (WebAuthn), a second factor next to the authenticator app. The two tables are Spring
-- Security's (JdbcPublicKeyCredentialUserEntityRepository, JdbcUserCredentialRepository) as its schema files give
-- them, with bytea for the binary columns (H2 and PostgreSQL both take it) and two indexes: a user entity's name is
-- the account's username, one entity per account.
create table user_entities (
    id           varchar(1000) not null primary key,
    name         varchar(100)  not null,
    display_name varchar(200)
);
create unique index ux_user_entities_name on user_entities (name);

create table user_credentials (
    credential_id                varchar(1000) not null primary key,
    user_entity_user_id          varchar(1000) not null references user_entities (id),
    public_key                   bytea         not null,
    signature_count              bigint,
    uv_initialized               boolean,
    backup_eligible              boolean       not null,
    authenticator_transports     varchar(1000),
    public_key_credential_type   varchar(100),
    backup_state                 boolean       not null,
    attestation_object           bytea,
    attestation_client_data_json bytea,
    created                      timestamp,
    last_used                    timestamp,
    label                        varchar(1000) not null
);
create index ix_user_credentials_user on user_credentials (user_entity_user_id);
