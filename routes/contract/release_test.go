package contract_test

import (
	"strings"
	"testing"

	"legacygate/codecs/jsvcodec"
	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
)

// TestServiceStackRelease: the servicestack key names the release line a
// ServiceStack host reproduces; its JSV reader and writer follow it.
func TestServiceStackRelease(t *testing.T) {
	ss := strings.Replace(contracttest.OpHost, "style: webapi", "style: servicestack", 1) + `
  Req:
    members:
      - {name: Name, type: string}
`
	for _, tt := range []struct {
		line, want string // want: the host's ServiceStack; "" = refused
		rel        jsvcodec.Release
	}{
		{line: "", want: contract.DefaultServiceStack},
		{line: `servicestack: "4.5"`, want: "4.5", rel: jsvcodec.Release{Major: 4, Minor: 5, Patch: 1 << 20}},
		{line: `servicestack: "5.5.0"`, want: "5.5.0", rel: jsvcodec.Release{Major: 5, Minor: 5}},
		{line: `servicestack: latest`, want: "latest"},
		{line: `servicestack: 4.5`, want: "4.5", rel: jsvcodec.Release{Major: 4, Minor: 5, Patch: 1 << 20}},
		{line: `servicestack: "four"`},
		{line: `servicestack: "4.5.1.2"`},
	} {
		src := strings.Replace(ss, "host: t\n", "host: t\n"+tt.line+"\n", 1)
		h, err := contract.Load("t.yaml", []byte(src))
		if tt.want == "" {
			if err == nil || !strings.Contains(err.Error(), "servicestack:") {
				t.Errorf("%s: error %v, want one naming servicestack:", tt.line, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.line, err)
		}
		if h.ServiceStack != tt.want || h.JSV != tt.rel {
			t.Errorf("%s: ServiceStack %q JSV %+v, want %q %+v", tt.line, h.ServiceStack, h.JSV, tt.want, tt.rel)
		}
	}
	// A Web API host has no ServiceStack release.
	web := strings.Replace(contracttest.OpHost, "host: t\n", "host: t\nservicestack: \"4.5\"\n", 1) + `
  Req:
    members:
      - {name: Name, type: string}
`
	if _, err := contract.Load("t.yaml", []byte(web)); err == nil || !strings.Contains(err.Error(), "only for a servicestack host") {
		t.Errorf("webapi host with servicestack: error %v", err)
	}
}
