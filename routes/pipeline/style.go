package pipeline

import (
	"net/http"
	"time"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/pipeline/validate"
)

// Style is a host family's behaviour: how it negotiates, reads bodies, binds,
// words validation failures and shapes errors. Implementations: webapi (and
// servicestack in a later issue).
type Style interface {
	// Negotiate picks the response format. ok=false means 406. m is the
	// matched route (the zero Match when none matched: a routing error).
	Negotiate(h *contract.Host, m Match, r *http.Request) (n codecs.Negotiation, ok bool)
	// Read turns the request of operation m.Op (body already read, path
	// parameters in m) into the value to bind, composing body, query, form
	// and path as the style's host did. A *Problem refuses the request
	// outright (415, 400); Input.Err reports an unreadable body, which the
	// style words as a binding failure of the whole body.
	Read(m Match, r *http.Request, body []byte) (Input, *Problem)
	BindOptions() bind.Options
	Messages() validate.Messages
	// Invalid shapes binding and validation failures (nil when there are
	// none). in tells where the values came from: hosts word a form
	// conversion failure differently from a JSON one.
	Invalid(op *contract.Operation, in *Input, bindErrs []bind.Error, fails []validate.Failure) *Problem
	// Conflict shapes a taken username or email.
	Conflict(op *contract.Operation, err *backend.ConflictError) *Problem
	// Render turns a problem into the host's error body.
	Render(r *http.Request, p *Problem) codecs.Value
	// Encoder returns the writer of a host for a negotiated format, nil
	// when the style cannot write it.
	Encoder(h *contract.Host, format string) Encoder
	// Headers adds the style's own response headers (ServiceStack's
	// global headers) to every response of host h.
	Headers(h *contract.Host, hdr http.Header)
	// Routes turns host h, mounted at prefix, into the routes that serve
	// it: each operation's declared routes, and whatever the style adds
	// (ServiceStack's predefined routes and metadata pages). handler is
	// the generic handler of an operation.
	Routes(h *contract.Host, prefix string, handler func(*contract.Operation) http.Handler) []Route
	// Authenticator returns how the style's hosts identify callers (nil:
	// the style has no sign-in of its own).
	Authenticator(d AuthDeps) Authenticator
}

// AuthDeps are the backends an authenticator may check credentials
// against.
type AuthDeps struct {
	Registrar backend.Registrar
	Sessions  backend.Sessions
	APIKeys   backend.APIKeys
}

// Route is one method and path template ({Var} segments) to mount.
type Route struct {
	Method, Path string
	Handler      http.Handler
	// Predefined marks a route the framework, not the contract, defines
	// (ServiceStack's /{format}/reply/{Op}); Format is the format its path
	// names.
	Predefined bool
	Format     string
	// Suffixes are the formats a ".<format>" suffix on the path's last
	// segment may name (ServiceStack's route content type extensions);
	// the suffix is cut before matching and forces the response format.
	Suffixes []string
}

// Input is a request's data before binding.
type Input struct {
	Value codecs.Value
	// Format is where Value came from: json, xml, jsv, form, or query.
	Format string
	// Err is a decode failure of the whole body (the model stays null).
	Err error
	// BindErrs are values the style could not convert while composing
	// Value (ServiceStack's query and form overlay).
	BindErrs []bind.Error
}

// Encoder writes a value in one wire format and dialect.
type Encoder interface {
	Append(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error)
}

// EncoderFunc adapts a function to Encoder.
type EncoderFunc func(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error)

// Append calls f.
func (f EncoderFunc) Append(dst []byte, v codecs.Value, t *codecs.Type) ([]byte, error) {
	return f(dst, v, t)
}

// Kind classifies a problem; each style words each kind its own way.
type Kind uint8

// Problem kinds.
const (
	Invalid Kind = iota + 1
	UnsupportedMediaType
	TooLarge
	NotFound
	MethodNotAllowed
	Overloaded
	Internal
	// Unauthorized: no valid credentials for an operation that needs them.
	Unauthorized
	// Forbidden: signed in, but without a required role.
	Forbidden
	// Throttled: the client address is over its limit (429).
	Throttled
)

// FieldError is one keyed message of an invalid request.
type FieldError struct {
	Key     string // e.g. model.Password
	Code    string // style-specific error code, may be empty
	Message string
}

// Problem is a refused request before it is worded by a style.
type Problem struct {
	Kind       Kind
	Status     int
	Fields     []FieldError
	MediaType  string // the refused media type (415)
	NoType     bool   // 415 because the body had no Content-Type at all
	Method     string // 405
	Allow      string // 405
	RetryAfter time.Duration
	// Code and Message, when set, head the error (ServiceStack's
	// ResponseStatus.ErrorCode and Message); otherwise the first field's.
	Code    string
	Message string
	// Challenge is the WWW-Authenticate value of a 401.
	Challenge string
	// Reason replaces the standard HTTP reason phrase (ServiceStack's
	// StatusDescription, "Invalid Role"); used only over HTTP/1.x.
	Reason string
	// Empty sends no body (ServiceStack's 401 and 403).
	Empty bool
	Err   error // cause, for the log only
}

// Error implements error so a problem can travel through Echo.
func (p *Problem) Error() string {
	if p.Err != nil {
		return p.Err.Error()
	}
	return http.StatusText(p.Status)
}
