package dev.totplogin.mail;

/**
 * A message given up on after its last retry (it stays in the outbox, marked dropped, and
 * no longer counts as waiting): for the metrics. Nothing in it names the message or its
 * recipient.
 */
public record MailDropped() {

}
