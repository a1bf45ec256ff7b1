package exchange

import (
	"net/http"
	"strings"
	"testing"
)

const sample = `what this case shows
-- request --
POST /r?x=1 HTTP/1.1
Host: h.example
Content-Type: application/json

{"a":1}
-- response --
HTTP/1.1 200 OK
Content-Type: application/json; charset=utf-8

{"ID":{{int}},"U":"{{uuid}}","T":"{{datetime}}","X":{{any}}}
`

func TestParseAndMatch(t *testing.T) {
	f, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if f.Comment != "what this case shows\n" || len(f.Pairs) != 1 {
		t.Fatalf("comment %q, pairs %d", f.Comment, len(f.Pairs))
	}
	req, err := ReadRequest(f.Pairs[0].Request)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.Host != "h.example" || req.URL.RawQuery != "x=1" || req.ContentLength != 7 {
		t.Fatalf("request %s %s %s %d", req.Method, req.Host, req.URL, req.ContentLength)
	}
	want, err := ReadExpected(f.Pairs[0].Response)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	tests := []struct {
		name   string
		status int
		header http.Header
		give   string
		diffs  int
	}{
		{"matches", 200, h, `{"ID":42,"U":"0f8fad5b-d9cb-469f-a165-70867728950e","T":"2026-03-21T11:24:12.9163967+00:00","X":[1,2]}`, 0},
		{"date without fraction or zone", 200, h, `{"ID":-1,"U":"0f8fad5b-d9cb-469f-a165-70867728950e","T":"2026-03-21T11:24:12","X":null}`, 0},
		{"int is not a string", 200, h, `{"ID":"42","U":"0f8fad5b-d9cb-469f-a165-70867728950e","T":"2026-03-21T11:24:12","X":1}`, 1},
		{"upper-case guid", 200, h, `{"ID":1,"U":"0F8FAD5B-D9CB-469F-A165-70867728950E","T":"2026-03-21T11:24:12","X":1}`, 1},
		{"status and header", 400, http.Header{"Content-Type": {"text/json"}}, `{"ID":1,"U":"0f8fad5b-d9cb-469f-a165-70867728950e","T":"2026-03-21T11:24:12","X":1}`, 2},
		{"trailing bytes", 200, h, `{"ID":1,"U":"0f8fad5b-d9cb-469f-a165-70867728950e","T":"2026-03-21T11:24:12","X":1} `, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := want.Diff(tt.status, tt.header, []byte(tt.give)); len(d) != tt.diffs {
				t.Errorf("got %d differences %q, want %d", len(d), d, tt.diffs)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, give, want string }{
		{"no sections", "just a comment\n", "no request/response pair"},
		{"response first", "-- response --\nHTTP/1.1 200 OK\n\n-- request --\nGET / HTTP/1.1\n\n", "request/response pairs"},
		{"unpaired", "-- request --\nGET / HTTP/1.1\n\n", "request/response pairs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.give))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestFormatRoundTrip(t *testing.T) {
	f, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(f.Format()); got != sample {
		t.Fatalf("Format changed the file:\n%s", got)
	}
}

func TestIgnoreSectionAndUnique(t *testing.T) {
	src := "c\n-- ignore --\n- path: $.sessionId\n-- request --\nGET /u/{{unique}} HTTP/1.1\nHost: h\n\n-- response --\nHTTP/1.1 200 OK\n\n{{unique}}\n"
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if string(f.Ignore) != "- path: $.sessionId\n" || len(f.Pairs) != 1 {
		t.Fatalf("ignore %q pairs %d", f.Ignore, len(f.Pairs))
	}
	if string(f.Format()) != src {
		t.Fatalf("format changed the file:\n%s", f.Format())
	}
	raw := Expand(f.Pairs[0].Request, "r1x")
	if !strings.Contains(string(raw), "GET /u/r1x ") {
		t.Fatalf("expanded %q", raw)
	}
	if got := string(Unexpand([]byte("user r1x"), "r1x")); got != "user {{unique}}" {
		t.Fatalf("unexpand %q", got)
	}
}
