// Package passhash hashes and verifies passwords with argon2id on a bounded
// pool of worker goroutines.
//
// Hashes are PHC strings:
//
//	$argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>$<hash>
//
// where salt and hash are unpadded standard base64 (RFC 4648 §4 without
// '='). [Pool.Verify] reads the cost parameters from the string itself, so
// changing [Params] never invalidates stored hashes; [NeedsRehash] tells
// whether a stored hash was made with other parameters than the current ones.
//
// Argon2id is deliberately expensive in both CPU and memory: one hash with
// [DefaultParams] costs 19 MiB and tens of milliseconds. A [Pool] therefore
// runs a fixed number of workers (GOMAXPROCS by default) fed by a queue, and
// admits a job only when its expected wait (jobs ahead × the measured time
// of one job ÷ workers) fits a budget (2 s by default); beyond it, it
// refuses at once with an [*backend.OverloadedError] carrying that wait as
// Retry-After. A flood of registrations or logins cannot exhaust memory (the
// peak footprint is workers × MemoryKiB) nor queue work nobody will wait
// for, while a burst the workers can clear within the budget is served.
//
// Malformed PHC strings, and strings whose cost parameters are outside sane
// bounds (which would let a corrupt record allocate gigabytes or spin for
// hours), are rejected with an error wrapping [ErrMalformed]; nothing in this
// package panics on input.
package passhash
