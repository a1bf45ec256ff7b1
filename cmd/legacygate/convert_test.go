package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConvert(t *testing.T) {
	seed := func(name string) string {
		b, err := os.ReadFile("../../codecs/jsvcodec/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name    string
		args    []string
		in      string
		want    []string // substrings of stdout
		wantErr string   // substring of the error; "" = success
	}{
		{name: "seed 003 request JSV to JSON", args: []string{"--from", "jsv", "--to", "json", "--type", "digitaluapi.ClientRegister", "--lenient"}, in: seed("003_clientregister_request.jsv"),
			want: []string{`{"EMail":"String","FirstName":"String"`, `"PartnerUserID":0,"Roles":["String"]`, `"Meta":{"String":"String"}`}},
		{name: "seed 003 response JSV to JSON", args: []string{"--from", "jsv", "--to", "json", "--type", "digitaluapi.UserAuth", "--lenient"}, in: seed("003_clientregister_response.jsv"),
			want: []string{`"Id":0,"UserName":"String"`, `"BirthDate":"\/Date(`}},
		{name: "seed 004 request JSV to JSON", args: []string{"--from", "jsv", "--to", "json", "--type", "emun1.RegisterUser", "--lenient"}, in: seed("004_registeruser_request.jsv"),
			want: []string{`"salesRep":{"id":"String"`, `"role":"Administrator"`, `"tags":{"String":["String"]}`, `"autoLogin":false`}},
		{name: "seed 004 response JSV to JSON", args: []string{"--from", "jsv", "--to", "json", "--type", "emun1.RegisterResponse", "--lenient"}, in: seed("004_registeruser_response.jsv"),
			want: []string{`{"userId":"String","sessionId":"String"`}},
		{name: "seed 003 request JSV to XML", args: []string{"--from", "jsv", "--to", "xml", "--type", "digitaluapi.ClientRegister", "--lenient"}, in: seed("003_clientregister_request.jsv"),
			want: []string{`<ClientRegister xmlns:i="http://www.w3.org/2001/XMLSchema-instance"`, `<d2p1:Meta xmlns:d3p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d3p1:KeyValueOfstringstring>`}},
		{name: "seed 003 response JSV to XML", args: []string{"--from", "jsv", "--to", "xml", "--type", "digitaluapi.UserAuth", "--lenient"}, in: seed("003_clientregister_response.jsv"),
			want: []string{`<UserAuth xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types">`, `<BirthDate>0001-01-01T00:00:00+00:00</BirthDate>` /* JSV date-only reads as Kind=Local (docs/legacy/jsv.md §7.6) */}},
		{name: "seed 004 request JSV to XML", args: []string{"--from", "jsv", "--to", "xml", "--type", "emun1.RegisterUser", "--lenient"}, in: seed("004_registeruser_request.jsv"),
			want: []string{`<RegisterUser xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/EMUN1.ServiceModel">`, `<d2p1:KeyValueOfstringArrayOfstringty7Ep6D1>`}},
		{name: "seed 004 response JSV to XML", args: []string{"--from", "jsv", "--to", "xml", "--type", "emun1.RegisterResponse", "--lenient"}, in: seed("004_registeruser_response.jsv"),
			want: []string{`<RegisterResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types"><UserId>String</UserId>`}},
		{name: "XML back to JSV", args: []string{"--from", "xml", "--to", "jsv", "--type", "hub.RegisterBindingModel"}, in: `<RegisterBindingModel xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"><Name>a, "b"</Name><PartnerID>8</PartnerID></RegisterBindingModel>`,
			want: []string{`{Name:"a, ""b""",PartnerID:8}`}},
		{name: "strings survive JSV to JSON", args: []string{"--from", "jsv", "--to", "json"}, in: "{FirstName:\"a, \"\"b\"\" [c]: {d}\nline\",LastName: lead,City:Zürich}",
			want: []string{`{"FirstName":"a, \"b\" [c]: {d}\nline","LastName":" lead","City":"Zürich"}`}},
		{name: "a final line break is not data", args: []string{"--from", "jsv", "--to", "json", "--type", "emun1.RegisterUser"}, in: "{userName:ann,roles:[a,b],salesRep:{id:7}}\n",
			want: []string{`{"salesRep":{"id":"7"},"roles":["a","b"],"userName":"ann"}`}},
		{name: "camelCase host's JSON is camelCase", args: []string{"--from", "json", "--to", "json", "--type", "emun1.RegisterResponse"}, in: `{"UserId":"7","UserName":"ann"}`,
			want: []string{`{"userId":"7","userName":"ann"}`}},
		{name: "Newtonsoft dialect keeps the declared names", args: []string{"--from", "json", "--to", "json", "--type", "emun1.RegisterResponse", "--dialect", "newtonsoft"}, in: `{"UserId":"7"}`,
			want: []string{`{"UserId":"7"`}},
		{name: "JSON to JSV quotes only what needs it", args: []string{"--from", "json", "--to", "jsv"}, in: `{"a":"x,y","b":"plain","c":"say \"hi\""}`,
			want: []string{`{a:"x,y",b:plain,c:"say ""hi"""}`}},
		{name: "typed JSON to pretty JSV, camelCase host", args: []string{"--from", "json", "--to", "jsv", "--type", "emun1.RegisterResponse", "--pretty"}, in: `{"UserId":"7","UserName":"ann"}`,
			want: []string{"{\n\tuserId: 7,\n\tuserName: ann\n}"}},
		{name: "form to JSON", args: []string{"--from", "form", "--to", "json"}, in: "a=1&b=x+y%21",
			want: []string{`{"a":"1","b":"x y!"}`}},
		{name: "typed JSON to XML", args: []string{"--from", "json", "--to", "xml", "--type", "hub.RegisterBindingModel"}, in: `{"Username":"u","PartnerID":8}`,
			want: []string{`<RegisterBindingModel xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models">`, `<PartnerID>8</PartnerID>`}},
		{name: "bad JSON reports the offset", args: []string{"--from", "json", "--to", "jsv"}, in: `{"a":[1,2`, wantErr: "offset"},
		{name: "bad JSV reports the offset", args: []string{"--from", "jsv", "--to", "json", "--type", "digitaluapi.ClientRegister"}, in: `EMail:x}`, wantErr: "offset"},
		{name: "xml needs a type", args: []string{"--from", "xml", "--to", "json"}, in: `<a/>`, wantErr: "needs --type"},
		{name: "unknown type", args: []string{"--from", "json", "--to", "json", "--type", "hub.Nope"}, in: `{}`, wantErr: "no object type"},
		{name: "value that does not fit the type", args: []string{"--from", "json", "--to", "json", "--type", "hub.RegisterBindingModel"}, in: `{"PartnerID":"x"}`, wantErr: "PartnerID"},
		{name: "unknown format", args: []string{"--from", "yaml", "--to", "json"}, in: ``, wantErr: "--from and --to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := convertCmd(tt.args, strings.NewReader(tt.in), &out, &errOut)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// TestConvertExitStatus: a usage mistake is exit status 2 with the message
// on stderr, through the command-line entry point (bad input is 1).
func TestConvertExitStatus(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"convert", "--from", "json"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "legacygate convert:") {
		t.Fatalf("stderr %q", errOut.String())
	}
}

// TestConvertContractsDir: convert finds types in the bundles serve would
// serve: the shipped ones overlaid by --contracts-dir, or by the
// contracts_dir of --config (the flag wins); a same-named host replaces
// the shipped one.
func TestConvertContractsDir(t *testing.T) {
	added := dropInDir(t) // acme, a copy of hub
	src, err := os.ReadFile("../../routes/hosts/hub/contract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	replaced := t.TempDir()
	if err := os.MkdirAll(filepath.Join(replaced, "hub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(replaced, "hub", "contract.yaml"), []byte(strings.ReplaceAll(string(src), "Hub.Server.Models", "Replaced.Models")), 0o644); err != nil {
		t.Fatal(err)
	}
	config := func(dir string) string {
		p := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(p, []byte("contracts_dir: "+dir+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	toXML := []string{"--from", "json", "--to", "xml"}
	tests := []struct {
		name    string
		args    []string
		want    string
		wantErr string
	}{
		{name: "shipped only: no acme", args: []string{"--type", "acme.RegisterBindingModel"}, wantErr: `no host contract named "acme"`},
		{name: "added host from --contracts-dir", args: []string{"--type", "acme.RegisterBindingModel", "--contracts-dir", added}, want: "Hub.Server.Models"},
		{name: "added host from --config", args: []string{"--type", "acme.RegisterBindingModel", "--config", config(added)}, want: "Hub.Server.Models"},
		{name: "shipped hub", args: []string{"--type", "hub.RegisterBindingModel"}, want: "Hub.Server.Models"},
		{name: "hub replaced by --contracts-dir", args: []string{"--type", "hub.RegisterBindingModel", "--contracts-dir", replaced}, want: "Replaced.Models"},
		{name: "the flag beats --config", args: []string{"--type", "hub.RegisterBindingModel", "--config", config(added), "--contracts-dir", replaced}, want: "Replaced.Models"},
		{name: "missing config file", args: []string{"--type", "hub.RegisterBindingModel", "--config", filepath.Join(added, "nope.yaml")}, wantErr: "nope.yaml"},
		{name: "missing contracts dir", args: []string{"--type", "hub.RegisterBindingModel", "--contracts-dir", filepath.Join(added, "nope")}, wantErr: "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := convertCmd(append(append([]string{}, toXML...), tt.args...), strings.NewReader(`{"Email":"a@b.example"}`), &out, &errOut)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (%s)", err, errOut.String())
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out.String())
			}
		})
	}
}
