package codecs

import (
	"testing"
	"time"
)

func TestText(t *testing.T) {
	tests := []struct {
		give Value
		want string
	}{
		{Str("a b"), "a b"},
		{Num("1.50"), "1.50"},
		{BoolV(true), "true"},
		{BoolV(false), "false"},
		{TimeV(time.Date(2024, 1, 2, 3, 4, 5, 600, time.FixedZone("", 3600)), Local), "2024-01-02T02:04:05.0000006Z"},
		{Value{}, ""},
		{Arr(Str("x")), ""},
		{Obj(M("a", Str("x"))), ""},
	}
	for _, tt := range tests {
		if got := Text(tt.give); got != tt.want {
			t.Errorf("Text(%s) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
