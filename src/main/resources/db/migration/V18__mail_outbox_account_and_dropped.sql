-- Whose a message is (null: the goodbye to a deleted account, and messages written before this column): deleting an
-- account deletes its messages by this id, also those to an earlier or a pending address. No foreign key: the
-- deletion removes them itself, before the account's row (settings.AccountDeletion).
alter table mail_outbox add column account_id bigint;
create index ix_mail_outbox_account on mail_outbox (account_id);
-- Given up on after the last retry (mail.MailConfiguration): no longer waiting, so not counted in the outbox's depth
-- and age (the metrics count the drops instead).
alter table mail_outbox add column dropped_at timestamp with time zone;
