package servicestack_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/servicestack"
)

func host(t testing.TB, name string) *contract.Host {
	t.Helper()
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range all {
		if h.Name == name {
			return h
		}
	}
	t.Fatalf("no host %s", name)
	return nil
}

func TestDotNetName(t *testing.T) {
	h, err := contract.Load("t.yaml", []byte(`host: t
style: servicestack
formats: [{format: json, media_types: [application/json]}]
operations: [{name: R, action: register, routes: [{method: POST, path: /r}], request: R, response: R, command: {username: S}}]
types:
  E: {enum: [A, B]}
  O: {members: [{name: X, type: string}]}
  R:
    members:
      - {name: S, type: string}
      - {name: I, type: int}
      - {name: NI, type: "int?"}
      - {name: L, type: long}
      - {name: B, type: "bool?"}
      - {name: D, type: datetime}
      - {name: ND, type: "datetime?"}
      - {name: G, type: guid}
      - {name: E1, type: E}
      - {name: NE, type: "E?"}
      - {name: LS, type: "[]string"}
      - {name: LO, type: "[]O"}
      - {name: M, type: "map[string]string"}
      - {name: ML, type: "map[string][]string"}
      - {name: C, type: "[]string", clr_type: "string[]"}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"S": "string", "I": "int", "NI": "int?", "L": "long", "B": "bool?", "D": "DateTime", "ND": "DateTime?",
		"G": "Guid", "E1": "E", "NE": "E?", "LS": "List<string>", "LO": "List<O>", "M": "Dictionary<string, string>",
		"ML": "Dictionary<string, List<string>>", "C": "string[]"}
	for _, m := range h.Types["R"].Members {
		if got := servicestack.DotNetName(m); got != want[m.Name] {
			t.Errorf("%s: %s, want %s", m.Name, got, want[m.Name])
		}
	}
}

// TestWithheldMembers: UserAuth's password material is listed with a note
// on the page, and no sample carries it.
func TestWithheldMembers(t *testing.T) {
	h := host(t, "digitaluapi")
	md := &servicestack.Metadata{Host: h}
	for _, f := range []string{"json", "xml", "jsv"} {
		rec := httptest.NewRecorder()
		md.ServeHTTP(rec, httptest.NewRequest("GET", "/"+f+"/metadata?op=ClientRegister", nil), f)
		page := rec.Body.String()
		for _, m := range []string{"Salt", "PasswordHash", "DigestHa1Hash"} {
			row := "<tr><td>" + m + "</td><td>form</td><td>string</td><td>No</td><td>" + servicestack.WithheldNote + "</td></tr>"
			if !strings.Contains(page, row) {
				t.Errorf("%s page lacks the %s row", f, m)
			}
			if strings.Count(page, m) != 1 {
				t.Errorf("%s page names %s %d times (a sample carries it?)", f, m, strings.Count(page, m))
			}
		}
		if strings.Contains(page, "[]string") || strings.Contains(page, "map[") {
			t.Errorf("%s page prints Go types", f)
		}
		for _, w := range []string{"Requires Authentication", "Required role:Partner", "List&lt;string&gt;", "Dictionary&lt;string, string&gt;", "DateTime?", "string[]"} {
			if !strings.Contains(page, w) {
				t.Errorf("%s page lacks %q", f, w)
			}
		}
	}
}

func BenchmarkMetadataPage(b *testing.B) {
	md := &servicestack.Metadata{Host: host(b, "emun1"), Prefix: "/service"}
	req := httptest.NewRequest("GET", "/service/jsv/metadata?op=RegisterUser", nil)
	b.ReportAllocs()
	for b.Loop() {
		md.ServeHTTP(httptest.NewRecorder(), req, "jsv")
	}
}
