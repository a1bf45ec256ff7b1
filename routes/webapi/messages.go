package webapi

import (
	"strconv"
	"strings"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// DataAnnotations words failures with System.ComponentModel.DataAnnotations'
// default English resources (docs/legacy/aspnet-webapi.md §6.3). A rule's own message is a .NET
// format string with the same placeholders.
type DataAnnotations struct{}

// Message formats one failure: {0} is the display name; {1} and {2} are the
// rule's arguments in the attribute's own order.
func (DataAnnotations) Message(r contract.Rule, m *contract.Member, other *contract.Member, _ codecs.Value) string {
	tmpl, args := defaultMessage(r, other)
	if r.Message != "" {
		tmpl = r.Message
	}
	return format(tmpl, append([]string{m.DisplayName()}, args...))
}

func defaultMessage(r contract.Rule, other *contract.Member) (string, []string) {
	switch r.Kind {
	case contract.RuleRequired:
		return "The {0} field is required.", nil
	case contract.RuleLength:
		args := []string{strconv.Itoa(r.Max), strconv.Itoa(r.Min)}
		if r.Min != 0 {
			return "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.", args
		}
		return "The field {0} must be a string with a maximum length of {1}.", args
	case contract.RuleMaxLength:
		return "The field {0} must be a string or array type with a maximum length of '{1}'.", []string{strconv.Itoa(r.Max)}
	case contract.RuleMinLength:
		return "The field {0} must be a string or array type with a minimum length of '{1}'.", []string{strconv.Itoa(r.Min)}
	case contract.RuleCompare:
		name := r.Other
		if other != nil {
			name = other.DisplayName()
		}
		return "'{0}' and '{1}' do not match.", []string{name}
	case contract.RuleEmail:
		return "The {0} field is not a valid e-mail address.", nil
	case contract.RuleRegex:
		return "The field {0} must match the regular expression '{1}'.", []string{r.Pattern}
	case contract.RuleRange:
		return "The field {0} must be between {1} and {2}.", []string{strconv.Itoa(r.Min), strconv.Itoa(r.Max)}
	}
	return "The field {0} is invalid.", nil
}

// format substitutes {n} placeholders like .NET's String.Format for the
// simple cases validation messages use ({{ and }} are literal braces).
func format(tmpl string, args []string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if (c == '{' || c == '}') && i+1 < len(tmpl) && tmpl[i+1] == c {
			b.WriteByte(c)
			i++
			continue
		}
		if c == '{' {
			if end := strings.IndexByte(tmpl[i:], '}'); end > 1 {
				if n, err := strconv.Atoi(tmpl[i+1 : i+end]); err == nil && n >= 0 && n < len(args) {
					b.WriteString(args[n])
					i += end
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
