package contract

import (
	"fmt"
	"strconv"
	"strings"

	"legacygate/codecs"
)

// ExprKind is the source of a response member's value.
type ExprKind uint8

// Expression kinds.
const (
	ExprLiteral ExprKind = iota // null, true, false, a number or a quoted string
	ExprUser                    // user.<field>
	ExprAttr                    // user.attr.<Name>
	ExprItem                    // item: the current element of the list being mapped
	ExprRequest                 // request.<Member>
	ExprSession                 // session.id: the session opened for the new user
)

// UserFields are the canonical user fields an expression may name.
var UserFields = []string{"id", "uuid", "realm", "username", "email", "phone", "first_name", "last_name", "roles", "active", "created"}

// Expr is a compiled response-mapping expression.
type Expr struct {
	Kind    ExprKind
	Name    string       // field, attribute or member name
	Literal codecs.Value // for ExprLiteral
	Text    string       // as written
}

// ParseExpr compiles an expression:
//
//	null | true | false | 123 | "text" | [] | item | user.<field> | user.attr.<Name> | request.<Member> | session.id
func ParseExpr(s string) (*Expr, error) {
	e := &Expr{Text: s}
	switch {
	case s == "null":
		e.Literal = codecs.Value{}
	case s == "true" || s == "false":
		e.Literal = codecs.BoolV(s == "true")
	case s == "[]":
		e.Literal = codecs.Arr()
	case s == "item":
		e.Kind = ExprItem
	case strings.HasPrefix(s, `"`):
		u, err := strconv.Unquote(s)
		if err != nil {
			return nil, fmt.Errorf("bad string literal %s", s)
		}
		e.Literal = codecs.Str(u)
	case strings.HasPrefix(s, "user.attr."):
		e.Kind, e.Name = ExprAttr, strings.TrimPrefix(s, "user.attr.")
		if e.Name == "" {
			return nil, fmt.Errorf("empty attribute name in %q", s)
		}
	case strings.HasPrefix(s, "user."):
		e.Kind, e.Name = ExprUser, strings.TrimPrefix(s, "user.")
		if !contains(UserFields, e.Name) {
			return nil, fmt.Errorf("unknown user field %q (known: %s)", e.Name, strings.Join(UserFields, ", "))
		}
	case s == "session.id":
		e.Kind, e.Name = ExprSession, "id"
	case strings.HasPrefix(s, "request."):
		e.Kind, e.Name = ExprRequest, strings.TrimPrefix(s, "request.")
	default:
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Errorf("unknown expression %q", s)
		}
		e.Literal = codecs.Num(s)
	}
	return e, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
