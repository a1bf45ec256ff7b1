package validate_test

import (
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes/contract/contracttest"
	"legacygate/routes/pipeline/validate"
)

func TestValidateWideTypes(t *testing.T) {
	req := contracttest.Load(t, contracttest.Wide).Operation("Put").Request
	tests := []struct {
		give codecs.Value
		want string // failing members, comma-separated
	}{
		{codecs.Obj(codecs.M("B", codecs.Num("201")), codecs.M("Bytes", codecs.Str("AQ=="))), "B:range"},
		{codecs.Obj(codecs.M("B", codecs.Num("200")), codecs.M("Bytes", codecs.Str("AQ=="))), ""},
		{codecs.Obj(codecs.M("B", codecs.Num("5"))), "Bytes:required"},
		// An empty byte[] is not null: [Required] passes it.
		{codecs.Obj(codecs.M("B", codecs.Num("5")), codecs.M("Bytes", codecs.Str("")), codecs.M("Tags", codecs.Arr())), "Tags:minlength"},
	}
	for _, tt := range tests {
		fails := validate.Request(req, tt.give, names{})
		var got []string
		for _, f := range fails {
			got = append(got, f.Message)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("%v: failures %q, want %q", tt.give, got, tt.want)
		}
	}
}
