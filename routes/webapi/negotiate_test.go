package webapi

import (
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/codecs"

	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/pipeline"
)

// negotiationHeaders are the Accept headers clients send most, and one a
// browser sends.
var negotiationHeaders = []struct{ name, accept, contentType string }{
	{"json", "application/json", "application/json"},
	{"all", "*/*", "application/json"},
	{"xml", "text/xml", "text/xml"},
	{"none", "", "application/x-www-form-urlencoded"},
	{"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json"},
}

func webAPIHost(tb testing.TB) *contract.Host {
	tb.Helper()
	all, err := hosts.Load()
	if err != nil {
		tb.Fatal(err)
	}
	for _, h := range all {
		if h.Style == contract.WebAPI && h.Operation("Register") != nil {
			return h
		}
	}
	tb.Fatal("no Web API host with Register")
	return nil
}

// BenchmarkNegotiate is Style.Negotiate for the common Accept headers.
func BenchmarkNegotiate(b *testing.B) {
	h := webAPIHost(b)
	for _, hd := range negotiationHeaders {
		b.Run(hd.name, func(b *testing.B) {
			r := httptest.NewRequest("POST", "/Account/Register", nil)
			if hd.accept != "" {
				r.Header.Set("Accept", hd.accept)
			}
			r.Header.Set("Content-Type", hd.contentType)
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := (Style{}).Negotiate(h, pipeline.Match{}, r); !ok {
					b.Fatal("406")
				}
			}
		})
	}
}

// TestNegotiateRemembered: Style.Negotiate answers as NegotiateWebAPI
// does, first and later times, for each host (hosts share no entries).
func TestNegotiateRemembered(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	var webapi []*contract.Host
	for _, h := range all {
		if h.Style == contract.WebAPI {
			webapi = append(webapi, h)
		}
	}
	if len(webapi) < 2 {
		t.Fatalf("%d Web API hosts, want two to tell apart", len(webapi))
	}
	reqs := []codecs.WebAPIRequest{
		{Accept: "application/json", ContentType: "application/json"},
		{Accept: "*/*"},
		{Accept: "text/xml", ContentType: "text/xml"},
		{},
		{Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", AcceptCharset: "utf-16"},
		{XRequestedWith: "XMLHttpRequest"},
		{Accept: "application/json;q=0", ContentType: "text/xml; charset=utf-16"},
		{Accept: "text/plain"},
		{Accept: strings.Repeat("a/b, ", 200)}, // too long to remember
	}
	for round := range 2 {
		for _, h := range webapi {
			for _, req := range reqs {
				r := httptest.NewRequest("POST", "/x", nil)
				for name, v := range map[string]string{"Accept": req.Accept, "Accept-Charset": req.AcceptCharset, "Content-Type": req.ContentType, "X-Requested-With": req.XRequestedWith} {
					if v != "" {
						r.Header.Set(name, v)
					}
				}
				got, gotOK := (Style{}).Negotiate(h, pipeline.Match{}, r)
				want, wantOK := codecs.NegotiateWebAPI(h.Formatters(), req)
				if got != want || gotOK != wantOK {
					t.Errorf("round %d, host %s, %+v: got %+v %v, want %+v %v", round, h.Name, req, got, gotOK, want, wantOK)
				}
			}
		}
	}
}
