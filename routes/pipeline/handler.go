package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"net/url"
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
	"legacygate/routes/pipeline/bind"
	"legacygate/routes/pipeline/mapping"
	"legacygate/routes/pipeline/validate"
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
	// ShedDelay holds a request refused because the hash workers are
	// overloaded this long (at most its Retry-After) before the 503 goes
	// out; zero answers at once. See [Handler.shed].
	ShedDelay time.Duration
	// DebugHeaders adds X-Legacygate-Negotiation to responses.
	DebugHeaders bool
	// Auth identifies callers of operations that require authentication;
	// Sessions opens the session an auto-login registration asks for.
	Auth     Authenticator
	Sessions backend.Sessions
	// Activator consumes activation codes; ActivationTTL is a new code's
	// lifetime and PublicURL the gateway's external base URL, for links.
	Activator     backend.Activator
	ActivationTTL time.Duration
	PublicURL     string
	// Throttle limits sign-ins and registrations per client address.
	Throttle *Throttle
	// Limits bound the decoded request (zero: none).
	Limits codecs.Limits
	// Origins are where a URL from a request may point when it reaches an
	// email or a Location header.
	Origins Origins
	Log     *zap.Logger
}

// Authenticator identifies the caller of a request from its credentials
// (Basic, API key, session cookie), as the host's auth providers do.
type Authenticator interface {
	// Authenticate returns the caller; ok is false for an anonymous caller
	// or credentials that do not check out. err is a backend failure.
	Authenticate(r *http.Request, h *contract.Host, realm string) (u backend.User, ok bool, err error)
	// Challenge is the WWW-Authenticate value of host h's 401.
	Challenge(h *contract.Host) string
	// HasRole reports whether a caller with roles passes a check for want
	// (a framework's super-role passes every check).
	HasRole(roles []string, want string) bool
	// IssueSession hands a new session to the client (ServiceStack's
	// session cookies); remember asks for a lasting one, ttl its lifetime.
	IssueSession(w http.ResponseWriter, s backend.Session, remember bool, ttl time.Duration)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// ServeHTTP runs the pipeline for the operation's own route, as if the
// router had matched it without path variables.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.ServeMatch(w, r, Match{Op: h.Op})
}

// Result is what an operation answers when it succeeds: the value to
// write, or a redirect.
type Result struct {
	Value codecs.Value
	// Redirect, when set, answers 302 with this Location and no body.
	Redirect string
}

// ServeMatch runs the pipeline for the route the router matched.
func (h *Handler) ServeMatch(w http.ResponseWriter, r *http.Request, m Match) {
	if m.Op == nil {
		m.Op = h.Op
	}
	host := h.Op.Host()
	info := InfoFrom(r.Context())
	info.Host, info.Op = host.Name, h.Op.Name

	h.Style.Headers(host, w.Header())
	neg, ok := h.Style.Negotiate(host, m, r)
	info.Format, info.Negotiation = neg.Format, neg.Reason
	if h.DebugHeaders {
		w.Header().Set("X-Legacygate-Negotiation", neg.Reason)
	}
	if !ok {
		w.WriteHeader(http.StatusNotAcceptable)
		return
	}
	res, p := h.run(w, r, m)
	if p != nil {
		info.Err = p
		if p.Kind == Overloaded && errors.Is(p.Err, backend.ErrOverloaded) {
			h.shed(r.Context(), p.RetryAfter)
		}
		h.WriteProblem(w, r, neg, p)
		return
	}
	resp := res.Value
	if res.Redirect != "" {
		w.Header().Set("Location", res.Redirect)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusFound)
		return
	}
	if h.Op.Response != nil && h.Op.Response.Void {
		// Web API's Ok(): 200, no body, no Content-Type.
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	if h.Op.Action == contract.ActionLookup {
		h.write(w, neg, http.StatusOK, resp, nil)
		return
	}
	h.write(w, neg, http.StatusOK, resp, h.Op.Response.Schema())
}

