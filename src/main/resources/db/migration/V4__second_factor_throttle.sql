-- The second factor's attempt budget counts TOTP and recovery codes alike: named for what it is.
update auth_throttle set factor = 'SECOND_FACTOR' where factor = 'TOTP';
