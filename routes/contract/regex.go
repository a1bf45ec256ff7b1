package contract

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// regexTimeout bounds one match of a contract's pattern (a .NET pattern
// may backtrack without bound); a match that runs out of time fails the
// rule, where .NET would throw RegexMatchTimeoutException.
const regexTimeout = 100 * time.Millisecond

// dotnetRegex is a pattern in .NET syntax (lookarounds, named groups,
// RegexOptions inline), matched as .NET matches it.
type dotnetRegex struct{ re *regexp2.Regexp }

type regexpMatcher = *dotnetRegex

func compileDotnetRegex(p string, opt regexp2.RegexOptions) (*dotnetRegex, error) {
	re, err := regexp2.Compile(p, opt)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = regexTimeout
	return &dotnetRegex{re: re}, nil
}

// compileRegex compiles a regex rule's pattern.
func compileRegex(p string) (*dotnetRegex, error) { return compileDotnetRegex(p, regexp2.None) }

// FullMatch is RegularExpressionAttribute.IsValid: the first match must
// start at the beginning and span the whole value (not an anchored
// pattern: "a|ab" refuses "ab", as .NET does).
func (r *dotnetRegex) FullMatch(s string) bool {
	m, err := r.re.FindStringMatch(s)
	return err == nil && m != nil && m.Index == 0 && m.Length == utf8.RuneCountInString(s)
}

// Found is Regex.Match(s).Length > 0, what PhoneAttribute checks.
func (r *dotnetRegex) Found(s string) bool {
	m, err := r.re.FindStringMatch(s)
	return err == nil && m != nil && m.Length > 0
}

// phoneRE is the phone number grammar of PhoneAttribute in .NET Framework
// 4.5–4.7 (System.ComponentModel.DataAnnotations, PhoneAttribute.cs in the
// reference source; mono/mono mcs/class/referencesource): an optional "+",
// digit groups or parenthesised groups separated by one space, "-" or ".",
// no parenthesised group after a "+" (a lookbehind), and an optional
// extension "x" / "ext." with digits; case-insensitive.
var phoneRE = func() *dotnetRegex {
	r, err := compileDotnetRegex(`^(\+\s?)?((?<!\+.*)\(\+?\d+([\s\-\.]?\d+)?\)|\d+)([\s\-\.]?(\(\d+([\s\-\.]?\d+)?\)|\d+))*(\s?(x|ext\.?)\s?\d+)?$`,
		regexp2.IgnoreCase|regexp2.ExplicitCapture)
	if err != nil {
		panic(err)
	}
	return r
}()

// isPhone is PhoneAttribute.IsValid for a string.
func isPhone(s string) bool { return phoneRE.Found(s) }

// isURL is UrlAttribute.IsValid as .NET (Core, and Framework 4.7.2+
// without the legacy regex) decides it: an http://, https:// or ftp://
// prefix, case-insensitive.
func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ftp://")
}
