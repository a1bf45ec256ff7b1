// Package redisstore implements [backend.Registrar] over Redis (a single
// node, Redis Cluster, or an embedded in-process server for development).
//
// # Key layout
//
// Every key starts with the configured prefix (Options.Prefix, e.g. "lg:")
// and, for now, every key of a realm carries the Redis Cluster hash tag
// "{<realm>}", so all of them live in one slot:
//
//	key                                  type    value
//	<prefix>{<realm>}:seq                string  last user id of the realm (INCR: 1, 2, 3, …)
//	<prefix>{<realm>}:name:<USERNAME>    string  uuid of the user holding the username
//	<prefix>{<realm>}:email:<EMAIL>      string  uuid of the user holding the email
//	<prefix>{<realm>}:user:<uuid>        hash    the user record (fields below)
//	<prefix>{<realm>}:activation:<hex>   string  uuid of the user an activation code activates (PX: the code's TTL)
//	<prefix>{<realm>}:outbox             stream  "user registered" events for the mailer
//
// <hex> is the lower-case hex SHA-256 of the activation code: the code
// itself is not stored in clear except in its outbox entry, which the
// activation email needs. Package mailer adds, beside the outbox,
// <prefix>{<realm>}:outbox:sent:<entry id> (a marker, with a TTL) and
// <prefix>{<realm>}:outbox:dead (the dead-letter stream).
//
// where <USERNAME> and <EMAIL> are the normalised forms and <uuid> is the
// lower-case canonical form.
//
// Normalisation is [strings.ToUpper], the equivalent of ASP.NET Identity's
// NormalizedUserName/NormalizedEmail (ToUpperInvariant), so uniqueness is
// case-insensitive. Nothing is trimmed: "bob " and "bob" are different
// usernames. An empty email reserves nothing (emails are optional). A realm
// must not contain '{' or '}', which would change the hash tag.
//
// The user hash has the fields id, uuid, realm, username, email, phone,
// first_name, last_name, password (the argon2id PHC string, never the clear
// password), roles (a JSON array of strings), attrs (a JSON array of the
// attribute names in request order), created (RFC 3339 with nanoseconds,
// UTC, truncated to 100 ns like a .NET DateTime), active ("1" or "0"), and
// one field "a:<Name>" per attribute. Empty email, phone, first_name and
// last_name are omitted.
//
// # Atomicity
//
// Register hashes the password first, outside Redis, then runs one Lua
// script (EVALSHA, falling back to EVAL) that checks the username key and
// the email key and, only if both are free, increments the sequence and
// writes the name key, the email key and the user hash. All checks precede
// all writes, so a conflict leaves nothing behind; Redis runs a script
// without interleaving other commands, so two registrations of one name
// cannot both succeed. The script is idempotent for one call: the uuid is
// generated in Go, so if the client retries a script whose reply was lost,
// the script finds its own user hash and returns the same id instead of
// reporting a conflict with itself.
//
// Every key the script touches, including the user hash, is passed in KEYS
// rather than built inside the script: Redis Cluster routes a script by its
// declared keys and cannot serve others, and proxies and key-pattern ACLs
// rely on them too. This is why the uuid is generated in Go.
//
// A later change will move the name and email keys out of the realm's slot
// (their own hash tags, with a reservation protocol across slots), so that a
// large realm is not pinned to one Cluster node; until then one realm's
// writes are served by one shard.
//
// # Activation and the outbox
//
// A [backend.RegisterCommand] with an Activation creates the user inactive.
// Register generates the code in Go (32 bytes from crypto/rand, base64url
// without padding: 43 characters) and the same script run that writes the
// user also sets the activation key (SET … PX ttl) and appends one entry to
// the outbox stream (XADD MAXLEN ~ Options.OutboxMaxLen, default 100000),
// so the user exists if and only if its event does. A conflict writes none
// of them; a retried call finds its user hash first and appends nothing.
// The entry's fields are, in order: event ("user.registered"), realm, user
// (the uuid), id, username, email, first_name, last_name, code, then the
// Activation's Event fields, "{code}" replaced by the code in their values.
// The password is never in it.
//
// Activate reads the uuid the code's key names, then runs a second script
// (declaring both keys) that checks the key still names that uuid, deletes
// it, sets active=1 on the user hash and returns the hash. The code is thus
// consumed exactly once, even by concurrent calls; an unknown, expired or
// used code returns [backend.ErrInvalidActivation].
//
// # Errors
//
// Conflicts are *[backend.ConflictError]; an unreachable or refusing store
// (network errors, LOADING, READONLY, CLUSTERDOWN, OOM, auth failures, a
// deadline) wraps [backend.ErrUnavailable]; a full hashing queue returns
// the hasher's error as is (it unwraps to [backend.ErrOverloaded] and may
// carry a Retry-After); a locked account returns a *[backend.LockedError]
// before any password check; an unknown user or wrong password returns
// [backend.ErrInvalidCredentials] after the same hashing work as a real check.
package redisstore
