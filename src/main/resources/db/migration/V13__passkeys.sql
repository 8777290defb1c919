-- Passkeys: which kind of key the person asked for when adding it. A passkey (discoverable, with user verification
-- required at registration) may sign in on its own; a security key is a second step after the password only.
-- uv_initialized, backup_eligible and backup_state are Spring Security's own columns, kept up to date from each
-- assertion's signed authenticator data (securitykey.KeyKinds).
alter table user_credentials add column registered_as_passkey boolean default false not null;
