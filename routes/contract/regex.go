package contract

import "regexp"

// regexpMatcher is the compiled form of a regex rule. .NET's
// RegularExpressionAttribute requires the whole value to match, so the
// pattern is anchored.
type regexpMatcher = *regexp.Regexp

func compileRegex(p string) (regexpMatcher, error) {
	return regexp.Compile(`^(?:` + p + `)$`)
}
