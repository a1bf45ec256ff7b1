package validate_test

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/validate"
)

// TestDataAnnotationRules: [Phone], [Url] and [RegularExpression] with .NET
// pattern syntax (lookarounds, inline options), as DataAnnotations decide.
func TestDataAnnotationRules(t *testing.T) {
	src := contracttest.OpHost + `
  Req:
    members:
      - {name: Name, type: string}
      - {name: Phone, type: string, rules: [phone]}
      - {name: Site, type: string, rules: [url]}
      # A password rule as such hosts wrote it: lookaheads for each class.
      - {name: Pass, type: string, rules: [{regex: "(?=.*[A-Z])(?=.*\\d)(?!.*\\s).{8,}"}]}
      # RegularExpressionAttribute wants the first match to span the value:
      # "a|ab" refuses "ab" although an anchored RE2 pattern would accept it.
      - {name: Alt, type: string, rules: [{regex: "a|ab"}]}
      - {name: Ci, type: string, rules: [{regex: "(?i)abc"}]}
`
	h, err := contract.Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	req := h.Operation("Op").Request
	tests := []struct {
		member, value string
		ok            bool
	}{
		{"Phone", "+(425) 555-0100", false}, // no parenthesised group right after "+"
		{"Phone", "+1 (425) 555-0100", true},
		{"Phone", "(425) 555-0100", true},
		{"Phone", "+44 20 7946 0958", true},
		{"Phone", "425.555.0100 ext. 12", true},
		{"Phone", "425-555-0100x12", true},
		{"Phone", "555--0100", false},
		{"Phone", "call me", false},
		{"Phone", "", false},
		{"Site", "https://example.com/a?b", true},
		{"Site", "FTP://files.example", true},
		{"Site", "example.com", false},
		{"Site", "mailto:a@b.c", false},
		{"Pass", "Secret123", true},
		{"Pass", "secret123", false},
		{"Pass", "Secret 123", false},
		{"Pass", "Short1", false},
		{"Pass", "", true}, // an empty string passes RegularExpression
		{"Alt", "a", true},
		{"Alt", "ab", false},
		{"Ci", "ABC", true},
		{"Ci", "abcd", false},
		{"Ci", "日本abc", false},
	}
	for _, tt := range tests {
		v := codecs.Obj(codecs.M(tt.member, codecs.Str(tt.value)))
		var got []string
		for _, f := range validate.Request(req, v, names{}) {
			got = append(got, f.Message)
		}
		if ok := len(got) == 0; ok != tt.ok {
			t.Errorf("%s=%q: failures %q, want ok=%v", tt.member, tt.value, strings.Join(got, " "), tt.ok)
		}
	}
	for _, bad := range []string{`{regex: "(?<=a"}`, `{phone: 3}`} {
		_, err := contract.Load("t.yaml", []byte(strings.Replace(src, "rules: [url]", "rules: ["+bad+"]", 1)))
		if err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
