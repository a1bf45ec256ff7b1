package routes_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"legacygate/backend/redisstore"
	"legacygate/routes"
	"legacygate/routes/hosts"
)

// dropIn is a contracts_dir an operator fills: a Web API host and a
// ServiceStack host, new to the gateway, written as bundles without Go
// code. Their contracts are the shipped hub's and digitaluapi's with
// another host name, so each must answer its model's golden exchanges
// under its own prefix.
type dropIn struct {
	webapi, servicestack string // host names
	webapiDir, ssDir     string // bundle folder (or file) names
}

func writeDropIn(t *testing.T, d dropIn) string {
	t.Helper()
	dir := t.TempDir()
	rename := func(model, host string) []byte {
		src, err := os.ReadFile(filepath.Join("hosts", model, "contract.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		out := bytes.Replace(src, []byte("\nhost: "+model+"\n"), []byte("\nhost: "+host+"\n"), 1)
		if bytes.Equal(out, src) {
			t.Fatalf("%s: no host: line to rename", model)
		}
		return out
	}
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The Web API host as a plain file or a folder, as its name says.
	if strings.HasSuffix(d.webapiDir, ".yaml") {
		write(d.webapiDir, rename("hub", d.webapi))
	} else {
		write(filepath.Join(d.webapiDir, "contract.yaml"), rename("hub", d.webapi))
	}
	write(filepath.Join(d.ssDir, "contract.yaml"), rename("digitaluapi", d.servicestack))
	fixtures, err := os.ReadFile(filepath.Join("hosts", "digitaluapi", "fixtures.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(d.ssDir, "fixtures.yaml"), fixtures)
	return dir
}

// TestDropInBundles: hosts dropped into a contracts_dir are served without
// a rebuild, and no shipped host's golden exchange changes, whatever the
// new files are called (names sorting before and after the shipped ones).
func TestDropInBundles(t *testing.T) {
	variants := []dropIn{
		{webapi: "acme", servicestack: "aaa", webapiDir: "acme", ssDir: "aaa"},
		{webapi: "aaa", servicestack: "acme", webapiDir: "aaa.yaml", ssDir: "0-acme"},
		{webapi: "zz_web", servicestack: "zz_ss", webapiDir: "zz-web", ssDir: "zz-ss"},
	}
	for _, d := range variants {
		t.Run(d.webapi+"+"+d.servicestack, func(t *testing.T) {
			set, err := hosts.Open(writeDropIn(t, d))
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Bundles) != 7 || set.Bundle(d.webapi) == nil || set.Bundle(d.servicestack) == nil {
				t.Fatalf("bundles %v, want the five shipped and %s, %s", names(set), d.webapi, d.servicestack)
			}
			prefixed := map[string]string{"hub": d.webapi, "digitaluapi": d.servicestack}
			gw := func(t *testing.T) *gateway {
				// As hosts[] would mount them: the new hosts under prefixes
				// of their own, since they copy shipped routes.
				return newGatewayFrom(t, set, redisstore.Options{}, func(o *routes.Options) {
					for i, m := range o.Mounts {
						if m.Host.Name == d.webapi || m.Host.Name == d.servicestack {
							o.Mounts[i].Prefix = "/" + m.Host.Name
						}
					}
				})
			}
			t.Run("shipped", func(t *testing.T) {
				replayCorpus(t, gw, nil, nil, false)
			})
			t.Run("new", func(t *testing.T) {
				replayCorpus(t, gw, func(h string) bool { return prefixed[h] != "" }, func(h string, raw []byte, response bool) []byte {
					if response { // answers that echo the request URI
						raw = bytes.ReplaceAll(raw, []byte(".example/"), []byte(".example/"+prefixed[h]+"/"))
						return notFoundPath.ReplaceAll(raw, []byte("${1}/"+prefixed[h]+"/"))
					}
					method, rest, _ := bytes.Cut(raw, []byte(" "))
					return append(append(append([]byte{}, method...), " /"+prefixed[h]...), rest...)
				}, false)
			})
			t.Run("unmatched", func(t *testing.T) {
				// With mixed styles and no fallback host, a path no host
				// claims gets the neutral answer, whatever the names.
				g := gw(t)
				res, body := g.do(t, mustRequest(t, "GET", "/no/such/path"))
				if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
					t.Fatalf("%d %q %s, want the neutral 404", res.StatusCode, res.Header.Get("Content-Type"), body)
				}
			})
		})
	}
}

func names(s *hosts.Set) []string {
	var out []string
	for _, b := range s.Bundles {
		out = append(out, b.Host.Name+"("+b.Source+")")
	}
	return out
}

func mustRequest(t *testing.T, method, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, "http://gw.example"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestFallbackHost: a named fallback host answers paths no host claims in
// its own style; an unknown name is refused.
func TestFallbackHost(t *testing.T) {
	for _, tt := range []struct{ host, ct string }{
		{"hub", "application/json; charset=utf-8"},
		{"digitaluapi", "application/json; charset=utf-8"},
		{"", "text/plain; charset=utf-8"},
	} {
		g := newGateway(t, func(o *routes.Options) { o.Fallback = tt.host })
		res, body := g.do(t, mustRequest(t, "GET", "/no/such/path"))
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != tt.ct {
			t.Errorf("fallback %q: %d %q %s", tt.host, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		if tt.host == "hub" && !strings.Contains(string(body), "No HTTP resource was found") {
			t.Errorf("fallback hub: %s, want Web API's 404 message", body)
		}
		if tt.host == "digitaluapi" && !strings.Contains(string(body), "ResponseStatus") {
			t.Errorf("fallback digitaluapi: %s, want ServiceStack's 404 shape", body)
		}
	}
	set, err := hosts.Open("")
	if err != nil {
		t.Fatal(err)
	}
	var o routes.Options
	for _, h := range set.Hosts() {
		o.Mounts = append(o.Mounts, routes.Mount{Host: h})
	}
	o.Fallback = "nope"
	if _, err := routes.New(o); err == nil || !strings.Contains(err.Error(), `fallback host "nope"`) {
		t.Fatalf("unknown fallback: %v", err)
	}
}

// TestDropInRules: a bundle's DataAnnotations rules ([Phone], [Url], a
// .NET pattern with lookaheads) answer in the host's shape, whichever
// format the request came in (JSON, form, XML).
func TestDropInRules(t *testing.T) {
	g := hubVariant(t, "rules", func(c string) string {
		c = addRule(t, c, "      - name: PhoneNumber\n", "        type: string\n", "        rules: [phone]\n")
		c = strings.Replace(c, "      - {name: Name, type: string}\n", "      - {name: Name, type: string, rules: [url]}\n", 1)
		return strings.Replace(c, "          - required\n          - {length:", "          - required\n          - {regex: \"(?=.*\\\\d)(?!.*\\\\s).+\"}\n          - {length:", 1)
	})
	const (
		phoneMsg = `The PhoneNumber field is not a valid phone number.`
		urlMsg   = `The Name field is not a valid fully-qualified http, https, or ftp URL.`
	)
	tests := []struct {
		name, ct, body string
		want           []string
		status         int
	}{
		{"json bad", "application/json", `{"Username":"a1","Email":"a1@x","PhoneNumber":"+(1) 2","Name":"example.com","Password":"no digits","ConfirmPassword":"no digits"}`,
			[]string{phoneMsg, urlMsg, `must match the regular expression`}, 400},
		{"form bad", "application/x-www-form-urlencoded", `Username=a2&Email=a2@x&PhoneNumber=call+me&Name=ftp:x&Password=nodigits&ConfirmPassword=nodigits`,
			[]string{phoneMsg, `must match the regular expression`}, 400},
		{"xml bad", "application/xml", `<RegisterBindingModel xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"><Email>a3@x</Email><Name>x</Name><Password>abc1 2</Password><PhoneNumber>12</PhoneNumber><Username>a3</Username></RegisterBindingModel>`,
			[]string{urlMsg, `must match the regular expression`}, 400},
		{"json good", "application/json", `{"Username":"a4","Email":"a4@x","PhoneNumber":"(425) 555-0100 x12","Name":"https://a.example","Password":"pass1234","ConfirmPassword":"pass1234"}`,
			nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := post(t, g, "/rules/Account/Register", tt.ct, []byte(tt.body))
			if res.StatusCode != tt.status {
				t.Fatalf("%d %s", res.StatusCode, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("answer lacks %q: %s", w, body)
				}
			}
		})
	}
}

// addRule inserts rule after the line typeLine that follows member (any
// doc: lines between are kept), failing when the contract changed shape.
func addRule(t *testing.T, c, member, typeLine, rule string) string {
	t.Helper()
	i := strings.Index(c, member)
	if i < 0 {
		t.Fatalf("no %q in the contract", member)
	}
	j := strings.Index(c[i:], typeLine)
	if j < 0 {
		t.Fatalf("no %q after %q", typeLine, member)
	}
	at := i + j + len(typeLine)
	return c[:at] + rule + c[at:]
}

// TestRequiredValueType: Web API's JSON formatter, not validation, reports
// a [Required] non-nullable value type missing from the body (Json.NET's
// "Required property 'Age' not found in JSON", under the parameter key as
// "An error has occurred." for remote callers), ahead of validation
// failures; present, even as its default, it passes.
func TestRequiredValueType(t *testing.T) {
	g := hubVariant(t, "req", func(c string) string {
		return strings.Replace(c, "      - {name: Name, type: string}\n", "      - {name: Name, type: string}\n      - {name: Age, type: int, rules: [required]}\n", 1)
	})
	const ok = `"Password":"pass1234","ConfirmPassword":"pass1234"`
	tests := []struct {
		name, ct, body, want string
		status               int
	}{
		{"json missing", "application/json", `{"Username":"r1@x","Email":"r1@x",` + ok + `}`,
			`{"Message":"The request is invalid.","ModelState":{"model":["An error has occurred."]}}`, 400},
		{"json missing, with validation errors after it", "application/json", `{"Email":"r2@x",` + ok + `}`,
			`{"Message":"The request is invalid.","ModelState":{"model":["An error has occurred."],"model.Username":["The Username field is required."]}}`, 400},
		{"json default", "application/json", `{"Username":"r3@x","Email":"r3@x","Age":0,` + ok + `}`, "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := post(t, g, "/req/Account/Register", tt.ct, []byte(tt.body))
			if res.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Fatalf("%d %s, want %d %s", res.StatusCode, body, tt.status, tt.want)
			}
		})
	}
}

// hubVariant serves, beside the shipped hosts, a copy of hub named host
// (under /host) that edit changes, dropped into a contracts_dir.
func hubVariant(t *testing.T, host string, edit func(string) string) *gateway {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("hosts", "hub", "contract.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c := edit(strings.Replace(string(src), "\nhost: hub\n", "\nhost: "+host+"\nprefix: /"+host+"\n", 1))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, host+".yaml"), []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := hosts.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return newGatewayFrom(t, set, redisstore.Options{})
}

// notFoundPath is the request path ServiceStack's NotFound message echoes.
var notFoundPath = regexp.MustCompile(`(Handler for Request not found: [A-Z]+ )/`)
