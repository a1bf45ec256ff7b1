package backend

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap/zapcore"
)

// Sentinel errors. Routes map them to each host's own envelope and status;
// the backend never decides how an error looks on the wire.
var (
	// ErrUserExists is wrapped by a *ConflictError.
	ErrUserExists = errors.New("backend: user already exists")
	// ErrUnavailable means the store cannot be reached.
	ErrUnavailable = errors.New("backend: store unavailable")
	// ErrOverloaded means a bounded resource (the hashing pool) is full; the
	// caller should retry later.
	ErrOverloaded = errors.New("backend: overloaded")
	// ErrInvalidCredentials is returned by Authenticate for an unknown user or
	// a wrong password; the two are deliberately indistinguishable.
	ErrInvalidCredentials = errors.New("backend: invalid credentials")
	// ErrInvalidCommand means a command violates the backend's own invariants
	// (for example an empty realm); routes validate before this can happen.
	ErrInvalidCommand = errors.New("backend: invalid command")
	// ErrInvalidActivation is returned by Activate for an unknown, expired or
	// already used activation code; the three are deliberately
	// indistinguishable.
	ErrInvalidActivation = errors.New("backend: invalid activation code")
)

// LockedError is returned by Authenticate for an account locked after too
// many failed sign-ins, whatever the password. It unwraps to
// ErrAccountLocked.
type LockedError struct {
	RetryAfter time.Duration // until the lock ends
}

// ErrAccountLocked is wrapped by a *LockedError.
var ErrAccountLocked = errors.New("backend: account locked")

func (e *LockedError) Error() string { return ErrAccountLocked.Error() }

// Unwrap returns ErrAccountLocked.
func (e *LockedError) Unwrap() error { return ErrAccountLocked }

// OverloadedError is a refusal of a bounded resource (the hashing pool)
// with the wait the client should leave before retrying. It unwraps to
// ErrOverloaded.
type OverloadedError struct {
	RetryAfter time.Duration
}

func (e *OverloadedError) Error() string { return ErrOverloaded.Error() }

// Unwrap returns ErrOverloaded.
func (e *OverloadedError) Unwrap() error { return ErrOverloaded }

// RateLimiter counts requests per key (a scope and a client address) in a
// shared store, so that a limit holds across gateways.
type RateLimiter interface {
	// Hit counts one request under key and returns 0 while at most limit
	// were counted in the current window, else how long until it ends.
	Hit(ctx context.Context, key string, limit int, window time.Duration) (time.Duration, error)
}

// Field names a unique field of a user.
type Field string

// The unique fields.
const (
	FieldUsername Field = "username"
	FieldEmail    Field = "email"
)

// ConflictError reports which unique field was taken. It unwraps to
// ErrUserExists.
type ConflictError struct {
	Field Field
	Value string
}

// Error names the field, not the value: the message reaches the request
// log, and a user name is often an email address. Styles put Value into
// the client's own error message.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("backend: %s already exists", e.Field)
}

// Unwrap returns ErrUserExists.
func (e *ConflictError) Unwrap() error { return ErrUserExists }

// Password is a clear-text password in transit to the hasher. Its String,
// GoString and zap forms never show it.
type Password string

// String redacts.
func (Password) String() string { return "[redacted]" }

// GoString redacts.
func (Password) GoString() string { return `backend.Password("[redacted]")` }

// Attribute is one host-specific value the request carried, kept in request
// order so the user record says exactly what was sent.
type Attribute struct {
	Name  string
	Value string
}

// RegisterCommand is the canonical registration every legacy request is
// normalised into.
type RegisterCommand struct {
	// Realm is the uniqueness scope: one per legacy host unless config joins
	// hosts into one realm.
	Realm     string
	Username  string
	Email     string
	Password  Password
	Phone     string
	FirstName string
	LastName  string
	Roles     []string
	// Attributes holds every other member the request carried.
	Attributes []Attribute
	// Inactive creates the user pending activation.
	Inactive bool
	// Activation, when not nil, creates the user inactive (whatever
	// Inactive says) with a single-use activation code, and appends a
	// "user registered" event to the realm's outbox in the same atomic step.
	Activation *Activation
}

