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
	case contract.RuleRegex, contract.RulePhone, contract.RuleURL:
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
	case contract.RuleRegex, contract.RulePhone, contract.RuleURL:
		return "RegularExpression"
	case contract.RuleRange:
		return "InclusiveBetween"
	}
	return "Predicate"
}

// SplitPascalCase is FluentValidation's SplitPascalCase: a space before
// an upper-case letter at index 2 or later whose predecessor is not upper
// case, or whose successor is not ("PartnerUserID" → "Partner User ID",
// "IDNumber" → "ID Number", "EMail" stays "EMail").
func SplitPascalCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, c := range rs {
		if isUpper(c) && i > 1 && (!isUpper(rs[i-1]) || i+1 < len(rs) && !isUpper(rs[i+1])) {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
