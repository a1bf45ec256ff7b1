// Package mailer delivers the activation emails of the outbox entries that
// redisstore's Register appends (see package redisstore, "Activation and
// the outbox"), over SMTP.
//
// # Delivery
//
// A [Mailer] serves each configured realm's stream
// <prefix>{<realm>}:outbox through a Redis consumer group (Config.Group,
// created at the start of the stream with MKSTREAM when missing), one entry
// at a time per realm:
//
//   - New entries are read with XREADGROUP (COUNT 1, BLOCK).
//   - An entry is acknowledged (XACK) only after the SMTP server answered
//     the end of DATA with 250. In the same MULTI the mailer sets
//     <stream>:sent:<entry id> (SET NX, Config.SentTTL); an entry whose
//     marker exists is acknowledged without sending, so a recreated group
//     that reads the stream anew does not send again.
//   - A failed entry stays pending. The same consumer retries it once it
//     has been idle backoff(deliveries) = BackoffBase·2^(n-1), capped at
//     BackoffMax; another consumer takes it over (XCLAIM) only once it has
//     been idle StaleAfter too, which exceeds SMTP.Timeout, the bound of one
//     attempt: an entry is never taken from a consumer still sending it, and
//     since XCLAIM checks the idle time atomically, one mailer wins each
//     retry. Several mailers (several gateways) thus send each email once.
//   - After MaxAttempts deliveries refused with a 5xx reply, and at once
//     for an entry that cannot be sent at all (unknown event, no valid
//     recipient, older than MaxAge), the entry is added to
//     <stream>:dead (its fields sorted by name, then dead_outbox_id,
//     dead_error, dead_deliveries, dead_consumer, dead_at) and acknowledged,
//     in one MULTI. Transient failures (no connection, timeouts, TLS errors,
//     4xx replies) do not count towards MaxAttempts: they are retried, at
//     most BackoffMax apart, until the entry is MaxAge old, so a mail server
//     that is down delays emails without losing them.
//   - When Run's context ends, an attempt in progress is abandoned: its
//     connection is closed, so the server cannot accept the message, and
//     the entry is retried by a mailer later.
//
// The one window left is a crash after the server's 250 and before the
// acknowledgement reaches Redis: that email is sent again. It carries the
// same Message-ID (derived from the entry id and the user's uuid) both
// times, so receivers may drop the copy.
//
// # Outbox fields read
//
// event must be "user.registered". The recipient is "to" when set, else
// "email". "template" names the template set, "language" the language
// (e.g. "en-us"), "link" the activation link; first_name, last_name and
// username make the greeting. Every field is available to the templates.
//
// # Templates
//
// Templates are text/template files <template>/<language>.txt: the
// hosts' own (Config.Hosts, from their bundles), overlaid by
// Config.Templates, over the embedded generic set ([DefaultTemplates]). The
// first line is "Subject: …"; the rest, after any blank lines, is the
// plain-text body. The data is a map of every entry field plus .Link (the
// "link" field) and .Name (first and last name, else the username); a
// missing field renders empty. For template set T and language "de-at" the
// files tried are T/de-at.txt, T/de.txt, T/default.txt, T/en.txt, then the
// same in the generic set "default"; an unknown or malformed template or
// language falls through to the generic set. Embedded here: only the
// generic set, in English and German; the package knows no host.
//
// # Email
//
// One text/plain; charset=utf-8 part, quoted-printable, with From, To (the
// user's name and address), Subject (RFC 2047 when not ASCII), Date,
// Message-ID, MIME-Version and Auto-Submitted headers and CRLF line ends;
// the SMTP client dot-stuffs. Values from the entry never reach a header
// unencoded or with a line break.
//
// # Logging
//
// Entry ids, realms, user uuids, templates and errors are logged; codes,
// links and passwords never are, and recipients only at debug level.
package mailer