// Activation asks Register to create the user inactive with a single-use
// activation code and to append a "user registered" event to the realm's
// outbox stream in the same atomic step, so that the user exists if and only
// if its activation email is queued.
type Activation struct {
	// TTL is the code's lifetime; it must be positive.
	TTL time.Duration
	// Event holds extra fields of the outbox entry, in order, after the
	// fixed ones. Every "{code}" inside a value is replaced by the generated
	// code, so routes can pass a link template such as
	// "https://gw.example/api/v1/Account/Activate?code={code}". The mailer
	// reads "template" (which template set), "language" (e.g. "en-us"),
	// "link" (the activation link) and "to" (a recipient other than the
	// user's email); see package mailer. Names must not repeat nor reuse a
	// fixed field name.
	Event []Attribute
}

// EventUserRegistered is the "event" field of the outbox entry Register
// appends when asked for an Activation.
const EventUserRegistered = "user.registered"

// CodePlaceholder is replaced by the activation code in Activation.Event
// values.
const CodePlaceholder = "{code}"

// UserPlaceholder is replaced by the new user's UUID in Activation.Event
// values (links that name the user, as FLS's confirmation link does).
const UserPlaceholder = "{user}"

// MarshalLogObject writes the command without the password.
func (c RegisterCommand) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("realm", c.Realm)
	enc.AddString("username", c.Username)
	enc.AddString("email", c.Email)
	if len(c.Roles) > 0 {
		_ = enc.AddArray("roles", zapcore.ArrayMarshalerFunc(func(a zapcore.ArrayEncoder) error {
			for _, r := range c.Roles {
				a.AppendString(r)
			}
			return nil
		}))
	}
	enc.AddInt("attributes", len(c.Attributes))
	enc.AddBool("inactive", c.Inactive || c.Activation != nil)
	if c.Activation != nil {
		enc.AddDuration("activation_ttl", c.Activation.TTL)
	}
	return nil
}

// User is a stored user as the routes see it: never the password hash.
type User struct {
	ID         int64  // per-realm sequence, 1-based
	UUID       string // random, lower-case 36-char form
	Realm      string
	Username   string
	Email      string
	Phone      string
	FirstName  string
	LastName   string
	Roles      []string
	Attributes []Attribute
	Active     bool
	Created    time.Time
	// ActivationCode is set only in Register's result when an Activation
	// was requested: the code to put in the activation link. It is never
	// stored in clear (Redis keeps its SHA-256) except inside the outbox
	// entry the mailer needs; never log it.
	ActivationCode string
}

// Attr returns the attribute named name.
func (u User) Attr(name string) (string, bool) {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// Registrar is what the routes call. Implementations must make Register
// atomic: either the whole user is written, with its unique names reserved,
// or nothing is.
type Registrar interface {
	// Register creates a user. A taken username or email returns a
	// *ConflictError; a full hashing queue returns ErrOverloaded.
	Register(ctx context.Context, cmd RegisterCommand) (User, error)
	// Authenticate checks a password for a username (case-insensitive).
	Authenticate(ctx context.Context, realm, username string, password Password) (User, error)
	// IsAvailable reports whether nobody in the realm holds the username.
	IsAvailable(ctx context.Context, realm, username string) (bool, error)
	// Ping reports whether the store is reachable (readiness).
	Ping(ctx context.Context) error
}

// Admitter is implemented by a Registrar (or a hasher) that can tell,
// before a request is read, whether a password hash submitted now would be
// refused. Routes ask it first on operations that hash, so an overloaded
// gateway refuses a registration without reading, decoding or validating
// it: shedding then costs far less than serving, and a flood of refused
// requests cannot take the CPU the hash workers need.
type Admitter interface {
	// Admit returns nil, or the *OverloadedError the hash would return.
	Admit() error
}

// Activator activates users registered with an Activation.
type Activator interface {
	// Activate consumes an activation code once and marks its user active.
	// It returns the user, attributes included (so the caller can read, for
	// example, a ConfirmationCallbackUrl). An unknown, expired or already
	// used code returns ErrInvalidActivation.
	Activate(ctx context.Context, realm, code string) (User, error)
	// ActivateFor is Activate for a code that must belong to the user
	// whose UUID is user (any user when empty); another user's code is
	// ErrInvalidActivation and stays unused.
	ActivateFor(ctx context.Context, realm, code, user string) (User, error)
}
