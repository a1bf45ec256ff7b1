package contract_test

import (
	"strings"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/contract/contracttest"
)

func TestWideTypeSpecs(t *testing.T) {
	h := contracttest.Load(t, contracttest.Wide)
	w := h.Types["Wide"]
	tests := []struct {
		member, name, ns string
		set              bool
	}{
		{"B", "unsignedByte", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"SB", "byte", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"TS", "duration", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"Bytes", "base64Binary", "http://schemas.microsoft.com/2003/10/Serialization/", false},
		{"Tags", "ArrayOfstring", "http://schemas.microsoft.com/2003/10/Serialization/Arrays", true},
		{"Grid", "ArrayOfArrayOfstring", "http://schemas.microsoft.com/2003/10/Serialization/Arrays", false},
	}
	for _, tt := range tests {
		m := w.Member(tt.member)
		if m == nil || m.Type.Schema().Name != tt.name || m.Type.Schema().Namespace != tt.ns || m.Type.Schema().Set != tt.set {
			t.Errorf("%s: schema %+v", tt.member, m.Type.Schema())
		}
	}
	if !w.Member("Bytes").Type.Nullable || w.Member("TS").Type.Nullable || !w.Member("MaybeTS").Type.Nullable {
		t.Error("nullability of byte[] and TimeSpan")
	}
}

func TestWideTypeSpecErrors(t *testing.T) {
	tests := []struct{ give, want string }{
		{"set[string", `type "set[string": a set is written set[T]`},
		{"set[[]int]", `a set holds scalars or objects, not collections`},
		{"map[int]string", `dictionary keys are strings`},
		{"[]byte?", `[]byte is already nullable`},
		{"string?", `string is already nullable`},
		{"uint8", `unknown type "uint8" (built-in types: string, bool, int`},
		{"[][][][][][][][][][]int", `nests more than 8 collections`},
	}
	for _, tt := range tests {
		src := strings.Replace(contracttest.Wide, `{name: Name, type: string}`, `{name: Name, type: string}
      - {name: X, type: "`+tt.give+`"}`, 1)
		_, err := contract.Load("w.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "w.yaml:18:9: types.Wide.members[1]") {
			t.Errorf("%s: got %v, want a positioned error containing %q", tt.give, err, tt.want)
		}
		if err != nil && goType.MatchString(err.Error()) {
			t.Errorf("error names a Go type: %v", err)
		}
	}
}

func TestWholeTypeErrors(t *testing.T) {
	tests := []struct{ from, give, want string }{
		{"command: {username: .}\n    response: \"[]Role\"", "command: {username: Name}\n    response: \"[]Role\"", `command.username: request []Item has no members; map the whole request with "."`},
		{"response_from: user.id", "response_from: user.nope", `response_from: unknown user field "nope"`},
		{"style: webapi", "style: servicestack", `a ServiceStack request is a DTO`},
		{"response: bool", "response: Item\n    response_from: user.id", `response_from is for a list, set, dictionary or scalar response`},
		{"response: bool", "response: \"[]Nope\"", `response: unknown type "Nope"`},
	}
	for _, tt := range tests {
		_, err := contract.Load("whole.yaml", []byte(strings.Replace(contracttest.Whole, tt.from, tt.give, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.give, err, tt.want)
		}
	}
}
