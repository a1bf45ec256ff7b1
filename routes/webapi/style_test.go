package webapi

import (
	"net/http/httptest"
	"testing"

	"legacygate/codecs"
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
