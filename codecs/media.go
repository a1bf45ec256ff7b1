package codecs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MediaType is a parsed media type such as "application/json; charset=utf-8".
// Type and Subtype are lower-cased; parameter names are lower-cased and
// parameter values are unquoted, with their case preserved, in header order.
type MediaType struct {
	Type, Subtype string
	Params        []Param
}

// Param is one media-type parameter.
type Param struct {
	Name, Value string
}

// ParseMediaType parses a single media type (a Content-Type value, or one
// element of an Accept header). It follows the grammar System.Net.Http
// accepts: optional whitespace around the value, around "/" and around ";";
// parameter values are tokens or quoted strings (with backslash escapes); a
// parameter may have no value ("a/b; flag"). A trailing or doubled ";" and
// anything after the value are errors, as they are in .NET.
func ParseMediaType(s string) (MediaType, error) {
	p, err := scanMediaType(s)
	if err != nil {
		return MediaType{}, err
	}
	return p.mt, nil
}

// String formats the media type the way System.Net.Http does:
// "type/subtype; name=value", quoting values that are not tokens. A parameter
// with an empty value is written as its bare name. The zero MediaType
// formats as "".
func (m MediaType) String() string {
	if len(m.Params) == 0 || m.Essence() == "" {
		return m.Essence()
	}
	var b strings.Builder
	b.WriteString(m.Type)
	b.WriteByte('/')
	b.WriteString(m.Subtype)
	for _, p := range m.Params {
		b.WriteString("; ")
		b.WriteString(p.Name)
		if p.Value == "" {
			continue
		}
		b.WriteByte('=')
		writeParamValue(&b, p.Value)
	}
	return b.String()
}

// Essence returns "type/subtype" without parameters ("" for the zero
// MediaType).
func (m MediaType) Essence() string {
	if m.Type == "" && m.Subtype == "" {
		return ""
	}
	return m.Type + "/" + m.Subtype
}

