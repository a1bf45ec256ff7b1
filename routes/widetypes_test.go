package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"legacygate/backend/redisstore"
	"legacygate/routes"
	"legacygate/routes/hosts"
)

// TestWideTypesEndToEnd serves routes/testdata/bundles/widetypes, a
// test-only Web API bundle, and sends it the issue 11 types in JSON, XML
// and form bodies: values are range-checked, converted and written back
// in each format's .NET form; a whole-list body reports errors at
// items[0].Name; a list response is written as ArrayOfRole.
func TestWideTypesEndToEnd(t *testing.T) {
	set, err := hosts.Open("testdata/bundles")
	if err != nil {
		t.Fatal(err)
	}
	g := newGatewayFrom(t, set, redisstore.Options{}, func(o *routes.Options) {
		var keep []routes.Mount
		for _, m := range o.Mounts {
			if m.Host.Name == "widetypes" {
				keep = append(keep, m)
			}
		}
		o.Mounts = keep
	})
	post := func(path, ctype, accept, body string) (int, string) {
		req, err := http.NewRequest("POST", "http://gw.example/wide"+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Accept", accept)
		res, b := g.do(t, req)
		return res.StatusCode, string(b)
	}
	tests := []struct {
		name, path, ctype, accept, body string
		status                          int
		want                            []string // substrings of the answer
	}{
		{"json in, json out", "/api/device", "application/json", "application/json",
			`{"Name":"dev1","Port":"8080","Serial":18446744073709551615,"Retry":"00:00:30","Firmware":"AQL/","Tags":["a","b","a"],"Grid":[[1,2],[3]]}`,
			200, []string{`"Port":8080,"Serial":18446744073709551615,"Retry":"00:00:30","Firmware":"AQL/","Tags":["a","b"],"Grid":[[1,2],[3]]`}},
		{"json in, xml out", "/api/device", "application/json", "application/xml",
			`{"Name":"dev2","Port":1024,"Retry":"1.02:03:04.5","Firmware":[1,2,255],"Grid":[[7]]}`,
			200, []string{`<Firmware>AQL/</Firmware>`, `<Grid xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d2p1:ArrayOfint><d2p1:int>7</d2p1:int></d2p1:ArrayOfint></Grid>`,
				`<Port>1024</Port><Retry>P1DT2H3M4.5S</Retry><Serial>0</Serial>`}},
		{"xml in", "/api/device", "application/xml", "application/json",
			`<Device xmlns="http://schemas.datacontract.org/2004/07/Wide.Models"><Name>dev3</Name><Port>2000</Port><Retry>PT1M</Retry></Device>`,
			200, []string{`"Port":2000,"Serial":0,"Retry":"00:01:00"`}},
		{"form in", "/api/device", "application/x-www-form-urlencoded", "application/json",
			`Name=dev4&Port=3000&Retry=01%3A02&Firmware=1&Firmware=2&Grid[0][0]=5&Grid[0][1]=6&Tags=x&Tags=x`,
			200, []string{`"Port":3000,"Serial":0,"Retry":"01:02:00","Firmware":"AQI=","Tags":["x"],"Grid":[[5,6]]`}},
		{"out of range", "/api/device", "application/json", "application/json",
			`{"Name":"dev5","Port":70000,"Retry":"P1D"}`,
			400, []string{`"model.Port"`, `"model.Retry"`}},
		{"range rule", "/api/device", "application/json", "application/json",
			`{"Name":"dev6","Port":80}`,
			400, []string{`"model.Port":["The field Port must be between 1024 and 65535."]`}},
		{"whole list, errors", "/api/items", "application/json", "application/json",
			`[{"Name":"a"},{"Count":300}]`,
			400, []string{`"items[1].Count"`, `"items[1].Name":["The Name field is required."]`}},
		{"whole list, answered with a list", "/api/items", "application/json", "application/xml",
			`[{"Name":"a","Count":3}]`,
			200, []string{`<ArrayOfRole xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Wide.Models"><Role><Name>Reader</Name></Role><Role><Name>Writer</Name></Role></ArrayOfRole>`}},
		{"whole string", "/api/free", "application/json", "application/json", `"nobody"`, 200, []string{`true`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(tt.path, tt.ctype, tt.accept, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("answer lacks %s:\n%s", w, body)
				}
			}
		})
	}
}
