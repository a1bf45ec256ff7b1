package shadow

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"legacygate/routes/exchange/diff"
)

// Outcome is what became of one sampled request.
type Outcome string

// The outcomes counted.
const (
	Match      Outcome = "match"      // the answers agree
	Difference Outcome = "difference" // they differ (logged)
	Error      Outcome = "error"      // the legacy host could not be asked
	Dropped    Outcome = "dropped"    // the queue was full
)

// Counter receives every outcome; a metrics exporter implements it. It is
// called from the workers (and, for Dropped, from the request), so it must
// be cheap and safe for concurrent use.
type Counter interface {
	Count(host, op string, o Outcome)
}

// Served says which host and operation served a request, read after the
// gateway's handler has run; ok is false for requests no operation served.
type Served func(r *http.Request) (host, op string, ok bool)

// Options wire a Shadow.
type Options struct {
	Served Served
	// Secrets lists a host's secret member names (from its contract);
	// differences at those members are logged without values.
	Secrets func(host string) []string
	Log     *zap.Logger
	Counter Counter // optional, besides the built-in counts
	Client  *http.Client
}

// Shadow is the middleware and its workers.
type Shadow struct {
	cfg     Config
	opt     Options
	hosts   map[string]*host
	maxRate float64
	queue   chan job
	wg      sync.WaitGroup
	closed  atomic.Bool
	mu      sync.Mutex // guards closing the queue against senders
	counts  sync.Map   // host+"\x00"+op → *counts
}

type host struct {
	target *url.URL
	cfg    HostConfig
}

type counts struct{ match, difference, errors, dropped atomic.Int64 }

// Counts are one operation's totals.
type Counts struct {
	Match, Difference, Error, Dropped int64
}

// job is one sampled exchange: the request as received and the gateway's
// answer, both copied.
type job struct {
	host, op string
	method   string
	uri      string
	header   http.Header
	body     []byte
	answer   diff.Message
	rules    diff.Rules
}

// New starts the workers. Close stops them.
func New(cfg Config, opt Options) *Shadow {
	cfg.Defaults()
	if opt.Log == nil {
		opt.Log = zap.NewNop()
	}
	if opt.Client == nil {
		opt.Client = &http.Client{Timeout: cfg.Timeout, Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: cfg.Workers}}
	}
	opt.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s := &Shadow{cfg: cfg, opt: opt, hosts: map[string]*host{}, queue: make(chan job, cfg.Queue)}
	for name, h := range cfg.Hosts {
		u, err := url.Parse(h.Target)
		if err != nil {
			continue // Validate reports it
		}
		s.hosts[name] = &host{target: u, cfg: h}
		s.maxRate = max(s.maxRate, h.Sample)
		for _, o := range h.Operations {
			if o.Sample != nil {
				s.maxRate = max(s.maxRate, *o.Sample)
			}
		}
	}
	for range cfg.Workers {
		s.wg.Add(1)
		go s.work()
	}
	return s
}

// Close stops taking samples, finishes the queued comparisons, waits,
// and logs the totals.
func (s *Shadow) Close() {
	s.mu.Lock()
	first := !s.closed.Swap(true)
	if first {
		close(s.queue)
	}
	s.mu.Unlock()
	s.wg.Wait()
	if !first {
		return
	}
	for key, c := range s.Totals() {
		host, op, _ := strings.Cut(key, "/")
		s.opt.Log.Info("shadow: totals", zap.String("host", host), zap.String("op", op), zap.Int64("match", c.Match),
			zap.Int64("difference", c.Difference), zap.Int64("error", c.Error), zap.Int64("dropped", c.Dropped))
	}
}

// Totals returns every operation's counts, keyed "host/op".
func (s *Shadow) Totals() map[string]Counts {
	out := map[string]Counts{}
	s.counts.Range(func(k, _ any) bool {
		host, op, _ := strings.Cut(k.(string), "\x00")
		out[host+"/"+op] = s.Counts(host, op)
		return true
	})
	return out
}