// Param returns the value of the first parameter named name (compared
// case-insensitively).
func (m MediaType) Param(name string) (string, bool) {
	for _, p := range m.Params {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return "", false
}

// IsAllRange reports whether m is the "*/*" media range.
func (m MediaType) IsAllRange() bool { return m.Type == "*" && m.Subtype == "*" }

// IsSubtypeRange reports whether m is a "type/*" media range ("*/*" included).
func (m MediaType) IsSubtypeRange() bool { return m.Subtype == "*" }

// IsSubsetOf reports whether m falls within r, with the semantics of Web API's
// MediaTypeHeaderValueExtensions.IsSubsetOf: the types must be equal unless r
// is "*/*"; the subtypes must be equal unless r is a "type/*" range; and every
// parameter of m except q must appear in r with an equal value (names and
// values compared case-insensitively). Extra parameters on r do not matter, so
// "application/json" is a subset of "application/json; odata=verbose".
func (m MediaType) IsSubsetOf(r MediaType) bool {
	if !strings.EqualFold(m.Type, r.Type) {
		if !r.IsAllRange() {
			return false
		}
	} else if !strings.EqualFold(m.Subtype, r.Subtype) {
		if !r.IsSubtypeRange() {
			return false
		}
	}
	for _, p := range m.Params {
		if p.Name == "q" {
			continue
		}
		if !hasParam(r.Params, p) {
			return false
		}
	}
	return true
}

func hasParam(ps []Param, want Param) bool {
	for _, p := range ps {
		if strings.EqualFold(p.Name, want.Name) && strings.EqualFold(p.Value, want.Value) {
			return true
		}
	}
	return false
}

// AcceptItem is one element of an Accept header.
type AcceptItem struct {
	// Media is the media range. The q parameter is removed from its Params;
	// any other parameters (accept extensions included) are kept.
	Media MediaType
	// Q is the quality: 1 when absent or unreadable, otherwise the value as
	// parsed, so a q above 1 stays above 1 (see [ParseAccept]).
	Q float64
	// Index is the element's 0-based position among the header's non-empty
	// comma-separated elements, malformed ones included.
	Index int
}

// ParseAccept parses an Accept header leniently: malformed elements are
// skipped rather than failing the whole header, and empty elements (",,") are
// ignored. Several Accept header lines may be joined by the caller with ",".
// Items are returned in header order, unsorted.
//
// The q value is read the way .NET reads it (digits with an optional decimal
// point; RFC 7231 allows up to three decimals, more are tolerated). A q that
// does not parse, a quoted one included, counts as absent (1), because that
// is what MediaTypeWithQualityHeaderValue.Quality reports. A q above 1 is
// kept as parsed, not clamped: Quality returns what double.TryParse read
// (System.Net.Http HeaderUtilities.GetQuality; only the setter checks the
// 0..1 range, see dotnet/runtime
// src/libraries/System.Net.Http/src/System/Net/Http/Headers/HeaderUtilities.cs),
// and Web API sorts and ranks by that value (aspnet/AspNetWebStack
// src/System.Net.Http.Formatting/Formatting/MediaTypeWithQualityHeaderValueComparer.cs,
// "Quality ?? FormattingUtilities.Match"), so "application/xml;q=2,
// application/json" prefers XML there. A q too large for a double fails
// .NET Framework's TryParse and counts as absent.
//
// Note that System.Net.Http itself discards a whole Accept header line when
// any of its elements is malformed; [NegotiateWebAPI] reproduces that.
func ParseAccept(header string) []AcceptItem {
	items, _ := parseAcceptItems(header)
	return items
}

// parseAcceptItems is ParseAccept that also counts the malformed elements.
func parseAcceptItems(header string) (items []AcceptItem, malformed int) {
	if strings.Trim(header, " \t,") == "" {
		return nil, 0
	}
	items = make([]AcceptItem, 0, strings.Count(header, ",")+1)
	idx := 0
	for rest := header; rest != ""; {
		var elem string
		elem, rest = nextListElement(rest)
		if strings.Trim(elem, " \t") == "" {
			continue
		}
		p, err := scanMediaType(elem)
		if err != nil {
			malformed++
			idx++
			continue
		}
		items = append(items, AcceptItem{Media: p.withoutQ(), Q: p.quality(), Index: idx})
		idx++
	}
	if len(items) == 0 {
		items = nil
	}
	return items, malformed
}

// nextListElement splits off the first element of a comma-separated header
// list, treating commas inside quoted strings as part of the element.
func nextListElement(s string) (elem, rest string) {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ',':
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// parsedMediaType is a media type plus what ParseAccept and the 415 messages
// need from the raw text.
type parsedMediaType struct {
	mt MediaType
	// rawType and rawSubtype are as sent (case preserved); .NET quotes
	// "type/subtype" in that form in its 415 messages.
	rawType, rawSubtype string
	// q is the raw first q parameter.
	q       string
	hasQ    bool
	qQuoted bool
}

func (p parsedMediaType) withoutQ() MediaType {
	if !p.hasQ {
		return p.mt
	}
	mt := p.mt
	mt.Params = nil
	for _, prm := range p.mt.Params {
		if prm.Name != "q" {
			mt.Params = append(mt.Params, prm)
		}
	}
	return mt
}

func (p parsedMediaType) quality() float64 {
	if !p.hasQ || p.qQuoted {
		return 1
	}
	q, ok := parseDotNetDecimal(p.q)
	if !ok {
		return 1
	}
	return q
}

// parseDotNetDecimal parses s the way double.TryParse with
// NumberStyles.AllowDecimalPoint does: digits with at most one '.', no sign,
// no exponent, no surrounding whitespace.
func parseDotNetDecimal(s string) (float64, bool) {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return 0, false
		}
	}
	if digits == 0 || dots > 1 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && math.IsInf(f, 0) {
		// Overflow: .NET Framework's double.TryParse fails (only .NET Core
		// 3.0+ returns Infinity). Underflow reads as 0 on both.
		return 0, false
	}
	return f, true
}

