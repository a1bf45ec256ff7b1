package replay

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"legacygate/routes/exchange"
	"legacygate/routes/exchange/diff"
	"legacygate/routes/exchange/har"
)

// MaxFileBytes bounds a case file (txtar or HAR) that is read.
const MaxFileBytes = 256 << 20

// Case is one recorded exchange file: a txtar golden case or a HAR file,
// its requests replayed in order.
type Case struct {
	Name  string // e.g. hub/Register/ok (relative to the folder named), or session.har
	Path  string // the file
	Rules diff.Rules
	file  *exchange.File // txtar cases
	har   []har.Entry    // HAR cases
	fresh []*regexp.Regexp
}

// HAR reports whether the case came from a HAR file.
func (c *Case) HAR() bool { return c.har != nil }

// Step is one request of a case, ready to send, and what it expects.
type Step struct {
	Method   string
	URI      string // path and query
	Host     string // the recorded Host
	Header   http.Header
	Body     []byte
	Expected diff.Message
	raw      []byte // the request as recorded (txtar), for --record
}

// Load reads cases from files and folders (every *.txtar and *.har below
// a folder, in lexical order). fresh lists literal strings that must be
// fresh per run: each is prefixed with the case's token wherever it occurs
// in a request or expectation, in any letter case (user names compare
// without case), for recordings that predate {{unique}} such as HAR files.
func Load(paths []string, fresh []string) ([]*Case, error) {
	freshRe := make([]*regexp.Regexp, 0, len(fresh))
	for _, f := range fresh {
		// A pattern must be valid UTF-8 (regexp.Compile refuses it
		// otherwise); a recorded value is text.
		if f == "" || !utf8.ValidString(f) {
			return nil, fmt.Errorf("replay: fresh value %q: want non-empty UTF-8 text", f)
		}
		freshRe = append(freshRe, regexp.MustCompile("(?i)"+regexp.QuoteMeta(f)))
	}
	var out []*Case
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		if !st.IsDir() {
			c, err := loadFile(p, strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)))
			if err != nil {
				return nil, err
			}
			out = append(out, c)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			ext := filepath.Ext(path)
			if ext != ".txtar" && ext != ".har" {
				return nil
			}
			rel, _ := filepath.Rel(p, path)
			c, err := loadFile(path, filepath.ToSlash(strings.TrimSuffix(rel, ext)))
			if err == nil {
				out = append(out, c)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	for _, c := range out {
		c.fresh = freshRe
	}
	return out, nil
}

func loadFile(path, name string) (*Case, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("replay: %s: larger than %d bytes", path, MaxFileBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	c := &Case{Name: name, Path: path}
	if filepath.Ext(path) == ".har" {
		es, err := har.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("replay: %s: %w", path, err)
		}
		if es == nil {
			es = []har.Entry{}
		}
		c.har = es
		return c, nil
	}
	f, err := exchange.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("replay: %s: %w", path, err)
	}
	c.file = f
	if len(bytes.TrimSpace(f.Ignore)) > 0 {
		if err := yaml.Unmarshal(f.Ignore, &c.Rules); err != nil {
			return nil, fmt.Errorf("replay: %s: ignore section: %w", path, err)
		}
		if err := c.Rules.Compile(); err != nil {
			return nil, fmt.Errorf("replay: %s: %w", path, err)
		}
	}
	return c, nil
}

// NewToken returns a fresh value for {{unique}}: lowercase letters and
// digits, valid in a user name, an email's local part, a URL and every
// body format.
func NewToken() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	b[0] = 'r'
	return string(b)
}

func (c *Case) expand(b []byte, token string) []byte {
	b = exchange.Expand(b, token)
	for _, re := range c.fresh {
		b = re.ReplaceAllFunc(b, func(m []byte) []byte { return append([]byte(token), m...) })
	}
	return b
}

// Steps expands the case with token.
func (c *Case) Steps(token string) ([]Step, error) {
	if c.file != nil {
		steps := make([]Step, 0, len(c.file.Pairs))
		for i, p := range c.file.Pairs {
			req, err := exchange.ReadRequest(c.expand(p.Request, token))
			if err != nil {
				return nil, fmt.Errorf("exchange %d: %w", i+1, err)
			}
			body, err := readAll(req)
			if err != nil {
				return nil, err
			}
			exp, err := exchange.ReadExpected(c.expand(p.Response, token))
			if err != nil {
				return nil, fmt.Errorf("exchange %d: %w", i+1, err)
			}
			steps = append(steps, Step{Method: req.Method, URI: req.URL.RequestURI(), Host: req.Host, Header: req.Header, Body: body,
				Expected: diff.Message{Status: exp.Status, Header: exp.Header, Body: exp.Body}, raw: p.Request})
		}
		return steps, nil
	}
	steps := make([]Step, 0, len(c.har))
	for _, e := range c.har {
		if e.Status == 0 {
			continue // the browser got no response: nothing to compare with
		}
		s := Step{Method: e.Method, URI: string(c.expand([]byte(e.URL.RequestURI()), token)), Host: e.URL.Host, Header: http.Header{}, Body: c.expand(e.Body, token)}
		for _, h := range e.Header {
			s.Header.Add(h.Name, string(c.expand([]byte(h.Value), token)))
		}
		s.Header.Del("Host")
		s.Header.Del("Cookie") // a case's own cookie jar replays the session
		s.Expected = diff.Message{Status: e.Status, Header: http.Header{}, Body: c.expand(e.RespBody, token)}
		for _, h := range e.RespHeader {
			if slices.Contains(diff.SelectedHeaders, http.CanonicalHeaderKey(h.Name)) {
				http.Header(s.Expected.Header).Add(h.Name, string(c.expand([]byte(h.Value), token)))
			}
		}
		steps = append(steps, s)
	}
	return steps, nil
}

func readAll(req *http.Request) ([]byte, error) {
	var b bytes.Buffer
	if req.Body == nil {
		return nil, nil
	}
	_, err := b.ReadFrom(req.Body)
	return b.Bytes(), err
}

// rawRequest renders a step as a txtar request section.
func (s Step) rawRequest() []byte {
	if s.raw != nil {
		return s.raw
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\nHost: %s\n", s.Method, s.URI, s.Host)
	keys := make([]string, 0, len(s.Header))
	for k := range s.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range s.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(s.Body)
	b.WriteString("\n")
	return b.Bytes()
}
