package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"go.uber.org/zap"

	"legacygate/backend"
	"legacygate/codecs"
	"legacygate/routes/contract"
)

// Handler serves one operation of one mounted host.
type Handler struct {
	Op        *contract.Operation
	Style     Style
	Registrar backend.Registrar
	Realm     string
	// Location is the server time zone for Local DateTimes.
	Location *time.Location
	// MaxBody is the request body limit in bytes.
	MaxBody int64
	// RetryAfter is advertised when the backend is overloaded.
	RetryAfter time.Duration
	// DebugHeaders adds X-Legacygate-Negotiation to responses.
	DebugHeaders bool
	Log          *zap.Logger
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// ServeHTTP runs the pipeline.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := h.Op.Host()
	info := InfoFrom(r.Context())
	info.Host, info.Op = host.Name, h.Op.Name

	neg, ok := h.Style.Negotiate(host, r)
	info.Format, info.Negotiation = neg.Format, neg.Reason
	if h.DebugHeaders {
		w.Header().Set("X-Legacygate-Negotiation", neg.Reason)
	}
	if !ok {
		w.WriteHeader(http.StatusNotAcceptable)
		return
	}
	resp, p := h.run(r)
	if p != nil {
		info.Err = p
		h.WriteProblem(w, r, neg, p)
		return
	}
	h.write(w, neg, http.StatusOK, resp, h.Op.Response.Schema)
}

// run does everything between negotiation and encoding.
func (h *Handler) run(r *http.Request) (codecs.Value, *Problem) {
	op, host := h.Op, h.Op.Host()
	q := r.URL.Query()
	for _, k := range op.RequireQuery {
		if !hasKeyFold(q, k) {
			return codecs.Value{}, &Problem{Kind: NotFound, Status: http.StatusNotFound}
		}
	}
	var in codecs.Value
	switch op.Bind {
	case contract.FromQuery:
		in = h.Style.Query(r)
	default:
		body, p := ReadBody(r, h.MaxBody)
		if p != nil {
			return in, p
		}
		v, derr, p := h.Style.ReadBody(host, r, body)
		if p != nil {
			return in, p
		}
		if derr != nil {
			// The whole body is unreadable: the model stays null and is not
			// validated, as in Web API.
			return in, h.Style.Invalid(op, []contract.BindError{{Msg: derr.Error()}}, nil)
		}
		in = v
	}
	bound, bindErrs := contract.Bind(op.Request, in, h.Style.BindOptions())
	fails := contract.Validate(op.Request, bound, h.Style.Messages())
	if p := h.Style.Invalid(op, bindErrs, fails); p != nil {
		return in, p
	}
	switch op.Action {
	case contract.ActionIsAvailable:
		name, _ := bound.Get(op.Mapping["username"])
		free, err := h.Registrar.IsAvailable(r.Context(), h.Realm, contract.Text(name))
		if err != nil {
			return in, h.backendProblem(err)
		}
		return codecs.BoolV(free), nil
	case contract.ActionRegister:
		cmd := op.Command(bound, h.Realm)
		user, err := h.Registrar.Register(r.Context(), cmd)
		if err != nil {
			return in, h.backendProblem(err)
		}
		h.Log.Info("user registered", zap.String("op", op.Name), zap.Object("command", cmd), zap.Int64("id", user.ID), zap.String("uuid", user.UUID))
		return op.Respond(contract.Source{User: user, Request: bound, Location: h.Location}), nil
	}
	return in, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: fmt.Errorf("pipeline: action %q has no implementation", op.Action)}
}

func hasKeyFold(q map[string][]string, key string) bool {
	for k := range q {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

func (h *Handler) backendProblem(err error) *Problem {
	var ce *backend.ConflictError
	switch {
	case errors.As(err, &ce):
		p := h.Style.Conflict(h.Op, ce)
		p.Err = err
		return p
	case errors.Is(err, backend.ErrOverloaded), errors.Is(err, backend.ErrUnavailable):
		return &Problem{Kind: Overloaded, Status: http.StatusServiceUnavailable, RetryAfter: h.RetryAfter, Err: err}
	case errors.Is(err, context.Canceled):
		return &Problem{Kind: Internal, Status: 499, Err: err}
	}
	return &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: err}
}

// ReadBody reads the request body up to max bytes; more is a TooLarge
// problem. An unreadable body is an Invalid problem of the whole body.
func ReadBody(r *http.Request, max int64) ([]byte, *Problem) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if max > 0 && r.ContentLength > max {
		return nil, &Problem{Kind: TooLarge, Status: http.StatusRequestEntityTooLarge}
	}
	limit := max
	if limit <= 0 {
		limit = 1 << 62
	}
	// One byte past the limit tells a too-large chunked body from one that
	// fits exactly.
	buf, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	switch {
	case int64(len(buf)) > limit:
		return nil, &Problem{Kind: TooLarge, Status: http.StatusRequestEntityTooLarge}
	case err != nil:
		return nil, &Problem{Kind: Invalid, Status: http.StatusBadRequest, Err: err}
	}
	return buf, nil
}

// WriteProblem renders p in the host's shape and negotiated format.
func (h *Handler) WriteProblem(w http.ResponseWriter, r *http.Request, neg codecs.Negotiation, p *Problem) {
	WriteProblem(w, r, h.Style, neg, p, h.Log)
}

// WriteProblem renders p with style s in the negotiated format.
func WriteProblem(w http.ResponseWriter, r *http.Request, s Style, neg codecs.Negotiation, p *Problem, log *zap.Logger) {
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((p.RetryAfter+time.Second-1)/time.Second)))
	}
	if p.Allow != "" {
		w.Header().Set("Allow", p.Allow)
	}
	if p.Kind == Internal && p.Status != 499 && log != nil {
		log.Error("request failed", zap.Error(p.Err))
	}
	writeValue(w, s, neg, p.Status, s.Render(r, p), nil, log)
}

func (h *Handler) write(w http.ResponseWriter, neg codecs.Negotiation, status int, v codecs.Value, t *codecs.Type) {
	writeValue(w, h.Style, neg, status, v, t, h.Log)
}

func writeValue(w http.ResponseWriter, s Style, neg codecs.Negotiation, status int, v codecs.Value, t *codecs.Type, log *zap.Logger) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	out, err := s.Encoder(neg.Format).Append((*bp)[:0], v, t)
	if err != nil {
		if log != nil {
			log.Error("encode response", zap.Error(err))
		}
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	*bp = out
	if neg.Charset == "utf-16" {
		out = utf16LE(out)
	}
	ct := neg.MediaType
	if neg.Charset != "" {
		ct += "; charset=" + neg.Charset
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// utf16LE re-encodes UTF-8 text as UTF-16LE with a BOM, as .NET's
// UnicodeEncoding writes it when that charset was negotiated.
func utf16LE(b []byte) []byte {
	out := make([]byte, 0, 2+2*len(b))
	out = append(out, 0xFF, 0xFE)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		for _, u := range utf16.Encode([]rune{r}) {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}
