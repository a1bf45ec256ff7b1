package diff

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Placeholder patterns: the values a server generates. Each matches the
// whole of a value when anchored by [matchText].
var placeholderPatterns = map[string]string{
	"int":      `-?[0-9]+`,
	"uuid":     `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`,
	"datetime": `[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,7})?(?:Z|[+-][0-9]{2}:[0-9]{2})?`,
	"any":      `(?s:.*)`,
}

var placeholderRe = regexp.MustCompile(`\{\{(int|uuid|datetime|any)\}\}`)

// Markers stand in for placeholders inside a body while it is parsed, so
// that `{"ID":{{int}}}` and `{id:{{int}}}` parse. They are private-use
// characters no legacy host writes. A bare marker (a JSON value of its own)
// opens with markBare.
const (
	markOpen  = "\ue000"
	markBare  = "\ue002"
	markClose = "\ue001"
)

var markerRe = regexp.MustCompile("[\ue000\ue002]([a-z]+)\ue001")

// HasPlaceholder reports whether s holds a placeholder.
func HasPlaceholder(s string) bool { return placeholderRe.MatchString(s) }

// mark replaces the placeholders in an expected body with markers. In JSON
// a placeholder outside a string becomes a quoted bare marker. It is linear
// in the body: the placeholders are found once, and JSON string state is
// tracked between them.
func mark(body []byte, json bool) []byte {
	locs := placeholderRe.FindAllSubmatchIndex(body, -1)
	if locs == nil {
		return body
	}
	var b bytes.Buffer
	b.Grow(len(body) + 8*len(locs))
	inStr, esc := false, false
	prev := 0
	for _, loc := range locs {
		seg := body[prev:loc[0]]
		if json {
			for _, c := range seg {
				switch {
				case esc:
					esc = false
				case inStr && c == '\\':
					esc = true
				case c == '"':
					inStr = !inStr
				}
			}
		}
		b.Write(seg)
		name := string(body[loc[2]:loc[3]])
		if json && !inStr {
			b.WriteString(`"` + markBare + name + markClose + `"`)
		} else {
			b.WriteString(markOpen + name + markClose)
		}
		prev = loc[1]
	}
	b.Write(body[prev:])
	return b.Bytes()
}

// unmark turns markers back into placeholders for display.
func unmark(s string) string {
	if !strings.ContainsAny(s, markOpen+markBare) {
		return s
	}
	return markerRe.ReplaceAllString(s, "{{$1}}")
}

// isBareAny reports whether expected text is a lone {{any}}, which matches
// any value, objects and arrays included.
func isBareAny(s string) bool { return s == markBare+"any"+markClose || s == markOpen+"any"+markClose }

// compiled caches patterns: a corpus holds a bounded set of expected texts.
var (
	compiled     sync.Map // text → *regexp.Regexp
	compiledSize atomic.Int64
)

const maxCompiled = 4096

// compile turns text with markers or placeholders into an anchored
// regular expression.
func compile(text string) *regexp.Regexp {
	if re, ok := compiled.Load(text); ok {
		return re.(*regexp.Regexp)
	}
	re := compileNew(text)
	if compiledSize.Add(1) <= maxCompiled {
		compiled.Store(text, re)
	}
	return re
}

func compileNew(text string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^`)
	rest := text
	for {
		loc := markerRe.FindStringSubmatchIndex(rest)
		ploc := placeholderRe.FindStringSubmatchIndex(rest)
		if ploc != nil && (loc == nil || ploc[0] < loc[0]) {
			loc = ploc
		}
		if loc == nil {
			quoteLiteral(&b, rest)
			break
		}
		quoteLiteral(&b, rest[:loc[0]])
		b.WriteString("(?:" + placeholderPatterns[rest[loc[2]:loc[3]]] + ")")
		rest = rest[loc[1]:]
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

// quoteLiteral writes s as a pattern matching s literally. A regular
// expression must be valid UTF-8, so QuoteMeta alone would make a recorded
// body with a stray byte (a legacy host's Latin-1, a cut multi-byte
// character) an invalid pattern. Go's regexp reads each invalid byte of
// the input as U+FFFD, so an invalid byte in s is written as \x{FFFD}: it
// matches any invalid byte there, and a real U+FFFD.
func quoteLiteral(b *strings.Builder, s string) {
	for len(s) > 0 {
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		b.WriteString(regexp.QuoteMeta(s[:i]))
		if i < len(s) {
			b.WriteString(`\x{FFFD}`)
			i++
		}
		s = s[i:]
	}
}

// matchText reports whether actual matches expected text, which may hold
// markers or placeholders.
func matchText(expected, actual string) bool {
	if expected == actual {
		return true
	}
	if !strings.ContainsAny(expected, markOpen+markBare) && !placeholderRe.MatchString(expected) {
		return false
	}
	return compile(expected).MatchString(actual)
}

// MatchPattern reports whether s matches pattern in full, where pattern is
// literal text with placeholders ({{uuid}}, {{int}}…).
func MatchPattern(pattern, s string) bool { return compile(pattern).MatchString(s) }

func quote(s string) string {
	const max = 200
	s = unmark(s)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}