// Counts returns the totals of one host's operation.
func (s *Shadow) Counts(host, op string) Counts {
	v, ok := s.counts.Load(host + "\x00" + op)
	if !ok {
		return Counts{}
	}
	c := v.(*counts)
	return Counts{Match: c.match.Load(), Difference: c.difference.Load(), Error: c.errors.Load(), Dropped: c.dropped.Load()}
}

func (s *Shadow) count(host, op string, o Outcome) {
	v, _ := s.counts.LoadOrStore(host+"\x00"+op, &counts{})
	c := v.(*counts)
	switch o {
	case Match:
		c.match.Add(1)
	case Difference:
		c.difference.Add(1)
	case Error:
		c.errors.Add(1)
	case Dropped:
		c.dropped.Add(1)
	}
	if s.opt.Counter != nil {
		s.opt.Counter.Count(host, op, o)
	}
}

func safe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// Middleware copies what a sampled request needs as it streams and queues
// the comparison after the gateway has answered.
func (s *Shadow) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		roll := rand.Float64()
		if s.closed.Load() || roll >= s.maxRate {
			next.ServeHTTP(w, r)
			return
		}
		limit := s.cfg.MaxBodyBytes
		reqCopy := &capture{limit: limit}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &teeBody{ReadCloser: r.Body, c: reqCopy}
		} else {
			reqCopy.eof = true
		}
		header := r.Header.Clone()
		uri := r.URL.RequestURI()
		rec := &recorder{ResponseWriter: w, c: capture{limit: limit}}
		next.ServeHTTP(rec, r)

		hostName, op, ok := s.opt.Served(r)
		if !ok {
			return
		}
		h := s.hosts[hostName]
		if h == nil {
			return
		}
		rate := h.cfg.Sample
		oc, listed := h.cfg.Operations[op]
		if listed && oc.Sample != nil {
			rate = *oc.Sample
		}
		if roll >= rate || (!safe(r.Method) && !oc.SideEffects) {
			return
		}
		if !reqCopy.eof || reqCopy.over || rec.c.over {
			return // a body the gateway did not read to its end, or too large
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		j := job{host: hostName, op: op, method: r.Method, uri: uri, header: header, body: reqCopy.buf.Bytes(),
			answer: diff.Message{Status: status, Header: rec.Header().Clone(), Body: rec.c.buf.Bytes()},
			rules:  append(append(diff.Rules{}, h.cfg.Ignore...), oc.Ignore...)}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed.Load() {
			return
		}
		select {
		case s.queue <- j:
		default:
			s.count(hostName, op, Dropped)
		}
	})
}

// capture keeps the first limit bytes written to it and notes overflow.
type capture struct {
	buf   bytes.Buffer
	limit int64
	over  bool
	eof   bool
}

func (c *capture) keep(p []byte) {
	if c.over {
		return
	}
	if int64(c.buf.Len()+len(p)) > c.limit {
		c.over = true
		c.buf.Reset()
		return
	}
	c.buf.Write(p)
}

type teeBody struct {
	io.ReadCloser
	c *capture
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	t.c.keep(p[:n])
	if err == io.EOF {
		t.c.eof = true
	}
	return n, err
}