// run does everything between negotiation and encoding.
func (h *Handler) run(w http.ResponseWriter, r *http.Request, m Match) (Result, *Problem) {
	op := h.Op
	if p := h.throttle(r, m); p != nil {
		return Result{}, p
	}
	var caller *backend.User
	if op.Authenticate {
		u, p := h.authorize(r)
		if p != nil {
			return Result{}, p
		}
		caller = &u
	}
	q := r.URL.Query()
	for _, k := range op.RequireQuery {
		if !hasKeyFold(q, k) {
			return Result{}, &Problem{Kind: NotFound, Status: http.StatusNotFound}
		}
	}
	if op.Action == contract.ActionRegister && op.Mapping["password"] != "" {
		// A registration that maps a password hashes it (one that does
		// not registers an account whose password is set later). When
		// the hash workers cannot take one more within their wait budget,
		// refuse before reading, decoding and validating the request:
		// shedding must cost far less than serving, or a flood of refused
		// requests takes the CPU the workers need.
		if a, ok := h.Registrar.(backend.Admitter); ok {
			if err := a.Admit(); err != nil {
				return Result{}, h.backendProblem(err)
			}
		}
	}
	var body []byte
	if op.Bind != contract.FromQuery {
		var p *Problem
		if body, p = ReadBody(r, h.MaxBody); p != nil {
			return Result{}, p
		}
	}
	input, p := h.Style.Read(m, r, body)
	if p != nil {
		return Result{}, p
	}
	in := input.Value
	if input.Err == nil {
		if p := h.checkLimits(&input); p != nil {
			return Result{}, p
		}
	}
	if input.Err != nil {
		if len(input.BindErrs) > 0 {
			return Result{}, h.Style.Invalid(op, &input, input.BindErrs, nil)
		}
		// The whole body is unreadable: the model stays null and is not
		// validated, as in Web API.
		return Result{}, h.Style.Invalid(op, &input, []bind.Error{{Msg: input.Err.Error()}}, nil)
	}
	bound, bindErrs := bind.Request(op.Request, in, h.Style.BindOptions())
	if len(input.BindErrs) > 0 {
		bindErrs = append(input.BindErrs, bindErrs...)
	}
	fails := validate.Request(op.Request, bound, h.Style.Messages())
	if p := h.Style.Invalid(op, &input, bindErrs, fails); p != nil {
		return Result{}, p
	}
	if err := r.Context().Err(); err != nil {
		// The client is gone or out of time: start no backend work.
		return Result{}, h.backendProblem(err)
	}
	switch op.Action {
	case contract.ActionIsAvailable:
		name, _ := mapping.Mapped(op, bound, "username")
		free, err := h.Registrar.IsAvailable(r.Context(), h.Realm, mapping.Text(name))
		if err != nil {
			return Result{}, h.backendProblem(err)
		}
		return Result{Value: codecs.BoolV(free)}, nil
	case contract.ActionAuthenticate:
		return h.authVerb(w, r, m, bound)
	case contract.ActionLookup:
		items := op.Host().Lookups[op.Lookup]
		out := codecs.Value{Kind: codecs.Array, Items: make([]codecs.Value, 0, len(items))}
		for _, it := range items {
			out.Items = append(out.Items, codecs.Obj(codecs.M("Code", codecs.Str(it.Code)), codecs.M("Name", codecs.Str(it.Name))))
		}
		return Result{Value: out}, nil
	case contract.ActionActivate:
		return h.activate(r, bound)
	case contract.ActionRegister:
		if p := h.checkRoles(&input, bound, caller); p != nil {
			return Result{}, p
		}
		if p := h.checkLinks(&input, bound); p != nil {
			return Result{}, p
		}
		cmd := mapping.Command(op, bound, h.Realm)
		if op.Activation != nil {
			cmd.Activation = &backend.Activation{TTL: h.ActivationTTL, Event: h.activationEvent(bound)}
		}
		user, err := h.Registrar.Register(r.Context(), cmd)
		if err != nil {
			return Result{}, h.backendProblem(err)
		}
		// The request's one log line says who was registered (see
		// routes' access log); it never carries the name or email.
		info := InfoFrom(r.Context())
		info.User, info.UserEvent = &user, "registered"
		src := mapping.Source{User: user, Request: bound, Location: h.Location}
		if op.AutoLogin != "" {
			if v, _ := bound.Get(op.AutoLogin); v.Kind == codecs.Bool && v.Bool && h.Sessions != nil {
				sess, err := h.Sessions.OpenSession(r.Context(), h.Realm, user.UUID, op.Host().Auth.SessionTTL)
				if err != nil {
					// The user exists; only the session failed. Answer
					// without one rather than fail a registration that
					// happened (the client can sign in).
					h.Log.Warn("auto-login session", zap.Error(err))
				} else {
					if h.Auth != nil {
						h.Auth.IssueSession(w, sess, false, op.Host().Auth.SessionTTL)
					}
					src.Session = sess.ID
				}
			}
		}
		return Result{Value: mapping.Respond(op, src)}, nil
	}
	return Result{}, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: fmt.Errorf("pipeline: action %q has no implementation", op.Action)}
}

