package codecs

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// mtCheck reports a mismatch of comparable values.
func mtCheck[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// mtCheckDeep reports a mismatch of arbitrary values.
func mtCheckDeep(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s =\n\t%#v\nwant\n\t%#v", what, got, want)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestParseMediaType(t *testing.T) {
	tests := []struct {
		give    string
		want    MediaType
		wantErr bool
	}{
		{give: "application/json", want: MediaType{Type: "application", Subtype: "json"}},
		{give: "  Application/JSON ; Charset=UTF-8  ", want: MediaType{Type: "application", Subtype: "json", Params: []Param{{"charset", "UTF-8"}}}},
		{give: "text / html", want: MediaType{Type: "text", Subtype: "html"}},
		{give: "text/plain;format=flowed;delsp=yes", want: MediaType{Type: "text", Subtype: "plain", Params: []Param{{"format", "flowed"}, {"delsp", "yes"}}}},
		{give: "text/plain ;\tformat = flowed", want: MediaType{Type: "text", Subtype: "plain", Params: []Param{{"format", "flowed"}}}},
		{give: `multipart/form-data; boundary="a b;c,d"`, want: MediaType{Type: "multipart", Subtype: "form-data", Params: []Param{{"boundary", "a b;c,d"}}}},
		{give: `a/b; x="q\"uote\\d"`, want: MediaType{Type: "a", Subtype: "b", Params: []Param{{"x", `q"uote\d`}}}},
		{give: `a/b; x=""`, want: MediaType{Type: "a", Subtype: "b", Params: []Param{{"x", ""}}}},
		{give: "a/b; flag", want: MediaType{Type: "a", Subtype: "b", Params: []Param{{"flag", ""}}}},
		{give: "a/b;q=0.5", want: MediaType{Type: "a", Subtype: "b", Params: []Param{{"q", "0.5"}}}},
		{give: "application/vnd.api+json", want: MediaType{Type: "application", Subtype: "vnd.api+json"}},
		{give: "*/*", want: MediaType{Type: "*", Subtype: "*"}},
		{give: "", wantErr: true},
		{give: "   ", wantErr: true},
		{give: "text", wantErr: true},
		{give: "text/", wantErr: true},
		{give: "/json", wantErr: true},
		{give: "text/html;", wantErr: true},
		{give: "text/html;a=1;", wantErr: true},
		{give: "text/html;;a=1", wantErr: true},
		{give: "text/html; a=", wantErr: true},
		{give: "text/html; =x", wantErr: true},
		{give: `text/html; a="unterminated`, wantErr: true},
		{give: `text/html; a="ends in backslash\`, wantErr: true},
		{give: "text/html extra", wantErr: true},
		{give: "text/html, text/plain", wantErr: true},
		{give: "tëxt/html", wantErr: true},
		{give: "text/h(t)ml", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, err := ParseMediaType(tt.give)
			mtCheckDeep(t, "media type", got, tt.want)
			mtCheck(t, "error", err != nil, tt.wantErr)
			mtCheck(t, `error starts "codecs: "`, strings.HasPrefix(errText(err), "codecs: "), tt.wantErr)
		})
	}
}

func TestMediaTypeString(t *testing.T) {
	tests := []struct {
		give MediaType
		want string
	}{
		{give: MediaType{Type: "application", Subtype: "json"}, want: "application/json"},
		{give: MediaType{Type: "application", Subtype: "json", Params: []Param{{"charset", "utf-8"}}}, want: "application/json; charset=utf-8"},
		{give: MediaType{Type: "a", Subtype: "b", Params: []Param{{"x", "a b"}, {"y", `q"\`}}}, want: `a/b; x="a b"; y="q\"\\"`},
		{give: MediaType{Type: "a", Subtype: "b", Params: []Param{{"flag", ""}}}, want: "a/b; flag"},
		{give: MediaType{Type: "a", Subtype: "b", Params: []Param{{"x", "a,b;c"}}}, want: `a/b; x="a,b;c"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			mtCheck(t, "String()", tt.give.String(), tt.want)
			back, err := ParseMediaType(tt.give.String())
			mtCheck(t, "reparse error", errText(err), "")
			mtCheckDeep(t, "reparsed", back, tt.give)
		})
	}
}