type recorder struct {
	http.ResponseWriter
	status int
	c      capture
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.c.keep(p)
	return r.ResponseWriter.Write(p)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes flushes on.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// hop are the headers that describe a connection, not the request.
var hop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length", "Accept-Encoding"}

func (s *Shadow) work() {
	defer s.wg.Done()
	for j := range s.queue {
		s.compare(j)
	}
}

func (s *Shadow) compare(j job) {
	h := s.hosts[j.host]
	t := *h.target
	u, err := url.Parse(j.uri)
	if err != nil {
		s.count(j.host, j.op, Error)
		return
	}
	t.Path = strings.TrimSuffix(t.Path, "/") + u.Path
	t.RawQuery = u.RawQuery
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, j.method, t.String(), bytes.NewReader(j.body))
	if err != nil {
		s.count(j.host, j.op, Error)
		return
	}
	req.Header = j.header
	for _, k := range hop {
		req.Header.Del(k)
	}
	res, err := s.opt.Client.Do(req)
	if err != nil {
		s.opt.Log.Warn("shadow: legacy host unreachable", zap.String("host", j.host), zap.String("op", j.op), zap.Error(err))
		s.count(j.host, j.op, Error)
		return
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, s.cfg.MaxBodyBytes+1))
	_ = res.Body.Close()
	if err != nil || int64(len(body)) > s.cfg.MaxBodyBytes {
		s.count(j.host, j.op, Error)
		return
	}
	legacy := diff.Message{Status: res.StatusCode, Header: http.Header{}, Body: body}
	for _, k := range diff.SelectedHeaders {
		if v := res.Header.Values(k); len(v) > 0 {
			legacy.Header[k] = v
		}
	}
	ds := diff.Compare(legacy, j.answer, diff.Options{Rules: j.rules, Literal: true})
	if len(ds) == 0 {
		s.count(j.host, j.op, Match)
		return
	}
	s.count(j.host, j.op, Difference)
	s.redact(j.host, ds)
	s.opt.Log.Warn("shadow: the gateway's answer differs from the legacy host's",
		zap.String("host", j.host), zap.String("op", j.op), zap.String("method", j.method), zap.String("path", u.Path),
		zap.Int("legacy_status", legacy.Status), zap.Int("gateway_status", j.answer.Status),
		zap.Array("differences", differences(ds)))
}

// redact blanks the values of differences at secret members.
func (s *Shadow) redact(host string, ds []diff.Difference) {
	var secrets []string
	if s.opt.Secrets != nil {
		secrets = s.opt.Secrets(host)
	}
	secrets = append(secrets, s.cfg.Redact...)
	for i := range ds {
		if ds[i].Kind == diff.Body || ds[i].Kind == diff.Type {
			// whole bodies or subtrees: withheld when they name a secret
			for _, v := range []*string{&ds[i].Expected, &ds[i].Actual} {
				if mentions(*v, secrets) {
					*v = fmt.Sprintf("(%d bytes holding a secret member)", len(*v))
				}
			}
			continue
		}
		if isSecret(ds[i].Path, secrets) {
			if ds[i].Expected != "" {
				ds[i].Expected = "(secret)"
			}
			if ds[i].Actual != "" {
				ds[i].Actual = "(secret)"
			}
		}
	}
}

func mentions(s string, secrets []string) bool {
	l := strings.ToLower(s)
	for _, name := range secrets {
		if strings.Contains(l, strings.ToLower(name)) {
			return true
		}
	}
	return false
}

// isSecret reports whether any step of a difference path names a secret
// member ($.user.Password, /R/Password, $["Password"][0]).
func isSecret(path string, secrets []string) bool {
	steps := strings.FieldsFunc(path, func(r rune) bool { return strings.ContainsRune(`$./[]"@:`, r) })
	for _, st := range steps {
		for _, name := range secrets {
			if strings.EqualFold(st, name) {
				return true
			}
		}
	}
	return false
}

// differences logs as an array of {kind, path, legacy, gateway}.
func differences(ds []diff.Difference) zapcore.ArrayMarshaler {
	return zapcore.ArrayMarshalerFunc(func(enc zapcore.ArrayEncoder) error {
		for _, d := range ds {
			err := enc.AppendObject(zapcore.ObjectMarshalerFunc(func(o zapcore.ObjectEncoder) error {
				o.AddString("kind", string(d.Kind))
				o.AddString("path", d.Path)
				if d.Expected != "" {
					o.AddString("legacy", d.Expected)
				}
				if d.Actual != "" {
					o.AddString("gateway", d.Actual)
				}
				return nil
			}))
			if err != nil {
				return err
			}
		}
		return nil
	})
}
