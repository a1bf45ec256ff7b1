package codecs

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name    string
		give    string
		charset string
		want    string
		wantErr error
	}{
		{name: "utf-8 passthrough", give: "héllo", charset: "utf-8", want: "héllo"},
		{name: "utf-8 BOM stripped", give: "\xEF\xBB\xBF{\"a\":1}", charset: "utf-8", want: `{"a":1}`},
		{name: "only the leading BOM is stripped", give: "\xEF\xBB\xBFa\xEF\xBB\xBF", charset: "utf-8", want: "a\uFEFF"},
		{name: "empty charset is utf-8", give: "\xEF\xBB\xBFé", charset: "", want: "é"},
		{name: "name case-insensitive and quoted", give: "é", charset: ` "UTF-8" `, want: "é"},
		{name: "utf8 alias", give: "é", charset: "utf8", want: "é"},
		{name: "invalid byte replaced", give: "a\xFFb", charset: "utf-8", want: "a\uFFFDb"},
		{name: "truncated sequence is one replacement", give: "\xE2\x82x", charset: "utf-8", want: "\uFFFDx"},
		{name: "truncated 4-byte sequence at end", give: "a\xF0\x9F\x98", charset: "utf-8", want: "a\uFFFD"},
		{name: "encoded surrogate is three replacements", give: "\xED\xA0\x80", charset: "utf-8", want: "\uFFFD\uFFFD\uFFFD"},
		{name: "overlong is two replacements", give: "\xC0\xAF", charset: "utf-8", want: "\uFFFD\uFFFD"},
		{name: "above U+10FFFF", give: "\xF4\x90\x80\x80", charset: "utf-8", want: "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{name: "valid 4-byte kept next to invalid", give: "\xFF\xF0\x9F\x98\x80", charset: "utf-8", want: "\uFFFD😀"},

		{name: "utf-16 is little-endian", give: "h\x00\xE9\x00", charset: "utf-16", want: "hé"},
		{name: "utf-16 LE BOM", give: "\xFF\xFEh\x00i\x00", charset: "utf-16", want: "hi"},
		{name: "utf-16 BE BOM switches order", give: "\xFE\xFF\x00h\x00i", charset: "utf-16", want: "hi"},
		{name: "utf-16le", give: "h\x00i\x00", charset: "UTF-16LE", want: "hi"},
		{name: "utf-16le with BE BOM", give: "\xFE\xFF\x00h", charset: "utf-16le", want: "h"},
		{name: "utf-16be", give: "\x00h\x00i", charset: "utf-16be", want: "hi"},
		{name: "utf-16be with LE BOM", give: "\xFF\xFEh\x00", charset: "utf-16be", want: "h"},
		{name: "unicode alias", give: "h\x00", charset: "unicode", want: "h"},
		{name: "surrogate pair", give: "\x3D\xD8\x00\xDE", charset: "utf-16", want: "😀"},
		{name: "surrogate pair big-endian", give: "\xD8\x3D\xDE\x00", charset: "utf-16be", want: "😀"},
		{name: "unpaired high surrogate at end", give: "a\x00\x3D\xD8", charset: "utf-16", want: "a\uFFFD"},
		{name: "high surrogate before non-surrogate", give: "\x3D\xD8A\x00", charset: "utf-16", want: "\uFFFDA"},
		{name: "two high surrogates then low", give: "\x3D\xD8\x3D\xD8\x00\xDE", charset: "utf-16", want: "\uFFFD😀"},
		{name: "lone low surrogate", give: "\x00\xDEb\x00", charset: "utf-16", want: "\uFFFDb"},
		{name: "odd trailing byte", give: "h\x00i", charset: "utf-16", want: "h\uFFFD"},
		{name: "empty utf-16", give: "", charset: "utf-16", want: ""},
		{name: "BOM only", give: "\xFF\xFE", charset: "utf-16", want: ""},

		{name: "us-ascii", give: "abc", charset: "us-ascii", want: "abc"},
		{name: "us-ascii high bytes become ?", give: "a\xE9\xFFb", charset: "US-ASCII", want: "a??b"},
		{name: "ascii alias", give: "a\x80", charset: "ascii", want: "a?"},
		{name: "iso-8859-1", give: "caf\xE9", charset: "iso-8859-1", want: "café"},
		{name: "latin1 C1 and ÿ", give: "\x80\xFF", charset: "latin1", want: "\u0080ÿ"},
		{name: "iso-8859-1 ASCII passthrough", give: "plain", charset: "ISO-8859-1", want: "plain"},

		{name: "unknown charset", give: "x", charset: "windows-1252", wantErr: ErrUnsupportedCharset},
		{name: "utf-32 unsupported", give: "x", charset: "utf-32", wantErr: ErrUnsupportedCharset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToUTF8([]byte(tt.give), tt.charset)
			mtCheck(t, "result", string(got), tt.want)
			mtCheck(t, "errors.Is(err, want) ("+errText(err)+")", errors.Is(err, tt.wantErr), true)
			mtCheck(t, "error names the charset", strings.Contains(errText(err), strconv.Quote(tt.charset)), tt.wantErr != nil)
			mtCheck(t, "valid UTF-8", utf8.Valid(got), true)
		})
	}
}

func FuzzToUTF8(f *testing.F) {
	for _, s := range []string{"", "abc", "\xEF\xBB\xBFa", "\xFF\xFEa\x00", "\xED\xA0\x80", "\x3D\xD8"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, cs := range []string{"utf-8", "utf-16", "utf-16be", "us-ascii", "iso-8859-1"} {
			got, err := ToUTF8(b, cs)
			if err != nil || !utf8.Valid(got) {
				t.Fatalf("ToUTF8(%q, %s) = %q, %v", b, cs, got, err)
			}
		}
		if utf8.Valid(b) {
			got, _ := ToUTF8(b, "utf-8")
			if want := strings.TrimPrefix(string(b), "\uFEFF"); string(got) != want {
				t.Fatalf("valid UTF-8 changed: %q -> %q", b, got)
			}
		}
	})
}

func BenchmarkToUTF8(b *testing.B) {
	body := []byte(strings.Repeat(`{"Email":"a@b.c","Password":"pässwörd"}`, 32))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToUTF8(body, "utf-8"); err != nil {
			b.Fatal(err)
		}
	}
}