func TestMediaTypeAccessors(t *testing.T) {
	tests := []struct {
		give        string
		name        string
		wantEssence string
		wantValue   string
		wantOK      bool
	}{
		{give: "Application/JSON; Charset=UTF-16", name: "charset", wantEssence: "application/json", wantValue: "UTF-16", wantOK: true},
		{give: "application/json; charset=utf-16", name: "CHARSET", wantEssence: "application/json", wantValue: "utf-16", wantOK: true},
		{give: "text/xml; a=1; a=2", name: "a", wantEssence: "text/xml", wantValue: "1", wantOK: true},
		{give: "text/xml", name: "charset", wantEssence: "text/xml"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			mt, err := ParseMediaType(tt.give)
			mtCheck(t, "error", errText(err), "")
			v, ok := mt.Param(tt.name)
			mtCheck(t, "Essence()", mt.Essence(), tt.wantEssence)
			mtCheck(t, "Param value", v, tt.wantValue)
			mtCheck(t, "Param ok", ok, tt.wantOK)
		})
	}
}

func TestIsSubsetOf(t *testing.T) {
	tests := []struct {
		give, rng string
		want      bool
	}{
		{give: "application/json", rng: "application/json", want: true},
		{give: "application/json", rng: "APPLICATION/Json", want: true},
		{give: "application/json", rng: "*/*", want: true},
		{give: "application/json", rng: "application/*", want: true},
		{give: "text/json", rng: "application/*", want: false},
		{give: "application/json", rng: "text/*", want: false},
		{give: "application/json", rng: "application/xml", want: false},
		{give: "application/json", rng: "application/json; charset=utf-8", want: true},
		{give: "application/json", rng: "application/json; odata=verbose", want: true},
		{give: "application/json; charset=utf-8", rng: "application/json", want: false},
		{give: "application/json; charset=utf-8", rng: "application/json; CHARSET=UTF-8", want: true},
		{give: "application/json; charset=utf-8", rng: "*/*; charset=utf-8", want: true},
		{give: "application/json; charset=utf-8", rng: "application/json; charset=utf-16", want: false},
		{give: "application/json; q=0.5", rng: "application/json", want: true},
		{give: "*/*", rng: "application/json", want: false},
		{give: "application/json", rng: "*/json", want: false},
		{give: "text/*", rng: "text/*", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.give+" in "+tt.rng, func(t *testing.T) {
			m, err1 := ParseMediaType(tt.give)
			r, err2 := ParseMediaType(tt.rng)
			mtCheck(t, "parse errors", errText(err1)+errText(err2), "")
			mtCheck(t, "IsSubsetOf", m.IsSubsetOf(r), tt.want)
		})
	}
}

func mediaOf(typ, sub string, params ...Param) MediaType {
	return MediaType{Type: typ, Subtype: sub, Params: params}
}

