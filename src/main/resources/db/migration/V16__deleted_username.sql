-- A deleted account's username stays taken for a while (app.account.deleted-username-quarantine), so nobody can
-- take it over at once. Only a keyed hash of the username's key is kept, never the name.
create table deleted_username (
    username_hash varchar(100) not null primary key,
    release_at    timestamp with time zone not null
);
create index ix_deleted_username_release on deleted_username (release_at);
