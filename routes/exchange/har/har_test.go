package har_test

import (
	"strings"
	"testing"

	"legacygate/routes/exchange/har"
)

const sample = `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[
{"startedDateTime":"2026-12-02T10:00:00.000Z","time":1,
 "request":{"method":"POST","url":"http://gw.example:8080/Account/Register?x=1","httpVersion":"HTTP/1.1",
   "headers":[{"name":":authority","value":"gw.example"},{"name":"Content-Type","value":"application/json"}],
   "queryString":[{"name":"x","value":"1"}],"cookies":[],"headersSize":-1,"bodySize":7,
   "postData":{"mimeType":"application/json","text":"{\"a\":1}"}},
 "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"text/plain"},{"name":"Set-Cookie","value":"a=1\nb=2"}],
   "cookies":[],"content":{"size":5,"mimeType":"text/plain","text":"aGVsbG8=","encoding":"base64"},"redirectURL":"","headersSize":-1,"bodySize":5},
 "cache":{},"timings":{"send":0,"wait":1,"receive":0}},
{"startedDateTime":"2026-12-02T10:00:01.000Z","time":1,
 "request":{"method":"POST","url":"https://gw.example/f","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1,
   "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"a b","value":"c&d"}]}},
 "response":{"status":0,"statusText":"","httpVersion":"","headers":[],"cookies":[],"content":{"size":0,"mimeType":""},"redirectURL":"","headersSize":-1,"bodySize":-1},
 "cache":{},"timings":{"send":0,"wait":0,"receive":0}}]}}`

func TestParse(t *testing.T) {
	es, err := har.Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("%d entries", len(es))
	}
	e := es[0]
	if e.Method != "POST" || e.URL.RequestURI() != "/Account/Register?x=1" || string(e.Body) != `{"a":1}` {
		t.Errorf("request %s %s %q", e.Method, e.URL, e.Body)
	}
	if len(e.Header) != 1 || e.Header[0].Name != "Content-Type" {
		t.Errorf("headers %v (pseudo-headers dropped)", e.Header)
	}
	if len(e.RespHeader) != 3 || e.RespHeader[2].Value != "b=2" {
		t.Errorf("response headers %v (joined Set-Cookie split)", e.RespHeader)
	}
	if e.Status != 200 || string(e.RespBody) != "hello" {
		t.Errorf("response %d %q", e.Status, e.RespBody)
	}
	if string(es[1].Body) != "a+b=c%26d" || es[1].Status != 0 {
		t.Errorf("form params %q status %d", es[1].Body, es[1].Status)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", `<html>`, "har: invalid character"},
		{"no log", `{}`, "no log object"},
		{"relative url", `{"log":{"entries":[{"request":{"method":"GET","url":"/a"},"response":{"status":200}}]}}`, "entry 1: url"},
		{"bad method", `{"log":{"entries":[{"request":{"method":"G T","url":"http://h/"},"response":{"status":200}}]}}`, "bad method"},
		{"header injection", `{"log":{"entries":[{"request":{"method":"GET","url":"http://h/","headers":[{"name":"X","value":"a\r\nB: c"}]},"response":{"status":200}}]}}`, "control characters"},
		{"bad base64", `{"log":{"entries":[{"request":{"method":"GET","url":"http://h/"},"response":{"status":200,"content":{"text":"!!","encoding":"base64"}}}]}}`, "response content"},
		{"missing response", `{"log":{"entries":[{"request":{"method":"GET","url":"http://h/"}}]}}`, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := har.Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`{"log":{"entries":[]}}`))
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"GET","url":"http://h/"},"response":{"status":200,"content":{"text":"eA==","encoding":"base64"}}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := har.Parse(data)
		if err != nil {
			return
		}
		for _, e := range es {
			if e.URL == nil || e.URL.Host == "" || e.Method == "" {
				t.Fatalf("accepted entry without URL or method: %+v", e)
			}
			for _, h := range append(e.Header, e.RespHeader...) {
				if strings.ContainsAny(h.Value, "\r\n") || strings.HasPrefix(h.Name, ":") {
					t.Fatalf("accepted header %q", h)
				}
			}
		}
	})
}
