// Package redisstore implements [backend.Registrar] over Redis: a single
// node, a Sentinel-managed master, a Redis Cluster, or an embedded
// in-process server for development. docs/redis-cluster.md is the design
// note behind this documentation, with its failure table.
//
// # Key layout
//
// Every key starts with the configured prefix (Options.Prefix, e.g. "lg:").
// The username and email index keys carry a hash tag of their own, so a
// realm's index keys spread over every slot of a Cluster; everything else
// of a realm carries the tag "{<realm>}" and lives in the realm's slot:
//
//	key                                  type    value
//	<prefix>name:{<realm>:<USERNAME>}    string  "<uuid>" of the user holding the username, or "~<uuid>" (a reservation, with a TTL)
//	<prefix>email:{<realm>:<EMAIL>}      string  the same for the email
//	<prefix>{<realm>}:seq                string  last user id of the realm (INCR: 1, 2, 3, …)
//	<prefix>{<realm>}:user:<uuid>        hash    the user record (fields below)
//	<prefix>{<realm>}:unindexed          zset    uuids committed whose index keys are not final yet (score: commit time, ms)
//	<prefix>{<realm>}:activation:<hex>   string  uuid of the user an activation code activates (PX: the code's TTL)
//	<prefix>{<realm>}:outbox             stream  "user registered" events for the mailer
//	<prefix>{<realm>}:session:<hex>      string  "<uuid>|<hex of the session's other id>" (PX: the session's TTL)
//	<prefix>{<realm>}:apikey:<hex>       string  "<uuid>" of the key's user
//
// <hex> is the lower-case hex SHA-256 of the activation code, session id
// or API key: the code itself is not stored in clear except in its outbox
// entry, which the activation email needs, and ids and keys never are. A
// session is stored under both its ids (ss-id and ss-pid), each key naming
// the other's digest, so that signing out with either removes both; a
// session key holding the UUID alone (written before the link existed)
// still resolves, and is removed only under the ids sent. Package mailer adds, beside the outbox,
// <prefix>{<realm>}:outbox:sent:<entry id> (a marker, with a TTL) and
// <prefix>{<realm>}:outbox:dead (the dead-letter stream).
//
// where <USERNAME> and <EMAIL> are the normalised forms and <uuid> is the
// lower-case canonical form. Gateways before issue 16 kept the index keys
// under the realm's tag (<prefix>{<realm>}:name:<USERNAME>); [Store.Migrate]
// (legacygate store migrate) moves them.
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
// # Registration
//
// Register makes a user exist exactly once per username and email in its
// realm. The same keys and the same states serve two protocols; Options.
// Reservations picks one (by default the cross-slot one on a
// *redis.ClusterClient, the one-script one on any other client).
//
// One script (a single node or a Sentinel-managed master, where every key
// is on one server): Register hashes the password, then runs register.lua
// once (EVALSHA, falling back to EVAL), one round trip. The script checks
// the username key and the email key — any value, a reservation included,
// holds the name — and, only if both are free, increments the sequence and
// writes both index keys (final values), the user hash, and the activation
// key and outbox entry when asked. All checks precede all writes and Redis
// runs a script without interleaving, so two registrations of one name
// cannot both succeed and a conflict writes nothing. A taken name costs a
// hash here: the check is inside the one round trip.
//
// Cross-slot (Redis Cluster), five steps:
//
//  1. reserve: index.lua on the username key, then on the email key (never
//     both at once: two registrations of one user reserving in parallel
//     could each win one key and both fail) sets "~<uuid>" with SET NX semantics and a TTL
//     (Options.ReservationTTL, default 30s) and returns when it ends (the
//     node's TIME). A key holding another uuid, final or reserved, is a
//     conflict: Register releases its own reservations and reports it,
//     without hashing.
//  2. hash the password, outside Redis.
//  3. commit: register.lua in the realm's slot increments the sequence and
//     writes the user hash, its activation key and outbox entry, and adds
//     the uuid to the realm's unindexed set — atomically, so the user, its
//     id, code and event exist together or not at all. This is the commit
//     point. The script refuses ("late") once the Redis TIME passes a fence
//     two thirds into the shortest reservation's life, so a paused gateway
//     never commits on a reservation that may have expired.
//  4. finish: index.lua makes each index key final ("<uuid>", no TTL).
//  5. clear: the uuid leaves the unindexed set.
//
// A reservation is never taken for a user: FindByName, Authenticate and
// IsAvailable resolve "~<uuid>" to a user only if that user hash exists
// (the commit happened), and then finish the key on the spot. A Register
// that meets another's reservation does the same before reporting the
// conflict. A crash between commit and finish leaves the uuid in the
// unindexed set; [Store.Sweep] (run every SweepInterval by the stores Open
// returns, for every realm they have served) finishes such registrations
// well within the reservation TTL. Reservations of registrations that never
// committed simply expire. docs/redis-cluster.md tabulates every crash
// point.
//
// Every script is idempotent for one registration (the uuid is generated in
// Go, fresh for each call): a retried reserve finds its own reservation, a
// retried commit finds its user hash and returns the same id without
// writing a second event, a retried finish or release is a no-op. go-redis
// therefore retries MOVED, ASK and broken connections safely; after a
// connection failure on a Cluster the store also asks go-redis to reload
// the slot map, so requests reach a promoted replica as soon as it serves.
//
// Every key a script touches is passed in KEYS rather than built inside
// the script: Redis Cluster routes a script by its declared keys and cannot
// serve others, and proxies and key-pattern ACLs rely on them too. This is
// why the uuid is generated in Go.
//
// On a Cluster and on Sentinel every reservation, commit and finish is
// followed, in the same pipeline and on the same connection, by WAIT for
// Options.WaitReplicas replicas, so that a write is acknowledged only once a
// replica holds it and a failover loses no acknowledged registration (see
// replicate.go).
//
// Ids come from one INCR per realm inside the commit, so they are unique
// and increase in commit order with no gaps; the sequence key is the one
// hot key of a realm (the design note gives measured rates).
//
// # Activation and the outbox
//
// A [backend.RegisterCommand] with an Activation creates the user inactive.
// Register generates the code in Go (32 bytes from crypto/rand, base64url
// without padding: 43 characters) and the same script run that writes the
// user also sets the activation key (SET … PX ttl) and appends one entry to
// the outbox stream (XADD MAXLEN ~ Options.OutboxMaxLen, default 100000),
// so the user exists if and only if its event does (on a Cluster both live
// in the realm's slot and are written by the commit step). A conflict
// writes none of them; a retried call finds its user hash first and
// appends nothing.
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
// (network errors, LOADING, READONLY, CLUSTERDOWN, TRYAGAIN, MASTERDOWN,
// OOM, MOVED or ASK left after go-redis's redirects, auth failures, a
// deadline) wraps [backend.ErrUnavailable] ([ErrorKind] names which, and
// Options.OnUnavailable hears of each); a commit past its fence wraps it
// too; a full hashing queue returns
// the hasher's error as is (it unwraps to [backend.ErrOverloaded] and may
// carry a Retry-After); a locked account returns a *[backend.LockedError]
// before any password check; an unknown user or wrong password returns
// [backend.ErrInvalidCredentials] after the same hashing work as a real check.
package redisstore