// value makes a step's value its Result.
func value(v codecs.Value, p *Problem) (Result, *Problem) { return Result{Value: v}, p }

// activationEvent builds the outbox event's fields: the mail template, the
// request's language, the link the email carries and every other
// non-secret scalar member the request carried (templates may use them).
func (h *Handler) activationEvent(bound codecs.Value) []backend.Attribute {
	a := h.Op.Activation
	lang := ""
	if a.Language != "" {
		v, _ := bound.Get(a.Language)
		lang = mapping.Text(v)
	}
	link := ""
	if a.Callback != "" && a.CallbackFlag != "" {
		cb, _ := bound.Get(a.Callback)
		flag, _ := bound.Get(a.CallbackFlag)
		if flag.Kind == codecs.Bool && flag.Bool && mapping.Text(cb) != "" {
			link = appendQuery(mapping.Text(cb), "code="+backend.CodePlaceholder)
		}
	}
	if link == "" {
		link = expandLink(a.Link, h.PublicURL, bound)
	}
	ev := []backend.Attribute{{Name: "template", Value: a.Template}, {Name: "language", Value: lang}, {Name: "link", Value: link}}
	seen := map[string]bool{"template": true, "language": true, "link": true}
	for _, m := range h.Op.Request.AllMembers() {
		if m.Secret || m.Type.List() || m.Type.Map() || m.Type.Object != nil || seen[m.Name] {
			continue
		}
		if v, ok := bound.Get(m.Name); ok && v.Kind != codecs.Null {
			seen[m.Name] = true
			ev = append(ev, backend.Attribute{Name: m.Name, Value: mapping.Text(v)})
		}
	}
	return ev
}

// expandLink fills {public_url}, {request.<Member>} and {?} in a link
// template; {code} and {user} are left for the backend.
func expandLink(tmpl, publicURL string, bound codecs.Value) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '{' {
			b.WriteByte(tmpl[i])
			continue
		}
		end := strings.IndexByte(tmpl[i:], '}')
		if end < 0 {
			b.WriteString(tmpl[i:])
			break
		}
		name := tmpl[i+1 : i+end]
		switch {
		case name == "public_url":
			b.WriteString(strings.TrimRight(publicURL, "/"))
		case name == "?":
			if strings.Contains(b.String(), "?") {
				b.WriteByte('&')
			} else {
				b.WriteByte('?')
			}
		case strings.HasPrefix(name, "request."):
			v, _ := bound.Get(strings.TrimPrefix(name, "request."))
			b.WriteString(mapping.Text(v))
		default:
			b.WriteString(tmpl[i : i+end+1])
		}
		i += end
	}
	return b.String()
}

func appendQuery(u, kv string) string {
	if strings.Contains(u, "?") {
		return u + "&" + kv
	}
	return u + "?" + kv
}

// activate consumes an activation code once and, when the contract says
// so, redirects to the client's callback URL (with the code appended when
// the user asked for that at registration).
func (h *Handler) activate(r *http.Request, bound codecs.Value) (Result, *Problem) {
	op := h.Op
	codeV, _ := mapping.Mapped(op, bound, "code")
	if h.Activator == nil {
		return Result{}, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: errors.New("pipeline: no activator configured")}
	}
	userV, _ := mapping.Mapped(op, bound, "user")
	var u backend.User
	var err error
	if op.Mapping["user"] != "" && mapping.Text(userV) == "" {
		err = backend.ErrInvalidActivation // the code must name its user
	} else {
		u, err = h.Activator.ActivateFor(r.Context(), h.Realm, mapping.Text(codeV), mapping.Text(userV))
	}
	if errors.Is(err, backend.ErrInvalidActivation) {
		key := op.Mapping["code"]
		if op.Parameter != "" && op.Parameter != key {
			key = op.Parameter + "." + key
		}
		return Result{}, &Problem{Kind: Invalid, Status: http.StatusBadRequest, Err: err,
			Fields: []FieldError{{Key: key, Code: "InvalidActivationCode", Message: "The activation code is invalid, expired or already used."}}}
	}
	if err != nil {
		return Result{}, h.backendProblem(err)
	}
	info := InfoFrom(r.Context())
	info.User, info.UserEvent = &u, "activated"
	res := Result{Value: mapping.Respond(op, mapping.Source{User: u, Request: bound, Location: h.Location})}
	if rd := op.Redirect; rd != nil {
		if to, ok := u.Attr(rd.URL); ok && h.Origins.Allows(to) {
			if flag, _ := u.Attr(rd.CodeIf); rd.CodeIf != "" && flag == "true" {
				to = appendQuery(to, "code="+url.QueryEscape(mapping.Text(codeV)))
			}
			res.Redirect = to
		}
	}
	return res, nil
}

