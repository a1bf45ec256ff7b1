// Package har reads HTTP Archive (HAR) 1.2 files, the format browsers'
// developer tools, proxies and most API tools export, into request and
// response pairs for `legacygate replay`.
//
// Only what a replay needs is kept: the request's method, URL, headers and
// body (postData.text, or postData.params encoded as a form), and the
// response's status, headers and body (content.text, base64-decoded when
// content.encoding says so). Timings, cookies arrays (the Cookie and
// Set-Cookie headers carry the same data) and cache data are skipped.
// Decoding is bounded: entries, headers and the file itself (the caller
// limits what it reads).
package har

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Limits on what a HAR file may hold.
const (
	MaxEntries = 100000
	MaxHeaders = 512
)

// Header is one header line, in file order.
type Header struct{ Name, Value string }

// Entry is one recorded exchange.
type Entry struct {
	Method     string
	URL        *url.URL
	Header     []Header
	Body       []byte
	Status     int // 0: the browser got no response (blocked, aborted)
	StatusText string
	RespHeader []Header
	RespBody   []byte
}

type file struct {
	Log *struct {
		Version string `json:"version"`
		Entries []struct {
			Request *struct {
				Method   string      `json:"method"`
				URL      string      `json:"url"`
				Headers  []harHeader `json:"headers"`
				PostData *struct {
					MimeType string      `json:"mimeType"`
					Text     *string     `json:"text"`
					Params   []harHeader `json:"params"`
				} `json:"postData"`
			} `json:"request"`
			Response *struct {
				Status     int         `json:"status"`
				StatusText string      `json:"statusText"`
				Headers    []harHeader `json:"headers"`
				Content    struct {
					Text     string `json:"text"`
					Encoding string `json:"encoding"`
				} `json:"content"`
			} `json:"response"`
		} `json:"entries"`
	} `json:"log"`
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Parse reads a HAR document. Errors name the entry (1-based).
func Parse(data []byte) ([]Entry, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("har: %w", err)
	}
	if f.Log == nil {
		return nil, errors.New("har: no log object")
	}
	if len(f.Log.Entries) > MaxEntries {
		return nil, fmt.Errorf("har: %d entries (at most %d)", len(f.Log.Entries), MaxEntries)
	}
	out := make([]Entry, 0, len(f.Log.Entries))
	for i, e := range f.Log.Entries {
		fail := func(format string, a ...any) error {
			return fmt.Errorf("har: entry %d: %s", i+1, fmt.Sprintf(format, a...))
		}
		if e.Request == nil || e.Response == nil {
			return nil, fail("request or response missing")
		}
		rq, rs := e.Request, e.Response
		if !validToken(rq.Method) {
			return nil, fail("bad method %q", rq.Method)
		}
		u, err := url.Parse(rq.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fail("url %q is not an absolute http(s) URL", rq.URL)
		}
		if len(rq.Headers) > MaxHeaders || len(rs.Headers) > MaxHeaders {
			return nil, fail("more than %d headers", MaxHeaders)
		}
		if rs.Status < 0 || rs.Status > 999 {
			return nil, fail("bad status %d", rs.Status)
		}
		en := Entry{Method: rq.Method, URL: u, Status: rs.Status, StatusText: rs.StatusText}
		if en.Header, err = headers(rq.Headers); err != nil {
			return nil, fail("request %v", err)
		}
		if en.RespHeader, err = headers(rs.Headers); err != nil {
			return nil, fail("response %v", err)
		}
		if pd := rq.PostData; pd != nil {
			switch {
			case pd.Text != nil:
				en.Body = []byte(*pd.Text)
			case len(pd.Params) > 0:
				v := make([]string, len(pd.Params))
				for k, p := range pd.Params {
					v[k] = url.QueryEscape(p.Name) + "=" + url.QueryEscape(p.Value)
				}
				en.Body = []byte(strings.Join(v, "&"))
			}
		}
		switch strings.ToLower(rs.Content.Encoding) {
		case "":
			en.RespBody = []byte(rs.Content.Text)
		case "base64":
			b, err := base64.StdEncoding.DecodeString(rs.Content.Text)
			if err != nil {
				return nil, fail("response content: %v", err)
			}
			en.RespBody = b
		default:
			return nil, fail("response content encoding %q", rs.Content.Encoding)
		}
		out = append(out, en)
	}
	return out, nil
}

func headers(hs []harHeader) ([]Header, error) {
	out := make([]Header, 0, len(hs))
	for _, h := range hs {
		name := h.Name
		if strings.HasPrefix(name, ":") { // HTTP/2 pseudo-headers
			continue
		}
		if !validToken(name) {
			return nil, fmt.Errorf("header name %q", name)
		}
		if strings.ContainsAny(h.Value, "\r\x00") {
			return nil, fmt.Errorf("header %s: control characters in value", name)
		}
		// Chromium joins repeated headers (Set-Cookie) with line feeds
		for _, v := range strings.Split(h.Value, "\n") {
			out = append(out, Header{name, v})
		}
	}
	return out, nil
}

// validToken reports whether s is an RFC 9110 token.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
