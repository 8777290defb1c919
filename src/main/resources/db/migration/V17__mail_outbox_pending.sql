-- The metrics count the messages not sent yet and find the oldest of them (mail.Mailer.outbox) every few seconds:
-- sent messages stay in the table, so without this index each count would read all of them.
create index ix_mail_outbox_pending on mail_outbox (sent_at, created_at);
