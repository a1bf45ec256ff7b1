package webapi

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf16"

	"legacygate/codecs"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/pipeline"
)

func TestQueryBinding(t *testing.T) {
	tests := []struct {
		name string
		give string
		want codecs.Value
	}{
		{"order kept", "/x?b=2&a=1", codecs.Obj(codecs.M("b", codecs.Str("2")), codecs.M("a", codecs.Str("1")))},
		{"first value of a key wins, ignoring case", "/x?UserName=first&username=second&USERNAME=third", codecs.Obj(codecs.M("UserName", codecs.Str("first")))},
		{"escapes decoded", "/x?username=a%40b.c+d", codecs.Obj(codecs.M("username", codecs.Str("a@b.c d")))},
		{"empty value is a value", "/x?username=", codecs.Obj(codecs.M("username", codecs.Str("")))},
		{"an invalid escape stays literal; empty keys skipped", "/x?bad=%zz&=v&&ok=1", codecs.Obj(codecs.M("bad", codecs.Str("%zz")), codecs.M("ok", codecs.Str("1")))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := query(httptest.NewRequest("GET", tt.give, nil))
			if !got.Equal(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestReadXMLEncodings: the XML reader sees the body as
// XmlDictionaryReader.CreateTextReader does, given the Content-Type's
// encoding (cases settled against DataContractSerializer, see dotnet/).
func TestReadXMLEncodings(t *testing.T) {
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	var op *contract.Operation
	for _, h := range all {
		if h.Style == contract.WebAPI && h.Operation("Register") != nil && h.Operation("Register").Request.Schema().Namespace == "http://schemas.datacontract.org/2004/07/Hub.Server.Models" {
			op = h.Operation("Register")
		}
	}
	if op == nil {
		t.Fatal("no Web API host with an XML Register operation")
	}
	root := `<RegisterBindingModel xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models">`
	toUTF16 := func(s string) string {
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return string(b)
	}
	tests := []struct {
		name, contentType, body string
		wantErr                 bool
		wantEmail               string
	}{
		{"ill-formed UTF-8 in a bound member is refused", "application/xml", root + "<Email>a\xffb</Email></RegisterBindingModel>", true, ""},
		{"ill-formed UTF-8 in skipped content passes", "application/xml", root + "<Nope>\xff</Nope><Email>e</Email></RegisterBindingModel>", false, "e"},
		{"declaration naming utf-16 on a UTF-8 body", "application/xml", `<?xml version="1.0" encoding="utf-16"?>` + root + "</RegisterBindingModel>", true, ""},
		{"declaration naming utf-8 on a UTF-8 body", "text/xml; charset=utf-8", `<?xml version="1.0" encoding="UTF-8"?>` + root + "<Email>é</Email></RegisterBindingModel>", false, "é"},
		{"UTF-16 body declaring utf-16", "application/xml; charset=utf-16", toUTF16(`<?xml version="1.0" encoding="utf-16"?>` + root + "<Email>é</Email></RegisterBindingModel>"), false, "é"},
		{"UTF-16 body declaring utf-8", "application/xml; charset=utf-16", toUTF16(`<?xml version="1.0" encoding="utf-8"?>` + root + "</RegisterBindingModel>"), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/Account/Register", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.contentType)
			in, p := Style{}.Read(pipeline.Match{Op: op}, r, []byte(tt.body))
			if p != nil {
				t.Fatalf("problem %+v", p)
			}
			if (in.Err != nil) != tt.wantErr {
				t.Fatalf("Err = %v, want error %v", in.Err, tt.wantErr)
			}
			if !tt.wantErr {
				if got, _ := in.Value.Get("Email"); got.Str != tt.wantEmail {
					t.Errorf("Email = %q, want %q", got.Str, tt.wantEmail)
				}
			}
		})
	}
}
