package servicestack

import (
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/codecs"

	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/pipeline"
)

// BenchmarkNegotiate is Style.Negotiate for the requests clients send most.
func BenchmarkNegotiate(b *testing.B) {
	all, err := hosts.Load()
	if err != nil {
		b.Fatal(err)
	}
	var h *contract.Host
	for _, x := range all {
		if x.Style == contract.ServiceStack && x.Operation("RegisterUser") != nil {
			h = x
			break
		}
	}
	if h == nil {
		b.Fatal("no ServiceStack host with RegisterUser")
	}
	cases := []struct{ name, target, accept, contentType string }{
		{"jsv-accept", "/service/RegisterUser/Customer", "text/jsv", "text/jsv"},
		{"jsv-query", "/service/RegisterUser/Customer?format=jsv", "", "application/x-www-form-urlencoded"},
		{"json", "/service/RegisterUser/Customer", "application/json", "application/json"},
		{"none", "/service/RegisterUser/Customer", "", "application/json"},
		{"all", "/service/RegisterUser/Customer", "*/*", "application/json"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("POST", c.target, nil)
			if c.accept != "" {
				r.Header.Set("Accept", c.accept)
			}
			r.Header.Set("Content-Type", c.contentType)
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := (Style{}).Negotiate(h, pipeline.Match{}, r); !ok {
					b.Fatal("406")
				}
			}
		})
	}
}

// TestNegotiateRemembered: negotiate answers as NegotiateServiceStack
// does, first and later times, for each host.
func TestNegotiateRemembered(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	reqs := []codecs.ServiceStackRequest{
		{Accept: "text/jsv", ContentType: "text/jsv"},
		{Format: "jsv"},
		{PathFormat: "xml", Accept: "application/json"},
		{Accept: "*/*", JSONP: true},
		{},
		{Accept: "text/html"},
		{Accept: strings.Repeat("a/b, ", 200)},
	}
	n := 0
	for round := range 2 {
		for _, h := range all {
			if h.Style != contract.ServiceStack {
				continue
			}
			n++
			for _, req := range reqs {
				if got, want := negotiate(h, req), codecs.NegotiateServiceStack(h.Formatters(), preferred, req); got != want {
					t.Errorf("round %d, host %s, %+v: got %+v, want %+v", round, h.Name, req, got, want)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no ServiceStack host")
	}
}
