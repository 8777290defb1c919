-- When the account last moved to a new phone: "Turned on" (totp_enabled_at) stays the date two-factor was first
-- turned on.
alter table account add column authenticator_changed_at timestamp with time zone;
-- Whether the person confirmed saving the newest recovery codes: until then the home page reminds them.
alter table account add column recovery_codes_saved boolean default true not null;
