package servicestack

import (
	"strconv"
	"strings"
	"unicode/utf16"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// FluentValidation words failures with FluentValidation's English
// resources (EnglishLanguage.cs, FluentValidation 8+, which ServiceStack
// adopted in 2019) and ServiceStack's error codes (the validator name
// without "Validator").
type FluentValidation struct{}

// Message formats one failure. {PropertyName} is the member name split at
// case changes ("PartnerUserID" → "Partner User ID").
func (FluentValidation) Message(r contract.Rule, m *contract.Member, other *contract.Member, v codecs.Value) string {
	name := m.Display
	if name == "" {
		name = SplitPascalCase(m.Name)
	}
	tmpl := defaultMessage(r)
	if r.Message != "" {
		tmpl = r.Message
	}
	otherName := r.Other
	if other != nil {
		otherName = SplitPascalCase(other.Name)
	}
	n := 0
	if v.Kind == codecs.String {
		n = len(utf16.Encode([]rune(v.Str)))
	}
	return strings.NewReplacer(
		"{PropertyName}", name,
		"{ComparisonValue}", otherName,
		"{MinLength}", strconv.Itoa(r.Min),
		"{MaxLength}", strconv.Itoa(r.Max),
		"{From}", strconv.Itoa(r.Min),
		"{To}", strconv.Itoa(r.Max),
		"{TotalLength}", strconv.Itoa(n),
	).Replace(tmpl)
}

func defaultMessage(r contract.Rule) string {
	switch r.Kind {
	case contract.RuleRequired:
		return "'{PropertyName}' must not be empty."
	case contract.RuleEmail:
		return "'{PropertyName}' is not a valid email address."
	case contract.RuleLength:
		return "'{PropertyName}' must be between {MinLength} and {MaxLength} characters. You entered {TotalLength} characters."
	case contract.RuleMaxLength:
		return "The length of '{PropertyName}' must be {MaxLength} characters or fewer. You entered {TotalLength} characters."
	case contract.RuleMinLength:
		return "The length of '{PropertyName}' must be at least {MinLength} characters. You entered {TotalLength} characters."
	case contract.RuleCompare:
		return "'{PropertyName}' must be equal to '{ComparisonValue}'."
	case contract.RuleRegex:
		return "'{PropertyName}' is not in the correct format."
	case contract.RuleRange:
		return "'{PropertyName}' must be between {From} and {To}. You entered {Value}."
	}
	return "The specified condition was not met for '{PropertyName}'."
}

// errorCode is ServiceStack's ErrorCode of a failed rule: the validator's
// name without "Validator" (ServiceStackErrorCodeResolver), or the rule's
// own code.
func errorCode(r contract.Rule) string {
	if r.Code != "" {
		return r.Code
	}
	switch r.Kind {
	case contract.RuleRequired:
		return "NotEmpty"
	case contract.RuleEmail:
		return "Email"
	case contract.RuleLength:
		return "Length"
	case contract.RuleMaxLength:
		return "MaximumLength"
	case contract.RuleMinLength:
		return "MinimumLength"
	case contract.RuleCompare:
		return "Equal"
	case contract.RuleRegex:
		return "RegularExpression"
	case contract.RuleRange:
		return "InclusiveBetween"
	}
	return "Predicate"
}

// SplitPascalCase inserts a space where FluentValidation's
// SplitPascalCase does: before an upper-case letter that follows a
// lower-case one, and before the last capital of a run that a lower-case
// letter follows ("IDNumber" → "ID Number").
func SplitPascalCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, c := range rs {
		if i > 0 && isUpper(c) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && isLower(rs[i+1])
			if isLower(prev) || (isUpper(prev) && nextLower) || isDigit(prev) {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
func isLower(r rune) bool { return r >= 'a' && r <= 'z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }
