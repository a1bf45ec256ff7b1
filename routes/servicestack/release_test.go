package servicestack

import (
	"net/http/httptest"
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/codecs/jsoncodec"
	"legacygate/routes/contract"
	"legacygate/routes/pipeline"
	"legacygate/routes/pipeline/bind"
)

// TestReleaseLine: the host's servicestack release line decides how its
// JSV bodies and query values read (docs/legacy/jsv-versions.md) and how
// its JSV is written; the codec gets it as options from the contract.
func TestReleaseLine(t *testing.T) {
	load := func(line string) *contract.Operation {
		t.Helper()
		src := strings.Replace(bindContract, "host: t\n", "host: t\nservicestack: \""+line+"\"\n", 1)
		h, err := contract.Load("t.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return h.Operation("Op")
	}
	lines := []string{"latest", "5.x", "4.5", "4.0.30"}
	tests := []struct {
		name, target, body string
		want               map[string]string // release line -> bound JSON; "*" the rest
	}{
		{name: "pretty-printed JSV body", target: "/op/x", body: "{\n\tName: a,\n\tAge: 4\n}",
			want: map[string]string{"latest": `{"Name":" a","Age":4}`, "5.x": `{"Name":" a","Age":4}`, "*": `{}`}},
		{name: "quoted property name", target: "/op/x", body: `{"Name":a}`,
			want: map[string]string{"latest": `{"Name":"a"}`, "*": `{}`}},
		{name: "bool letter in the query", target: "/op/x?ok=y", want: map[string]string{"latest": `{"Ok":true}`, "5.x": `{"Ok":true}`, "*": `{"Ok":false}`}},
		{name: "leading zeros in the query", target: "/op/x?age=007", want: map[string]string{"4.5": "error", "*": `{"Age":7}`}},
		{name: "leading + in the query", target: "/op/x?age=%2B7", want: map[string]string{"4.0.30": `{"Age":7}`, "*": "error"}},
		{name: "BOM before a JSV body", target: "/op/x", body: "\uFEFF{Age:4}", want: map[string]string{"4.5": "error", "4.0.30": "error", "*": `{"Age":4}`}},
	}
	for _, tt := range tests {
		for _, line := range lines {
			want, ok := tt.want[line]
			if !ok {
				want = tt.want["*"]
			}
			method := "GET"
			if tt.body != "" {
				method = "POST"
			}
			r := httptest.NewRequest(method, tt.target, strings.NewReader(tt.body))
			if tt.body != "" {
				r.Header.Set("Content-Type", "text/jsv")
			}
			op := load(line)
			in, p := Style{}.Read(pipeline.Match{Op: op}, r, []byte(tt.body))
			if p != nil {
				t.Fatalf("%s under %s: problem %+v", tt.name, line, p)
			}
			got := "error"
			if in.Err == nil && len(in.BindErrs) == 0 {
				bound, errs := bind.Request(op.Request, in.Value, Style{}.BindOptions())
				if len(errs) > 0 {
					t.Fatalf("%s under %s: bind errors %+v", tt.name, line, errs)
				}
				b, _ := jsoncodec.Append(nil, reorder(bound, in.Value), nil, jsoncodec.NewtonsoftDialect)
				got = string(b)
			}
			if got != want {
				t.Errorf("%s under %s: got %s, want %s", tt.name, line, got, want)
			}
		}
	}
	// The writer: the empty string is an empty token before 4.0.17.
	v := codecs.Obj(codecs.M("Name", codecs.Str("")), codecs.M("Age", codecs.Num("1")))
	for line, want := range map[string]string{"4.0.10": "{Name:,Age:1}", "4.5": `{Name:"",Age:1}`, "latest": `{Name:"",Age:1}`} {
		op := load(line)
		out, err := Style{}.Encoder(op.Host(), "jsv").Append(nil, v, nil)
		if err != nil || string(out) != want {
			t.Errorf("JSV writer under %s: %s (%v), want %s", line, out, err, want)
		}
	}
}
