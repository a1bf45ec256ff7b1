// Package exchange reads and checks recorded HTTP exchanges: the golden
// corpus under testdata/golden/<host>/<operation>/<case>.txtar that the
// tests replay against the gateway (and that `legacygate replay` will replay
// against any host).
//
// A file is a txtar archive: an optional comment, then sections named
// "request" and "response" in pairs (repeat the pair for a sequence, e.g.
// register then register again). Each section is a raw HTTP/1.1 message. In
// an expected response body, {{int}}, {{uuid}}, {{datetime}} and {{any}}
// stand for values the server generates; everything else must match byte
// for byte. Only the headers the expected response lists are compared.
//
// {{unique}}, in requests and expected responses alike, stands for a value
// fresh per case and per run (the same within one case), so that a case
// that registers a user can be replayed again against a live store:
// "ann{{unique}}@example.com". An optional "ignore" section before the
// first request holds the case's ignore rules for the replay differ.
package exchange

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/textproto"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Pair is one request and the response expected for it.
type Pair struct {
	Request  []byte // raw HTTP request
	Response []byte // raw expected HTTP response
}

// File is a parsed golden exchange.
type File struct {
	Comment string
	// Ignore is the optional "ignore" section, before the first request:
	// the case's own ignore rules for `legacygate replay` (a YAML list, see
	// routes/exchange/diff.Rule).
	Ignore []byte
	Pairs  []Pair
}

// Parse reads a txtar golden exchange.
func Parse(data []byte) (*File, error) {
	f := &File{}
	var name string
	var cur []byte
	var comment []byte
	var sections []struct {
		name string
		body []byte
	}
	flush := func() {
		if name != "" {
			sections = append(sections, struct {
				name string
				body []byte
			}{name, cur})
		}
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		t := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(t, []byte("-- ")) && bytes.HasSuffix(t, []byte(" --")) && len(t) > 6 {
			flush()
			name, cur = string(t[3:len(t)-3]), nil
			continue
		}
		if name == "" {
			comment = append(comment, line...)
		} else {
			cur = append(cur, line...)
		}
	}
	flush()
	f.Comment = string(comment)
	if len(sections) > 0 && sections[0].name == "ignore" {
		f.Ignore, sections = sections[0].body, sections[1:]
	}
	for i := 0; i < len(sections); i += 2 {
		if sections[i].name != "request" || i+1 >= len(sections) || sections[i+1].name != "response" {
			return nil, fmt.Errorf("exchange: sections must come as request/response pairs (section %d is %q)", i+1, sections[i].name)
		}
		f.Pairs = append(f.Pairs, Pair{Request: sections[i].body, Response: sections[i+1].body})
	}
	if len(f.Pairs) == 0 {
		return nil, fmt.Errorf("exchange: no request/response pair")
	}
	return f, nil
}

// Format writes a file back as txtar.
func (f *File) Format() []byte {
	var b bytes.Buffer
	b.WriteString(f.Comment)
	if f.Ignore != nil {
		b.WriteString("-- ignore --\n")
		b.Write(f.Ignore)
	}
	for _, p := range f.Pairs {
		b.WriteString("-- request --\n")
		b.Write(p.Request)
		b.WriteString("-- response --\n")
		b.Write(p.Response)
	}
	return b.Bytes()
}

// ReadRequest parses a raw request section. A body's trailing newline (the
// one txtar needs to end the section) is not part of the body; the
// Content-Length is set from the body.
func ReadRequest(raw []byte) (*http.Request, error) {
	head, body := split(raw)
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(append(head, "\r\n\r\n"...))))
	if err != nil {
		return nil, fmt.Errorf("exchange: request: %w", err)
	}
	req.Body = http.NoBody
	if len(body) > 0 {
		req.Body = readCloser{bytes.NewReader(body)}
	}
	req.ContentLength = int64(len(body))
	req.Header.Del("Content-Length")
	req.RequestURI = ""
	return req, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// Expected is a parsed expected response.
type Expected struct {
	Status int
	Header http.Header
	Body   []byte
}

