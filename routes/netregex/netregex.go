package netregex

import (
	"time"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// timeout bounds one match of a contract's pattern (a .NET pattern may
// backtrack without bound); a match that runs out of time fails, where .NET
// would throw RegexMatchTimeoutException.
const timeout = 100 * time.Millisecond

// Options are .NET RegexOptions.
type Options = regexp2.RegexOptions

// The options the gateway uses.
const (
	None            = regexp2.None
	IgnoreCase      = regexp2.IgnoreCase
	ExplicitCapture = regexp2.ExplicitCapture
)

// Regexp is a pattern in .NET syntax (lookarounds, named groups,
// RegexOptions inline), matched as .NET matches it.
type Regexp struct{ re *regexp2.Regexp }

// Compile compiles a .NET pattern with options.
func Compile(p string, opt Options) (*Regexp, error) {
	re, err := regexp2.Compile(p, opt)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = timeout
	return &Regexp{re: re}, nil
}

// MustCompile is Compile for patterns known at build time.
func MustCompile(p string, opt Options) *Regexp {
	r, err := Compile(p, opt)
	if err != nil {
		panic("netregex: " + err.Error())
	}
	return r
}

// FullMatch is RegularExpressionAttribute.IsValid: the first match must
// start at the beginning and span the whole value (not an anchored
// pattern: "a|ab" refuses "ab", as .NET does).
func (r *Regexp) FullMatch(s string) bool {
	m, err := r.re.FindStringMatch(s)
	return err == nil && m != nil && m.Index == 0 && m.Length == utf8.RuneCountInString(s)
}

// Found is Regex.Match(s).Length > 0, what PhoneAttribute checks.
func (r *Regexp) Found(s string) bool {
	m, err := r.re.FindStringMatch(s)
	return err == nil && m != nil && m.Length > 0
}
