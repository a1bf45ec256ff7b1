package formcodec

import (
	"slices"
	"strings"

	"legacygate/codecs"
	"legacygate/codecs/jsvcodec"
)

// Layer is one source of key/value pairs ServiceStack lays over a request
// (path parameters, query, form). Overwrite says whether a pair replaces
// what the request already holds; without it a pair only fills a member
// that is still at its default (a predefined route's query).
type Layer struct {
	Pairs     []Pair
	Overwrite bool
}

// FieldError is a value that could not be read into its member's type.
type FieldError struct {
	Member string // the member's declared name
	Raw    string // the text that was sent
	Msg    string
}

// FieldErrors lists the values a ServiceStack read could not convert.
type FieldErrors []FieldError

func (e FieldErrors) Error() string {
	if len(e) == 0 {
		return "formcodec: no errors"
	}
	return "formcodec: " + e[0].Member + ": " + e[0].Msg
}

// ReadServiceStack lays the layers, in order, over base (an object, or
// codecs.Obj() for a request without a body) the way ServiceStack's
// StringMapTypeDeserializer does: keys match t's members ignoring case
// (base chain included), unknown keys and empty values are skipped, string
// members take the raw text, every other member's text is read with the
// JSV rules of release rel given its schema (nested objects as {k:v}, lists
// as a,b or [a,b]); a bool takes only the text before the first comma (the
// MVC checkbox pair). Values that cannot be read are left out and returned
// as FieldErrors beside the value (the rest still applies). Overlaid
// members replace what base said, under their declared names, after
// base's other members; a member set again moves to the end.
//
// Sources (paraphrased): ServiceStack StringMapTypeDeserializer.cs
// (PopulateFromMap), and docs/legacy/servicestack.md on the overlay order.
func ReadServiceStack(base codecs.Value, t *codecs.Type, layers []Layer, rel jsvcodec.Release) (codecs.Value, error) {
	o := overlay{t: t, v: base, rel: rel}
	for _, l := range layers {
		for _, p := range l.Pairs {
			o.set(p.Key, p.Value, l.Overwrite)
		}
	}
	o.finish()
	if len(o.errs) > 0 {
		return o.v, o.errs
	}
	return o.v, nil
}

type overlay struct {
	t    *codecs.Type
	v    codecs.Value
	rel  jsvcodec.Release
	errs FieldErrors
	// body holds the base's value per declared member (the last member
	// matching it ignoring case), indexed once on first use; vals the
	// values the pairs gave, in order; finish writes them into v. Each
	// pair costs a lookup, not a scan of the body, so a large body and a
	// long query stay linear.
	body  map[string]codecs.Value
	vals  map[string]codecs.Value
	order []string
	last  map[string]int // when each member was last set (placement order)
	sets  int
}

// current is the member's value so far: the overlay's, else the body's.
func (o *overlay) current(name string) (codecs.Value, bool) {
	if v, ok := o.vals[name]; ok {
		return v, true
	}
	if o.body == nil {
		o.body = map[string]codecs.Value{}
		for _, m := range o.v.Members {
			if f, ok := fieldFold(o.t, m.Name); ok {
				o.body[f.Name] = m.Value
			}
		}
	}
	v, ok := o.body[name]
	return v, ok
}

func (o *overlay) set(key, val string, overwrite bool) {
	if val == "" {
		return
	}
	f, ok := fieldFold(o.t, key)
	if !ok {
		return
	}
	if cur, ok := o.current(f.Name); ok && !overwrite && !isDefault(cur) {
		return
	}
	nv, err := readValue(val, f.Type, o.rel)
	if err != nil {
		o.errs = append(o.errs, FieldError{Member: f.Name, Raw: val, Msg: err.Error()})
		return
	}
	if o.vals == nil {
		o.vals, o.last = map[string]codecs.Value{}, map[string]int{}
	}
	if _, ok := o.vals[f.Name]; !ok {
		o.order = append(o.order, f.Name)
	}
	o.vals[f.Name] = nv
	o.last[f.Name] = o.sets
	o.sets++
}

// readValue reads one pair's text into a member of schema t.
func readValue(val string, t *codecs.Type, rel jsvcodec.Release) (codecs.Value, error) {
	if t.Shape == codecs.ScalarShape && t.Scalar == codecs.StringT {
		return codecs.Str(val), nil
	}
	if t.Shape == codecs.ScalarShape && t.Scalar == codecs.BoolT {
		val, _, _ = strings.Cut(val, ",")
	}
	return jsvcodec.DecodeValue(val, t, jsvcodec.DecodeOptions{Release: rel})
}

// finish writes the overlaid values: they replace what the body said,
// under the members' declared names (duplicates of other spellings go
// too), after the body's other members.
func (o *overlay) finish() {
	if len(o.order) == 0 {
		return
	}
	kept := o.v.Members[:0]
	for _, m := range o.v.Members {
		if f, ok := fieldFold(o.t, m.Name); ok {
			if _, over := o.vals[f.Name]; over {
				continue
			}
		}
		kept = append(kept, m)
	}
	// A member set again moves to the end, as a replacement appends.
	slices.SortFunc(o.order, func(a, b string) int { return o.last[a] - o.last[b] })
	for _, name := range o.order {
		kept = append(kept, codecs.M(name, o.vals[name]))
	}
	o.v.Members = kept
}

// fieldFold finds a member of t (base chain included) ignoring case.
func fieldFold(t *codecs.Type, name string) (codecs.Field, bool) {
	for c := t; c != nil; c = c.Base {
		for _, f := range c.Fields {
			if strings.EqualFold(f.Name, name) {
				return f, true
			}
		}
	}
	return codecs.Field{}, false
}

// isDefault: what a pair that does not overwrite may still fill.
func isDefault(v codecs.Value) bool {
	switch v.Kind {
	case codecs.Null:
		return true
	case codecs.String:
		return v.Str == ""
	case codecs.Number:
		return strings.Trim(v.Str, "0.+-") == ""
	case codecs.Bool:
		return !v.Bool
	}
	return false
}