// authenticate checks credentials and opens a session (ServiceStack's
// CredentialsAuthProvider): cookies ss-id, ss-pid and ss-opt, and the
// session id in the response. A wrong username or password is a 401 with
// the host's error body.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request, bound codecs.Value) (codecs.Value, *Problem) {
	op := h.Op
	name, _ := mapping.Mapped(op, bound, "username")
	pw, _ := mapping.Mapped(op, bound, "password")
	remember, _ := mapping.Mapped(op, bound, "remember_me")
	u, err := h.Registrar.Authenticate(r.Context(), h.Realm, mapping.Text(name), backend.Password(mapping.Text(pw)))
	if err == nil && !u.Active {
		err = backend.ErrInvalidCredentials // not activated yet
	}
	if errors.Is(err, backend.ErrInvalidCredentials) {
		return codecs.Value{}, &Problem{Kind: Unauthorized, Status: http.StatusUnauthorized, Code: "Unauthorized",
			Message: "Invalid UserName or Password", Err: err}
	}
	if err != nil {
		return codecs.Value{}, h.backendProblem(err)
	}
	if h.Sessions == nil {
		return codecs.Value{}, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: errors.New("pipeline: no session store")}
	}
	ttl := op.Host().Auth.SessionTTL
	sess, err := h.Sessions.OpenSession(r.Context(), h.Realm, u.UUID, ttl)
	if err != nil {
		return codecs.Value{}, h.backendProblem(err)
	}
	if h.Auth != nil {
		h.Auth.IssueSession(w, sess, remember.Kind == codecs.Bool && remember.Bool, ttl)
	}
	info := InfoFrom(r.Context())
	info.User, info.UserEvent = &u, "signed_in"
	return mapping.Respond(op, mapping.Source{User: u, Request: bound, Location: h.Location, Session: sess.ID}), nil
}

// authorize runs the host's [Authenticate] and [RequiredRole] checks.
func (h *Handler) authorize(r *http.Request) (backend.User, *Problem) {
	hst := h.Op.Host()
	if h.Auth == nil {
		return backend.User{}, &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: errors.New("pipeline: operation requires authentication but no authenticator is configured")}
	}
	u, ok, err := h.Auth.Authenticate(r, hst, h.Realm)
	if err != nil {
		return u, h.backendProblem(err)
	}
	if !ok {
		return u, &Problem{Kind: Unauthorized, Status: http.StatusUnauthorized, Empty: true,
			Challenge: h.Auth.Challenge(hst), Err: errors.New("not authenticated")}
	}
	InfoFrom(r.Context()).User = &u
	for _, role := range h.Op.Roles {
		if !h.Auth.HasRole(u.Roles, role) {
			return u, &Problem{Kind: Forbidden, Status: http.StatusForbidden, Empty: true, Reason: "Invalid Role",
				Err: fmt.Errorf("user lacks role %s", role)}
		}
	}
	return u, nil
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
	var le *backend.LockedError
	switch {
	case errors.As(err, &le):
		// ServiceStack's AuthenticationException(ErrorMessages.UserAccountLocked),
		// given whatever the password (see redisstore.Store.Authenticate).
		return &Problem{Kind: Unauthorized, Status: http.StatusUnauthorized, Code: "AuthenticationException",
			Message: "This account has been locked", RetryAfter: le.RetryAfter, Err: err}
	case errors.As(err, &ce):
		p := h.Style.Conflict(h.Op, ce)
		p.Err = err
		return p
	case errors.Is(err, backend.ErrOverloaded), errors.Is(err, backend.ErrUnavailable):
		retry := h.RetryAfter
		var oe *backend.OverloadedError
		if errors.As(err, &oe) && oe.RetryAfter > 0 {
			retry = oe.RetryAfter // the hash queue's expected wait
		}
		return &Problem{Kind: Overloaded, Status: http.StatusServiceUnavailable, RetryAfter: retry, Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &Problem{Kind: Internal, Status: 499, Err: err}
	}
	return &Problem{Kind: Internal, Status: http.StatusInternalServerError, Err: err}
}

