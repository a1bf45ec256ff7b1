package codecs

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits bound a decoded request so that binding, validation and storage
// stay cheap whatever a client sends. A zero field means no limit.
type Limits struct {
	// MaxMembers is the most members an object may have.
	MaxMembers int
	// MaxItems is the most items a list, or keys a dictionary, may have.
	MaxItems int
	// MaxDepth is the deepest nesting of objects and lists (the root is 1).
	MaxDepth int
	// MaxStringChars is the longest string value or member name, in
	// characters.
	MaxStringChars int
}

// LimitError names where a value exceeds a limit.
type LimitError struct {
	Path string // Json.NET-style path, "" for the root
	Msg  string
}

func (e *LimitError) Error() string { return "codecs: " + e.Path + ": " + e.Msg }

// Check walks v once, guided by t (nil where the schema says nothing, as
// for members the type does not declare), and returns the first place
// that exceeds a limit. Its cost is linear in the size of v: a member's
// field is found by a scan of the type's declared members, which are
// few and fixed by the contract.
func (l Limits) Check(v Value, t *Type) *LimitError {
	return l.check(v, t, 1)
}

// check returns errors with paths relative to v; callers prefix them
// (paths are built only for the one error, not for every member).
func (l Limits) check(v Value, t *Type, depth int) *LimitError {
	const path = ""
	switch v.Kind {
	case String:
		if l.MaxStringChars > 0 && tooLong(v.Str, l.MaxStringChars) {
			return &LimitError{Path: path, Msg: "a string longer than " + strconv.Itoa(l.MaxStringChars) + " characters"}
		}
		return nil
	case Object, Array:
	default:
		return nil
	}
	if l.MaxDepth > 0 && depth > l.MaxDepth {
		return &LimitError{Path: path, Msg: "nested deeper than " + strconv.Itoa(l.MaxDepth) + " levels"}
	}
	if v.Kind == Array {
		if l.MaxItems > 0 && len(v.Items) > l.MaxItems {
			return &LimitError{Path: path, Msg: "more than " + strconv.Itoa(l.MaxItems) + " items"}
		}
		var elem *Type
		if t != nil {
			elem = t.Elem
		}
		for i, it := range v.Items {
			if e := l.check(it, elem, depth+1); e != nil {
				e.Path = "[" + strconv.Itoa(i) + "]" + dotted(e.Path)
				return e
			}
		}
		return nil
	}
	isMap := t != nil && t.Shape == MapShape
	limit, what := l.MaxMembers, " members"
	if isMap {
		limit, what = l.MaxItems, " keys"
	}
	if limit > 0 && len(v.Members) > limit {
		return &LimitError{Path: path, Msg: "more than " + strconv.Itoa(limit) + what}
	}
	for _, m := range v.Members {
		if l.MaxStringChars > 0 && tooLong(m.Name, l.MaxStringChars) {
			return &LimitError{Path: path, Msg: "a name longer than " + strconv.Itoa(l.MaxStringChars) + " characters"}
		}
		var ct *Type
		switch {
		case isMap:
			ct = t.Elem
		case t != nil:
			ct = t.fieldFold(m.Name)
		}
		if e := l.check(m.Value, ct, depth+1); e != nil {
			e.Path = m.Name + dotted(e.Path)
			return e
		}
	}
	return nil
}

// dotted joins a child's relative path to its parent's step.
func dotted(p string) string {
	if p == "" || p[0] == '[' {
		return p
	}
	return "." + p
}

// tooLong reports whether s has more than n characters, reading at most
// about n of them.
func tooLong(s string, n int) bool {
	if len(s) <= n {
		return false
	}
	if len(s) > 4*n {
		return true // even 4-byte characters cannot fit
	}
	return utf8.RuneCountInString(s) > n
}

// fieldFold is the declared member named name ignoring case, base chain
// included; nil when there is none.
func (t *Type) fieldFold(name string) *Type {
	for c := t; c != nil; c = c.Base {
		for _, f := range c.Fields {
			if strings.EqualFold(f.Name, name) {
				return f.Type
			}
		}
	}
	return nil
}
