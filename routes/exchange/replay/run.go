package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"legacygate/routes/exchange/diff"
)

// MaxResponseBytes bounds a response body read from the target.
const MaxResponseBytes = 64 << 20

// Options tune [Run].
type Options struct {
	// Target is the base URL requests are sent to; its path prefixes the
	// recorded path.
	Target *url.URL
	// TargetHost sends the target's Host header instead of the recorded
	// one. The recorded Host is the default: legacy hosts write it into
	// answers (Web API's "No HTTP resource was found that matches the
	// request URI 'http://host/…'").
	TargetHost bool
	// Client sends the requests; nil means a client with a 30s timeout.
	// Redirects are never followed (a 302 is an answer to compare).
	Client *http.Client
	// Diff holds the differ's options and the rules for every case.
	Diff diff.Options
}

// Exchange is one request of a case and what came back.
type Exchange struct {
	Index       int               `json:"index"` // 1-based
	Method      string            `json:"method"`
	URI         string            `json:"uri"`
	Status      int               `json:"status,omitempty"`
	Differences []diff.Difference `json:"differences,omitempty"`
	Error       string            `json:"error,omitempty"`

	header http.Header
	body   []byte
}

// Result is the outcome of one case.
type Result struct {
	Case      *Case
	Token     string
	Exchanges []Exchange
	Err       error // the case could not be run to its end
	Duration  time.Duration
	steps     []Step
}

// Passed reports whether every exchange matched.
func (r *Result) Passed() bool { return r.Err == nil && r.Differences() == 0 }

// Differences counts the differences found.
func (r *Result) Differences() int {
	n := 0
	for _, e := range r.Exchanges {
		n += len(e.Differences)
	}
	return n
}

// hopHeaders are not replayed: they describe one connection, or are
// recomputed for the body sent.
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length", "Accept-Encoding"}

func client(opt Options, jar bool) *http.Client {
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true, Proxy: http.ProxyFromEnvironment}}
	if opt.Client != nil {
		cp := *opt.Client
		c = &cp
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if jar {
		c.Jar, _ = cookiejar.New(nil)
	}
	return c
}

// Run replays a case against opt.Target and compares each answer.
func Run(ctx context.Context, c *Case, opt Options) *Result {
	start := time.Now()
	r := &Result{Case: c, Token: NewToken()}
	defer func() { r.Duration = time.Since(start) }()
	steps, err := c.Steps(r.Token)
	if err != nil {
		r.Err = err
		return r
	}
	r.steps = steps
	dopt := opt.Diff
	dopt.Rules = append(append(diff.Rules{}, opt.Diff.Rules...), c.Rules...)
	cl := client(opt, c.HAR())
	for i, s := range steps {
		x := Exchange{Index: i + 1, Method: s.Method, URI: s.URI}
		res, body, err := send(ctx, cl, opt, s)
		if err != nil {
			x.Error = err.Error()
			r.Exchanges = append(r.Exchanges, x)
			r.Err = fmt.Errorf("exchange %d: %w", i+1, err)
			return r
		}
		x.Status, x.header, x.body = res.StatusCode, res.Header, body
		x.Differences = diff.Compare(s.Expected, diff.Message{Status: res.StatusCode, Header: res.Header, Body: body}, dopt)
		r.Exchanges = append(r.Exchanges, x)
	}
	return r
}

func send(ctx context.Context, cl *http.Client, opt Options, s Step) (*http.Response, []byte, error) {
	u, err := url.Parse(s.URI)
	if err != nil {
		return nil, nil, err
	}
	t := *opt.Target
	t.Path = strings.TrimSuffix(t.Path, "/") + u.Path
	t.RawPath = ""
	if u.RawPath != "" {
		t.RawPath = strings.TrimSuffix(opt.Target.EscapedPath(), "/") + u.RawPath
	}
	t.RawQuery = u.RawQuery
	req, err := http.NewRequestWithContext(ctx, s.Method, t.String(), bytes.NewReader(s.Body))
	if err != nil {
		return nil, nil, err
	}
	if len(s.Body) == 0 {
		req.Body = http.NoBody
	}
	req.Header = s.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	for _, h := range hopHeaders {
		req.Header.Del(h)
	}
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header.Set("User-Agent", "") // Go's own is not part of the recording
	}
	if !opt.TargetHost && s.Host != "" {
		req.Host = s.Host
	}
	res, err := cl.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(body) > MaxResponseBytes {
		return nil, nil, errors.New("response body larger than 64 MiB")
	}
	return res, body, nil
}
