package formcodec

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		give string
		want []Pair
	}{
		// Splitting (FormUrlEncodedParser.ParseNameValuePairs / CopyCurrent).
		{"empty input has no pairs", "", nil},
		{"one pair", "a=1", []Pair{{"a", "1"}}},
		{"wire order and duplicates kept", "b=2&a=1&b=3", []Pair{{"b", "2"}, {"a", "1"}, {"b", "3"}}},
		{"key without '=' has an empty value", "a&b=1", []Pair{{"a", ""}, {"b", "1"}}},
		{"empty value", "a=", []Pair{{"a", ""}}},
		{"empty key", "=v", []Pair{{"", "v"}}},
		{"value keeps later '='", "a=1=2", []Pair{{"a", "1=2"}}},
		{"trailing '&' adds an empty pair", "a=1&", []Pair{{"a", "1"}, {"", ""}}},
		{"lone '&' is two empty pairs", "&", []Pair{{"", ""}, {"", ""}}},
		{"double '&' adds an empty pair", "a=1&&b=2", []Pair{{"a", "1"}, {"", ""}, {"b", "2"}}},
		{"';' is not a separator", "a=1;b=2", []Pair{{"a", "1;b=2"}}},
		{"white space kept", " a = 1 ", []Pair{{" a ", " 1 "}}},

		// Decoding (UriQueryUtility.UrlDecode).
		{"plus is space", "a+b=c+d", []Pair{{"a b", "c d"}}},
		{"percent escapes", "Email=a%40b.c&x=%2B%26%3D", []Pair{{"Email", "a@b.c"}, {"x", "+&="}}},
		{"escaped separators do not split", "a%3D1=b%261", []Pair{{"a=1", "b&1"}}},
		{"hex digits of either case", "a=%c3%A9", []Pair{{"a", "é"}}},
		{"utf-8 sequence across escapes", "a=%E2%82%AC%F0%9F%98%80", []Pair{{"a", "€😀"}}},
		{"raw utf-8 kept", "é=€", []Pair{{"é", "€"}}},
		{"escaped brackets", "a%5B0%5D=x", []Pair{{"a[0]", "x"}}},
		{"invalid escape kept", "a=%zz%g1%1g", []Pair{{"a", "%zz%g1%1g"}}},
		{"short escape at the end kept", "a=%4", []Pair{{"a", "%4"}}},
		{"trailing percent kept", "a=100%", []Pair{{"a", "100%"}}},
		{"percent u not decoded", "a=%u0041", []Pair{{"a", "%u0041"}}},
		{"escaped percent", "a=%25u0041", []Pair{{"a", "%u0041"}}},
		{"escaped plus stays plus", "a=%2B", []Pair{{"a", "+"}}},
		{"ill-formed escaped bytes replaced", "a=%FFx%C3", []Pair{{"a", "\uFFFDx\uFFFD"}}},
		{"truncated sequence is one replacement", "a=%E2%82x", []Pair{{"a", "\uFFFDx"}}},
		{"escaped surrogate replaced per byte", "a=%ED%A0%80", []Pair{{"a", "\uFFFD\uFFFD\uFFFD"}}},
		{"raw ill-formed byte replaced first", "a=\xC3%A9", []Pair{{"a", "\uFFFD\uFFFD"}}},
		{"escaped lead before raw character", "a=%C3é", []Pair{{"a", "\uFFFDé"}}},
		{"raw character before escaped continuation", "a=é%A9", []Pair{{"a", "é\uFFFD"}}},
		{"escaped NUL", "a=%00", []Pair{{"a", "\x00"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.give, 1000)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.give, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got: %q\nwant: %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestParseMaxKeys(t *testing.T) {
	body := strings.Repeat("a=1&", 999) + "a=1"
	if got, err := Parse(body, 1000); err != nil || len(got) != 1000 {
		t.Fatalf("1000 keys: len %d, err %v", len(got), err)
	}
	_, err := Parse(body+"&", 1000) // the trailing '&' is a 1001st (empty) pair
	if !errors.Is(err, ErrTooManyKeys) {
		t.Fatalf("1001 keys: err = %v, want ErrTooManyKeys", err)
	}
	const want = "formcodec: too many keys: The number of keys in a NameValueCollection has exceeded the limit of '1000'. " +
		"You can adjust it by modifying the MaxHttpCollectionKeys property on the 'System.Net.Http.Formatting.MediaTypeFormatter' class."
	if err.Error() != want {
		t.Errorf("error text\n got: %s\nwant: %s", err, want)
	}
	if got, err := Parse(body+"&a=2", 0); err != nil || len(got) != 1001 {
		t.Fatalf("no limit: len %d, err %v", len(got), err)
	}
}