// ReadExpected parses a raw expected response section.
func ReadExpected(raw []byte) (*Expected, error) {
	head, body := split(raw)
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(head, "\r\n\r\n"...))))
	line, err := tp.ReadLine()
	if err != nil {
		return nil, fmt.Errorf("exchange: response: %w", err)
	}
	parts := strings.SplitN(line, " ", 3)
	if len(parts) < 2 || !strings.HasPrefix(parts[0], "HTTP/") {
		return nil, fmt.Errorf("exchange: bad status line %q", line)
	}
	code, err := strconv.Atoi(parts[1])
	if err != nil {
		return nil, fmt.Errorf("exchange: bad status line %q", line)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil && len(h) == 0 && err.Error() != "EOF" {
		return nil, fmt.Errorf("exchange: response headers: %w", err)
	}
	return &Expected{Status: code, Header: http.Header(h), Body: body}, nil
}

func split(raw []byte) (head, body []byte) {
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	i := bytes.Index(raw, []byte("\n\n"))
	if i < 0 {
		return bytes.TrimRight(raw, "\n"), nil
	}
	head, body = raw[:i], raw[i+2:]
	body = bytes.TrimSuffix(body, []byte("\n"))
	return bytes.ReplaceAll(head, []byte("\n"), []byte("\r\n")), body
}

// Unique is the placeholder for a value fresh per case and run.
const Unique = "{{unique}}"

// Expand replaces {{unique}} in a raw section with token.
func Expand(raw []byte, token string) []byte {
	return bytes.ReplaceAll(raw, []byte(Unique), []byte(token))
}

// Unexpand turns token back into {{unique}}, for recording what a server
// answered to an expanded request.
func Unexpand(raw []byte, token string) []byte {
	if token == "" {
		return raw
	}
	return bytes.ReplaceAll(raw, []byte(token), []byte(Unique))
}

// placeholders are the generated-value patterns, each anchored at the
// position it is tried.
var placeholders = map[string]*regexp.Regexp{
	"{{int}}":      regexp.MustCompile(`^-?[0-9]+`),
	"{{uuid}}":     regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
	"{{datetime}}": regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})?`),
}

var placeholderRe = regexp.MustCompile(`\{\{(int|uuid|datetime|any)\}\}`)

// MatchBody reports whether actual matches the expected body: literal
// bytes compare exactly (bodies need not be UTF-8: a UTF-16 response is
// compared byte for byte), placeholders match a generated value, and
// {{any}} matches any bytes.
func MatchBody(expected, actual []byte) bool {
	loc := placeholderRe.FindIndex(expected)
	if loc == nil {
		return bytes.Equal(expected, actual)
	}
	lit := expected[:loc[0]]
	if !bytes.HasPrefix(actual, lit) {
		return false
	}
	actual = actual[len(lit):]
	name, rest := string(expected[loc[0]:loc[1]]), expected[loc[1]:]
	if name == "{{any}}" {
		for i := 0; i <= len(actual); i++ {
			if MatchBody(rest, actual[i:]) {
				return true
			}
		}
		return false
	}
	m := placeholders[name].Find(actual)
	return m != nil && MatchBody(rest, actual[len(m):])
}

// Diff compares an actual response with the expectation and describes every
// difference; empty means it matches.
func (e *Expected) Diff(status int, header http.Header, body []byte) []string {
	var out []string
	if status != e.Status {
		out = append(out, fmt.Sprintf("status: got %d, want %d", status, e.Status))
	}
	for k, want := range e.Header {
		got := header.Values(k)
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			out = append(out, fmt.Sprintf("header %s: got %q, want %q", k, got, want))
		}
	}
	if !MatchBody(e.Body, body) {
		out = append(out, fmt.Sprintf("body:\n got: %s\nwant: %s", body, e.Body))
	}
	return out
}

// Update rewrites the response sections of the file at path with actual
// responses, keeping an expected section wherever it still matches (so its
// placeholders survive).
func Update(path string, f *File, actual [][]byte) error {
	for i := range f.Pairs {
		if i < len(actual) && actual[i] != nil {
			f.Pairs[i].Response = actual[i]
		}
	}
	return os.WriteFile(path, f.Format(), 0o644)
}

// Dump renders a response as an expected section: status line, the given
// headers, blank line, body, newline.
func Dump(status int, header http.Header, keys []string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\n", status, http.StatusText(status))
	for _, k := range keys {
		for _, v := range header.Values(k) {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(body)
	b.WriteString("\n")
	return b.Bytes()
}