// shed holds a request the overloaded hash workers refused for ShedDelay
// (at most its Retry-After), or until the client leaves, before its 503 is
// written. Clients that honour Retry-After lose nothing; a client that
// retries in a tight loop (a load generator, an attacker, a naive retry
// policy) is slowed to one refusal per ShedDelay per connection, so the
// refusals cannot take the CPU the hash workers need. The wait costs a
// parked goroutine and a timer, not CPU.
func (h *Handler) shed(ctx context.Context, retry time.Duration) {
	d := min(h.ShedDelay, retry)
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
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
	WriteProblem(w, r, h.Style, h.Op.Host(), neg, p, h.Log)
}

// WriteProblem renders p with style s in the negotiated format.
func WriteProblem(w http.ResponseWriter, r *http.Request, s Style, hst *contract.Host, neg codecs.Negotiation, p *Problem, log *zap.Logger) {
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((p.RetryAfter+time.Second-1)/time.Second)))
	}
	if p.Allow != "" {
		w.Header().Set("Allow", p.Allow)
	}
	if p.Challenge != "" {
		w.Header().Set("WWW-Authenticate", p.Challenge)
	}
	if p.Kind == Internal && p.Status != 499 && log != nil {
		log.Error("request failed", zap.Error(p.Err))
	}
	if p.Empty {
		writeEmpty(w, r, p.Status, p.Reason)
		return
	}
	writeValue(w, s, hst, neg, p.Status, s.Render(r, p), nil, log)
}

func (h *Handler) write(w http.ResponseWriter, neg codecs.Negotiation, status int, v codecs.Value, t *codecs.Type) {
	writeValue(w, h.Style, h.Op.Host(), neg, status, v, t, h.Log)
}

func writeValue(w http.ResponseWriter, s Style, hst *contract.Host, neg codecs.Negotiation, status int, v codecs.Value, t *codecs.Type, log *zap.Logger) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	out, err := s.Encoder(hst, neg.Format).Append((*bp)[:0], v, t)
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
	hdr := w.Header()
	hdr["Content-Type"] = contentType(neg.MediaType, neg.Charset)
	hdr.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// contentType returns the header value "<mediaType>[; charset=<charset>]"
// as a one-element slice, remembered (codecs.Memo, a fixed number of
// entries) so that the common ones cost no allocation. The slice is shared
// between responses: its capacity is 1, so an Add copies it; nothing
// writes header values in place.
func contentType(mediaType, charset string) []string {
	k := [2]string{mediaType, charset}
	if v, ok := contentTypes.Get(k); ok {
		return v
	}
	ct := mediaType
	if charset != "" {
		ct += "; charset=" + charset
	}
	v := []string{ct}[:1:1]
	if len(ct) <= 256 {
		contentTypes.Put(k, v)
	}
	return v
}

// contentTypes remembers contentType's values; see codecs.Memo.
var contentTypes = codecs.NewMemo[[2]string, []string](func(seed maphash.Seed, k [2]string) uint64 {
	return codecs.HashStrings(seed, k[0], k[1])
})

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

// writeEmpty answers status without a body. A reason phrase other than the
// standard one (ServiceStack's "Invalid Role") can only be sent by writing
// the HTTP/1.x status line ourselves, which needs the connection; where
// that is impossible (HTTP/2, a wrapped writer) the standard phrase is
// sent, as HTTP/2 has no phrase at all.
func writeEmpty(w http.ResponseWriter, r *http.Request, status int, reason string) {
	w.Header().Set("Content-Length", "0")
	if reason == "" || reason == http.StatusText(status) || r.ProtoMajor != 1 {
		w.WriteHeader(status)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(status)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		w.WriteHeader(status)
		return
	}
	defer conn.Close()
	hdr := w.Header().Clone()
	hdr.Set("Connection", "close")
	hdr.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	fmt.Fprintf(buf, "HTTP/1.1 %03d %s\r\n", status, sanitizeReason(reason))
	_ = hdr.Write(buf)
	_, _ = buf.WriteString("\r\n")
	_ = buf.Flush()
}

func sanitizeReason(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < ' ' || c == 0x7f {
			b[i] = ' '
		}
	}
	return string(b)
}
