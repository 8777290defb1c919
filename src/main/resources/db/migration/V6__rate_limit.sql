-- Requests counted per key (e.g. registrations per client IP) and per fixed window, shared by every instance.
create table rate_limit (
    limit_key    varchar(200) not null,
    window_start timestamp with time zone not null,
    hits         integer not null,
    primary key (limit_key, window_start)
);
create index ix_rate_limit_window on rate_limit (window_start);
