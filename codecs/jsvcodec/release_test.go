package jsvcodec

import (
	"errors"
	"testing"

	"legacygate/codecs"
)

func TestParseRelease(t *testing.T) {
	tests := []struct {
		in   string
		want Release
		bad  bool
	}{
		{in: "", want: Release{}},
		{in: "latest", want: Release{}},
		{in: "4.5", want: Release{4, 5, lastPatch}},
		{in: "4.5.10", want: Release{4, 5, 10}},
		{in: "5.x", want: Release{5, lastPatch, lastPatch}},
		{in: "5", want: Release{5, lastPatch, lastPatch}},
		{in: "x", bad: true},
		{in: "4.five", bad: true},
		{in: "1.2.3.4", bad: true},
		{in: "0.9", bad: true},
		{in: "-4", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseRelease(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && got != tt.want) {
			t.Errorf("ParseRelease(%q) = %+v, %v; want %+v, bad=%v", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

// releaseLines are the lines the table tests read with: one before and one
// after each dated change of docs/legacy/jsv-versions.md that a shipped or
// likely host sits between.
var releaseLines = []string{"4.0.10", "4.0.36", "4.5.0", "4.5", "5.0.0", "5.4", "5.x", "latest"}

// TestReleaseReader: each reader behaviour of the version table, per
// release line. "err" is a refused value; otherwise the value's String().
func TestReleaseReader(t *testing.T) {
	intList := listOf("List<int>", tInt)
	strList := listOf("List<string>", tString)
	person := object("Person", "Name", tString, "Age", tInt)
	tests := []struct {
		name string
		in   string
		t    *codecs.Type
		want map[string]string // release line -> result; missing lines take "*"
	}{
		{"on", "on", tBool, map[string]string{"4.0.10": "false", "*": "true"}},
		{"letter t", "t", tBool, map[string]string{"4.0.10": "false", "4.0.36": "false", "4.5.0": "false", "4.5": "false", "5.0.0": "false", "*": "true"}},
		{"letter Y", "Y", tBool, map[string]string{"4.0.10": "false", "4.0.36": "false", "4.5.0": "false", "4.5": "false", "5.0.0": "false", "*": "true"}},
		{"true", "true", tBool, map[string]string{"*": "true"}},
		{"yyyyMMdd", "20150314", tDate, map[string]string{"4.0.10": "err", "*": "time(2015-03-14T00:00:00Z,2)"}},
		{"dd/MM/yyyy", "25/12/2015", tDate, map[string]string{"4.0.10": "err", "4.0.36": "err", "*": "time(2015-12-25T00:00:00Z,2)"}},
		{"nn/nn/yyyy", "01/02/2015", tDate, map[string]string{"4.0.10": "time(2015-01-02T00:00:00Z,2)", "4.0.36": "time(2015-01-02T00:00:00Z,2)", "*": "time(2015-02-01T00:00:00Z,2)"}},
		{"TimeSpan seconds", "90", tTimeSpan, map[string]string{"4.0.10": "err", "4.0.36": "err", "*": `"PT1M30S"`}},
		{"TimeSpan xsd", "PT1M30S", tTimeSpan, map[string]string{"*": `"PT1M30S"`}},
		{"int list trailing comma", "[1,2,]", intList, map[string]string{"4.0.10": "null", "4.0.36": "null", "4.5.0": "null", "*": "[num(1),num(2)]"}},
		{"leading +", "+5", tInt, map[string]string{"4.0.10": "num(5)", "4.0.36": "num(5)", "4.5.0": "num(5)", "*": "err"}},
		{"leading zeros", "007", tInt, map[string]string{"4.5": "err", "5.0.0": "err", "*": "num(7)"}},
		{"blank list", "[ ]", strList, map[string]string{"4.0.10": `[" "]`, "4.0.36": `[" "]`, "4.5.0": `[" "]`, "4.5": `[" "]`, "5.0.0": `[" "]`, "*": "[]"}},
		{"pretty-printed names", "{\n\tName: Ann,\n\tAge: 3\n}", person, map[string]string{"5.x": `{"Name":" Ann","Age":num(3)}`, "latest": `{"Name":" Ann","Age":num(3)}`, "*": "{}"}},
		{"BOM", "\uFEFF{Name:Ann}", person, map[string]string{"5.x": `{"Name":"Ann"}`, "latest": `{"Name":"Ann"}`, "*": "err"}},
		{"quoted name", `{"Name":Ann}`, person, map[string]string{"latest": `{"Name":"Ann"}`, "*": "{}"}},
	}
	for _, tt := range tests {
		for _, line := range releaseLines {
			rel, err := ParseRelease(line)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := tt.want[line]
			if !ok {
				want = tt.want["*"]
			}
			v, err := Decode([]byte(tt.in), tt.t, DecodeOptions{Release: rel})
			got := "err"
			if err == nil {
				got = v.String()
			}
			if got != want {
				t.Errorf("%s: %q as %s under %s = %s (%v), want %s", tt.name, tt.in, tt.t.Name, line, got, err, want)
			}
		}
	}
}

// TestReleaseWriter: the empty string's form per release line.
func TestReleaseWriter(t *testing.T) {
	person := object("Person", "Name", tString, "Nick", tString)
	v := obj(mem("Name", str("")), mem("Nick", str("x")))
	for _, tt := range []struct{ line, want string }{
		{"4.0.10", "{Name:,Nick:x}"},
		{"4.0.17", `{Name:"",Nick:x}`},
		{"4.5", `{Name:"",Nick:x}`},
		{"latest", `{Name:"",Nick:x}`},
	} {
		rel, err := ParseRelease(tt.line)
		if err != nil {
			t.Fatal(err)
		}
		wantText(t, tt.line, mustAppend(t, v, person, Options{Release: rel}), tt.want)
		wantText(t, tt.line+" list", mustAppend(t, arr(str("a"), str(""), str("b")), listOf("List<string>", tString), Options{Release: rel}),
			map[bool]string{true: "[a,,b]", false: `[a,"",b]`}[tt.line == "4.0.10"])
	}
}

// FuzzDecodeRelease reads any input under every release line: errors are
// syntax errors with an offset inside the input, never a panic.
func FuzzDecodeRelease(f *testing.F) {
	for _, s := range []string{"on", "+5", "007", "[1,2,]", "[ ]", "\uFEFF{Name:x}", `{"Name":x}`, "{\n Name: x}", "01/02/2015", "90"} {
		f.Add([]byte(s))
	}
	person := object("Person", "Name", tString, "Age", tInt, "On", tBool, "At", tDate, "For", tTimeSpan, "Ids", listOf("List<int>", tInt), "Tags", listOf("List<string>", tString))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, line := range releaseLines {
			rel, _ := ParseRelease(line)
			for _, ty := range []*codecs.Type{person, tInt, tBool, tDate, tTimeSpan, listOf("List<int>", tInt)} {
				_, err := Decode(data, ty, DecodeOptions{Release: rel})
				var se *SyntaxError
				if err != nil && !errors.Is(err, ErrEmpty) && (!errors.As(err, &se) || se.Offset < 0 || se.Offset > len(data)) {
					t.Fatalf("Decode(%q) under %s: bad error %v", data, line, err)
				}
			}
		}
	})
}

// TestPrettyRelease: before 4.0.17 JsvFormatter had no notion of quotes
// and broke the line at every comma, inside quoted strings too; from
// 4.0.17 (and in every later line) a quoted comma stays inline.
func TestPrettyRelease(t *testing.T) {
	const in = `{A:"x, y",B:[1,2]}`
	quoted := "{\n\tA: \"x, y\",\n\tB: \n\t[\n\t\t1,\n\t\t2\n\t]\n}"
	broken := "{\n\tA: \"x,\n\t y\",\n\tB: \n\t[\n\t\t1,\n\t\t2\n\t]\n}"
	for _, tt := range []struct {
		rel  string
		want string
	}{
		{"3.9", broken},
		{"4.0.16", broken},
		{"4.0.17", quoted},
		{"4.5", quoted},
		{"latest", quoted},
	} {
		r, err := ParseRelease(tt.rel)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(PrettyRelease(nil, []byte(in), r)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.rel, got, tt.want)
		}
	}
	if got := string(Pretty(nil, []byte(in))); got != quoted {
		t.Errorf("Pretty: got %q", got)
	}
}
