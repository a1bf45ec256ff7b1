package pipeline

import (
	"net/http"
	"time"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
)

// Style is a host family's behaviour: how it negotiates, reads bodies, binds,
// words validation failures and shapes errors. Implementations: webapi (and
// servicestack in a later issue).
type Style interface {
	// Negotiate picks the response format. ok=false means 406.
	Negotiate(h *contract.Host, r *http.Request) (n codecs.Negotiation, ok bool)
	// ReadBody decodes a request body. A *Problem refuses the request
	// outright (415); a decode error is reported as a binding failure of the
	// whole body, in the host's words.
	ReadBody(h *contract.Host, r *http.Request, body []byte) (v codecs.Value, decodeErr error, p *Problem)
	// Query turns the query string into a value to bind.
	Query(r *http.Request) codecs.Value
	BindOptions() contract.BindOptions
	Messages() contract.Messages
	// Invalid shapes binding and validation failures (nil when there are
	// none).
	Invalid(op *contract.Operation, bindErrs []contract.BindError, fails []contract.Failure) *Problem
	// Conflict shapes a taken username or email.
	Conflict(op *contract.Operation, err *backend.ConflictError) *Problem
	// Render turns a problem into the host's error body.
	Render(r *http.Request, p *Problem) codecs.Value
	// Encoder returns the writer for a negotiated format, nil when the style
	// cannot write it.
	Encoder(format string) Encoder
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
	Err        error // cause, for the log only
}

// Error implements error so a problem can travel through Echo.
func (p *Problem) Error() string {
	if p.Err != nil {
		return p.Err.Error()
	}
	return http.StatusText(p.Status)
}