func scanMediaType(s string) (parsedMediaType, error) {
	var p parsedMediaType
	i := skipOWS(s, 0)
	t := tokenEnd(s, i)
	if t == i {
		return p, mediaTypeError(s, "missing type")
	}
	typ := s[i:t]
	i = skipOWS(s, t)
	if i >= len(s) || s[i] != '/' {
		return p, mediaTypeError(s, "missing '/'")
	}
	i = skipOWS(s, i+1)
	st := tokenEnd(s, i)
	if st == i {
		return p, mediaTypeError(s, "missing subtype")
	}
	sub := s[i:st]
	p.rawType, p.rawSubtype = typ, sub
	p.mt.Type = strings.ToLower(typ)
	p.mt.Subtype = strings.ToLower(sub)
	i = skipOWS(s, st)
	for i < len(s) {
		if s[i] != ';' {
			return p, mediaTypeError(s, fmt.Sprintf("unexpected %q after media type", s[i]))
		}
		var prm Param
		var quoted bool
		var err error
		prm, quoted, i, err = scanParam(s, skipOWS(s, i+1))
		if err != nil {
			return p, err
		}
		if prm.Name == "q" && !p.hasQ {
			p.hasQ, p.q, p.qQuoted = true, prm.Value, quoted
		}
		p.mt.Params = append(p.mt.Params, prm)
		i = skipOWS(s, i)
	}
	return p, nil
}

// scanParam reads `name [OWS "=" OWS value]` at s[i:].
func scanParam(s string, i int) (Param, bool, int, error) {
	n := tokenEnd(s, i)
	if n == i {
		return Param{}, false, i, mediaTypeError(s, "empty parameter")
	}
	prm := Param{Name: strings.ToLower(s[i:n])}
	j := skipOWS(s, n)
	if j >= len(s) || s[j] != '=' {
		return prm, false, n, nil
	}
	j = skipOWS(s, j+1)
	if j < len(s) && s[j] == '"' {
		v, end, ok := unquote(s, j)
		if !ok {
			return Param{}, false, j, mediaTypeError(s, "unterminated quoted string")
		}
		prm.Value = v
		return prm, true, end, nil
	}
	v := tokenEnd(s, j)
	if v == j {
		return Param{}, false, j, mediaTypeError(s, fmt.Sprintf("missing value for parameter %q", prm.Name))
	}
	prm.Value = s[j:v]
	return prm, false, v, nil
}

// unquote reads the quoted string starting at s[i] == '"' and returns its
// content with backslash escapes resolved and the index after the closing quote.
func unquote(s string, i int) (string, int, bool) {
	var b strings.Builder
	start := i + 1
	plain := true
	for j := start; j < len(s); j++ {
		switch s[j] {
		case '"':
			if plain {
				return s[start:j], j + 1, true
			}
			return b.String(), j + 1, true
		case '\\':
			if j+1 >= len(s) {
				return "", 0, false
			}
			if plain {
				b.WriteString(s[start:j])
				plain = false
			}
			j++
			b.WriteByte(s[j])
		default:
			if !plain {
				b.WriteByte(s[j])
			}
		}
	}
	return "", 0, false
}

func writeParamValue(b *strings.Builder, v string) {
	if tokenEnd(v, 0) == len(v) {
		b.WriteString(v)
		return
	}
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
}

func mediaTypeError(s, msg string) error {
	return fmt.Errorf("codecs: invalid media type %q: %s", s, msg)
}

func skipOWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// tokenEnd returns the end of the RFC 7230 token starting at s[i].
func tokenEnd(s string, i int) int {
	for i < len(s) && isTokenChar(s[i]) {
		i++
	}
	return i
}

func isTokenChar(c byte) bool {
	if c >= 0x80 {
		return false
	}
	return tokenTable[c]
}

var tokenTable = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()
