// Package formcodec reads and writes application/x-www-form-urlencoded
// bodies (and query strings) as ASP.NET Web API 2 does.
//
// [Parse] splits and percent-decodes the text into ordered pairs, as
// System.Net.Http.Formatting's FormUrlEncodedParser does. [DecodeWebAPI]
// binds the pairs to a schema the way Web API's
// JQueryMvcFormUrlEncodedFormatter and its MVC-style model binders do,
// producing a neutral [codecs.Value] whose scalars are left as text for the
// typed binder. [Encode] writes a value back as a form body for tooling.
//
// ServiceStack binds forms differently (StringMapTypeDeserializer: each key
// once, case-insensitively, non-string values parsed as JSV, empty values
// skipped; see docs/legacy/servicestack.md and docs/legacy/jsv.md):
// [ReadServiceStack] lays path, query and form pairs over a request with
// those rules. [Parse] serves it too, with one caveat: on classic ASP.NET, ServiceStack reads HttpRequest.Form,
// whose HttpUtility decoding also turns "%uXXXX" into a character.
//
// Sources (paraphrased, no code copied): aspnet/AspNetWebStack @ c62b87fb,
// src/System.Net.Http.Formatting/Formatting/Parsers/FormUrlEncodedParser.cs,
// src/Common/UriQueryUtility.cs (as of 2ed73bc4^, the decoder of the 5.2.x
// packages for .NET Framework), src/System.Web.Http/ModelBinding/
// FormDataCollectionExtensions.cs, ValueProviders/Providers/
// NameValuePairsValueProvider.cs, src/Common/PrefixContainer.cs,
// ValueProviders/ValueProviderResult.cs and ModelBinding/Binders/*.
package formcodec

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"legacygate/codecs"
)

// Pair is one decoded key/value in wire order.
type Pair struct{ Key, Value string }

// ErrTooManyKeys is returned (wrapped, with .NET's message) by [Parse] when
// the input holds more than maxKeys pairs.
var ErrTooManyKeys = errors.New("formcodec: too many keys")

// Parse splits a form body or query string (without its '?') into pairs in
// wire order, as Web API's FormUrlEncodedParser does:
//
//   - pairs are separated by '&' only (not ';'); every separator counts, so
//     "a=1&" yields ("a","1") and ("",""), and "&" yields two empty pairs;
//     empty input yields none;
//   - the key ends at the first '='; a segment without '=' is a key with
//     the value "";
//   - keys and values are decoded as UriQueryUtility.UrlDecode (the
//     HttpUtility.UrlDecode copy in System.Net.Http.Formatting 5.2.x):
//     '+' is a space; '%' followed by two hex digits (either case) is a
//     byte; any other '%' is kept literally ("%zz", "%4", a trailing '%');
//     "%uXXXX" is NOT decoded (System.Web's HttpUtility.UrlDecode would
//     decode it). The bytes are read as UTF-8, each maximal ill-formed
//     subsequence becoming U+FFFD (.NET Core's count; .NET Framework may
//     emit a different number of U+FFFD for some truncated sequences). Raw
//     ill-formed UTF-8 in data is replaced before decoding, as the parser
//     reads the body with Encoding.UTF8 first, so a raw lead byte never
//     combines with a percent-encoded continuation byte.
//
// maxKeys is MediaTypeFormatter.MaxHttpCollectionKeys (1000 by default):
// more pairs than that is an [ErrTooManyKeys] error (Web API checks it when
// the pairs are enumerated for binding). maxKeys <= 0 means no limit.
func Parse(data string, maxKeys int) ([]Pair, error) {
	if data == "" {
		return nil, nil
	}
	n := strings.Count(data, "&") + 1
	if maxKeys > 0 && n > maxKeys {
		return nil, fmt.Errorf("%w: The number of keys in a NameValueCollection has exceeded the limit of '%d'. "+
			"You can adjust it by modifying the MaxHttpCollectionKeys property on the "+
			"'System.Net.Http.Formatting.MediaTypeFormatter' class.", ErrTooManyKeys, maxKeys)
	}
	pairs := make([]Pair, 0, n)
	for range n {
		var seg string
		seg, data, _ = strings.Cut(data, "&")
		k, v, _ := strings.Cut(seg, "=")
		pairs = append(pairs, Pair{Key: urlDecode(k), Value: urlDecode(v)})
	}
	return pairs, nil
}

// urlDecode is UriQueryUtility.UrlDecode over text that was first read as
// UTF-8.
func urlDecode(s string) string {
	s = validUTF8(s)
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(s):
			h1, h2 := unhex(s[i+1]), unhex(s[i+2])
			if h1 >= 0 && h2 >= 0 {
				c = byte(h1<<4 | h2)
				i += 2
			}
		}
		b = append(b, c)
	}
	// Raw non-ASCII characters are well-formed here, so reading the whole
	// byte run as UTF-8 equals .NET's flushing the decoded bytes before
	// each of them: a complete sequence never absorbs a neighbour.
	return validUTF8(string(b))
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// validUTF8 replaces each maximal ill-formed subsequence of s by U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteString("\uFFFD")
			i += codecs.IllFormedLen(s[i:])
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}
