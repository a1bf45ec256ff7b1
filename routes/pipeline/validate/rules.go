package validate

import (
	"strings"

	"legacygate/routes/netregex"
)

// phoneRE is the phone number grammar of PhoneAttribute in .NET Framework
// 4.5–4.7 (System.ComponentModel.DataAnnotations, PhoneAttribute.cs in the
// reference source; mono/mono mcs/class/referencesource): an optional "+",
// digit groups or parenthesised groups separated by one space, "-" or ".",
// no parenthesised group after a "+" (a lookbehind), and an optional
// extension "x" / "ext." with digits; case-insensitive.
var phoneRE = netregex.MustCompile(`^(\+\s?)?((?<!\+.*)\(\+?\d+([\s\-\.]?\d+)?\)|\d+)([\s\-\.]?(\(\d+([\s\-\.]?\d+)?\)|\d+))*(\s?(x|ext\.?)\s?\d+)?$`,
	netregex.IgnoreCase|netregex.ExplicitCapture)

// isPhone is PhoneAttribute.IsValid for a string.
func isPhone(s string) bool { return phoneRE.Found(s) }

// isURL is UrlAttribute.IsValid as .NET (Core, and Framework 4.7.2+
// without the legacy regex) decides it: an http://, https:// or ftp://
// prefix, case-insensitive.
func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ftp://")
}
