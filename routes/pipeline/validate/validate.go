package validate

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"legacygate/codecs"
	"legacygate/routes/contract"
)

// Failure is one failed validation rule.
type Failure struct {
	Path    string // Json.NET-style member path
	Member  *contract.Member
	Rule    contract.Rule
	Message string
}

// Messages formats a failed rule in a host style's own words (DataAnnotations
// for Web API, FluentValidation for ServiceStack). A rule's own Message, when
// set, is passed as its template.
type Messages interface {
	Message(r contract.Rule, m *contract.Member, other *contract.Member, v codecs.Value) string
}

// Request runs every rule of every member of t against the bound object v,
// the way Web API's DefaultBodyModelValidator does: members in declaration
// order, each complex member's children before the member's own rules, all
// rules of a member run (no short-circuit).
//
// A whole-type request (t.Ref) validates the objects it holds: each item of
// a list or set and each value of a dictionary, at "[0].Name" or
// "['key'].Name".
func Request(t *contract.Type, v codecs.Value, msgs Messages) []Failure {
	var out []Failure
	if t.Ref != nil {
		validateRef(*t.Ref, v, "", msgs, &out, 0)
		return out
	}
	validate(t, v, "", msgs, &out)
	return out
}

func validateRef(ref contract.TypeRef, v codecs.Value, path string, msgs Messages, out *[]Failure, depth int) {
	if depth > maxDepth {
		return
	}
	switch {
	case ref.Object != nil && v.Kind == codecs.Object:
		validate(ref.Object, v, path, msgs, out)
	case ref.List() && v.Kind == codecs.Array:
		for i, it := range v.Items {
			validateRef(*ref.Elem, it, path+"["+strconv.Itoa(i)+"]", msgs, out, depth+1)
		}
	case ref.Map() && v.Kind == codecs.Object:
		for _, m := range v.Members {
			validateRef(*ref.Elem, m.Value, path+"['"+m.Name+"']", msgs, out, depth+1)
		}
	}
}

// maxDepth bounds how deeply whole-type validation descends (the contract
// compiler nests collections at most eight deep).
const maxDepth = 8

func validate(t *contract.Type, v codecs.Value, prefix string, msgs Messages, out *[]Failure) {
	for _, m := range t.AllMembers() {
		mv, _ := v.Get(m.Name)
		p := join(prefix, m.Name)
		if m.Type.Object != nil && mv.Kind == codecs.Object {
			validate(m.Type.Object, mv, p, msgs, out)
		}
		for _, r := range m.Rules {
			var other *contract.Member
			var ov codecs.Value
			if r.Kind == contract.RuleCompare {
				other = t.Member(r.Other)
				ov, _ = v.Get(r.Other)
			}
			if r.WhenSet && mv.Kind == codecs.Null {
				continue
			}
			if !Passes(r, mv, ov) {
				*out = append(*out, Failure{Path: p, Member: m, Rule: r, Message: msgs.Message(r, m, other, mv)})
			}
		}
	}
}

// Passes reports whether value v satisfies rule r; other is the compared
// member's value for compare rules. Null passes every rule but required
// (and compare, which compares nulls too), as in DataAnnotations.
func Passes(r contract.Rule, v, other codecs.Value) bool {
	switch r.Kind {
	case contract.RuleRequired:
		switch v.Kind {
		case codecs.Null:
			return false
		case codecs.String:
			// A byte[] holds Base64 text: an empty array is not null, and
			// [Required] passes it as it passes an empty list.
			return r.Binary || strings.TrimSpace(v.Str) != ""
		}
		return true
	case contract.RuleCompare:
		return v.Equal(other)
	}
	if v.Kind == codecs.Null {
		return true
	}
	switch r.Kind {
	case contract.RuleLength:
		n := Length(v)
		return n >= r.Min && n <= r.Max
	case contract.RuleMaxLength:
		return Length(v) <= r.Max
	case contract.RuleMinLength:
		return Length(v) >= r.Min
	case contract.RuleEmail:
		return v.Kind == codecs.String && isEmail(v.Str)
	case contract.RuleRegex:
		return v.Kind == codecs.String && (v.Str == "" || r.Regex.FullMatch(v.Str))
	case contract.RulePhone:
		return v.Kind == codecs.String && isPhone(v.Str)
	case contract.RuleURL:
		return v.Kind == codecs.String && isURL(v.Str)
	case contract.RuleIn:
		return v.Kind == codecs.String && (v.Str == "" || r.Codes[strings.ToUpper(strings.TrimSpace(v.Str))])
	case contract.RulePassword:
		return v.Kind == codecs.String && (v.Str == "" || passwordOK(r, v.Str))
	case contract.RuleRange:
		f, err := strconv.ParseFloat(v.Str, 64)
		return v.Kind == codecs.Number && err == nil && f >= float64(r.Min) && f <= float64(r.Max)
	}
	return true
}

// Length is .NET's length: UTF-16 code units of a string, items of a list.
func Length(v codecs.Value) int {
	if v.Kind == codecs.Array {
		return len(v.Items)
	}
	n := 0
	for _, r := range v.Str {
		n += utf16.RuneLen(r)
	}
	return n
}

// isEmail approximates EmailAddressAttribute: a bare RFC 5322 address (no
// display name, no angle brackets, no white space). Empty fails.
func isEmail(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n<>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// passwordOK checks a password policy: length in characters within
// [Min, Max] (Max 0: unbounded) and the required character classes.
func passwordOK(r contract.Rule, s string) bool {
	n := utf8.RuneCountInString(s)
	if n < r.Min || r.Max > 0 && n > r.Max {
		return false
	}
	var upper, lower, digit, space bool
	for _, c := range s {
		switch {
		case unicode.IsUpper(c):
			upper = true
		case unicode.IsLower(c):
			lower = true
		case unicode.IsDigit(c):
			digit = true
		case unicode.IsSpace(c):
			space = true
		}
	}
	return (!r.Upper || upper) && (!r.Lower || lower) && (!r.Digit || digit) && (!r.NoSpace || !space)
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