func TestParseAccept(t *testing.T) {
	tests := []struct {
		give string
		want []AcceptItem
	}{
		{give: "", want: nil},
		{give: " , ,", want: nil},
		{give: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", want: []AcceptItem{
			{Media: mediaOf("text", "html"), Q: 1, Index: 0},
			{Media: mediaOf("application", "xhtml+xml"), Q: 1, Index: 1},
			{Media: mediaOf("application", "xml"), Q: 0.9, Index: 2},
			{Media: mediaOf("*", "*"), Q: 0.8, Index: 3},
		}},
		{give: "Application/JSON;q=0.5, application/xml", want: []AcceptItem{
			{Media: mediaOf("application", "json"), Q: 0.5, Index: 0},
			{Media: mediaOf("application", "xml"), Q: 1, Index: 1},
		}},
		{give: "text/html, bogus, application/json", want: []AcceptItem{
			{Media: mediaOf("text", "html"), Q: 1, Index: 0},
			{Media: mediaOf("application", "json"), Q: 1, Index: 2},
		}},
		{give: ",, text/html ,,", want: []AcceptItem{{Media: mediaOf("text", "html"), Q: 1, Index: 0}}},
		{give: "text/html;level=1;q=0.7", want: []AcceptItem{{Media: mediaOf("text", "html", Param{"level", "1"}), Q: 0.7, Index: 0}}},
		{give: `a/b;x="1,2", c/d`, want: []AcceptItem{
			{Media: mediaOf("a", "b", Param{"x", "1,2"}), Q: 1, Index: 0},
			{Media: mediaOf("c", "d"), Q: 1, Index: 1},
		}},
		{give: "a/b;q=0", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0, Index: 0}}},
		{give: "a/b;q=0.000", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0, Index: 0}}},
		{give: "a/b;q=1.000", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 1, Index: 0}}},
		{give: "a/b;q=0.123", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0.123, Index: 0}}},
		{give: "a/b;q=0.12345", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0.12345, Index: 0}}},
		{give: "a/b;q=.5", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0.5, Index: 0}}},
		{give: "a/b;Q=0.5", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0.5, Index: 0}}},
		{give: "a/b;q=2", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 2, Index: 0}}},
		{give: "a/b;q=1.5", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 1.5, Index: 0}}},
		{give: "a/b;q=0." + strings.Repeat("0", 400) + "1", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0, Index: 0}}},
		{give: "a/b;q=1" + strings.Repeat("0", 400), want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 1, Index: 0}}},
		{give: "a/b;q=1e-1", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 1, Index: 0}}},
		{give: "a/b;q=abc", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 1, Index: 0}}},
		{give: "a/b;q=-1", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 1, Index: 0}}},
		{give: `a/b;q="0.5"`, want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 1, Index: 0}}},
		{give: "a/b;q=0.3;q=0.6", want: []AcceptItem{{Media: mediaOf("a", "b"), Q: 0.3, Index: 0}}},
		{give: "text/html;, application/json", want: []AcceptItem{{Media: mediaOf("application", "json"), Q: 1, Index: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			mtCheckDeep(t, "ParseAccept", ParseAccept(tt.give), tt.want)
		})
	}
}

func FuzzParseMediaType(f *testing.F) {
	for _, s := range []string{
		"application/json", "text/html; charset=utf-8", `multipart/form-data; boundary="a\"b"`,
		"a/b; flag", "*/*;q=0.8", "text / plain ; a = b", "", ";", `a/b;x="`, "a/b;x=\"\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMediaType(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "codecs: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if m.Type == "" || m.Subtype == "" {
			t.Fatalf("%q parsed to empty type or subtype: %#v", s, m)
		}
		back, err := ParseMediaType(m.String())
		if err != nil {
			t.Fatalf("String() %q of %q does not reparse: %v", m.String(), s, err)
		}
		if !reflect.DeepEqual(back, m) {
			t.Fatalf("round trip of %q: %#v != %#v", s, back, m)
		}
		_ = m.IsSubsetOf(back)
		_ = m.Essence()
	})
}

func FuzzParseAccept(f *testing.F) {
	for _, s := range []string{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"application/json;q=0.5, application/xml", `a/b;x="1,2", c/d`, ",,", "a/b;q=2", `a/b;q="`, "a/b;q=.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := -1
		for _, it := range ParseAccept(s) {
			if it.Q < 0 || math.IsInf(it.Q, 0) || it.Q != it.Q {
				t.Fatalf("%q: q %v out of range", s, it.Q)
			}
			if it.Media.Type == "" || it.Media.Subtype == "" {
				t.Fatalf("%q: empty media range %#v", s, it.Media)
			}
			if _, ok := it.Media.Param("q"); ok {
				t.Fatalf("%q: q left in params", s)
			}
			if it.Index <= last {
				t.Fatalf("%q: index %d not increasing", s, it.Index)
			}
			last = it.Index
		}
		_, _ = NegotiateWebAPI(hubFormatters, WebAPIRequest{Accept: s, AcceptCharset: s, ContentType: s, XRequestedWith: s})
		_ = NegotiateServiceStack(ssFormats, ssPreferred, ServiceStackRequest{Format: s, PathFormat: s, Accept: s, ContentType: s})
	})
}
