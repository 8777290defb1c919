-- Failed password steps per client address (IPv6 per /64), shared by every instance: a client that sprays
-- passwords over many accounts is refused for a while, whichever accounts it names. The address is stored as its
-- SHA-256, as rate_limit keys are. A row quiet for a day is deleted, and with it the doubling of its locks.
create table client_throttle (
    client_key   varchar(64) not null primary key,
    window_start timestamp with time zone not null,
    failures     integer not null,
    lock_count   integer not null default 0,
    locked_until timestamp with time zone
);
create index ix_client_throttle_window on client_throttle (window_start);
