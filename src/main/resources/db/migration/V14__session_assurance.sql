-- What each signed-in session proved (issue 30): its factor authorities (space-separated names, e.g.
-- "FACTOR_PASSWORD FACTOR_TOTP"), the assurance level they make (aal1, aal2), and when its sign-in reaches the absolute
-- limit (counted from its earliest factor). Null on rows of sessions signed in before this migration.
alter table signed_in_session add column factors varchar(200);
alter table signed_in_session add column assurance varchar(10);
alter table signed_in_session add column expires_at timestamp with time zone;

-- When this browser last proved a real second factor (a code, a key, a recovery code) for the account: a trusted browser
-- skips the code only within app.security.absolute-timeout of it (NIST SP 800-63B-4). Set when the browser is trusted
-- (right after a code or a key), refreshed at each such sign-in there.
alter table trusted_browser add column second_factor_at timestamp with time zone;
update trusted_browser set second_factor_at = created_at;
alter table trusted_browser alter column second_factor_at set not null;
