package servicestack

import (
	"slices"
	"strings"

	"legacygate/codecs"
	"legacygate/codecs/formcodec"
	"legacygate/codecs/jsvcodec"
	"legacygate/routes/pipeline/bind"
)

// overlay applies key/value pairs onto a request value the way
// StringMapTypeDeserializer does: keys match members ignoring case,
// unknown keys and empty values are skipped, string members take the raw
// text, every other type is parsed as JSV (nested objects as {k:v}, lists
// as a,b or [a,b]); a bool takes only the text before the first comma (the
// MVC checkbox pair).
type overlay struct {
	t    *codecs.Type
	v    *codecs.Value
	rel  jsvcodec.Release // the host's JSV reader
	errs []bind.Error
	// body holds the body's value per declared member (the last member
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

func (o *overlay) apply(pairs []formcodec.Pair, overwrite bool) {
	for _, p := range pairs {
		o.set(p.Key, p.Value, overwrite)
	}
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
	var nv codecs.Value
	switch {
	case f.Type.Shape == codecs.ScalarShape && f.Type.Scalar == codecs.StringT:
		nv = codecs.Str(val)
	default:
		if f.Type.Shape == codecs.ScalarShape && f.Type.Scalar == codecs.BoolT {
			val, _, _ = strings.Cut(val, ",")
		}
		var err error
		nv, err = jsvcodec.DecodeValue(val, f.Type, jsvcodec.DecodeOptions{Release: o.rel})
		if err != nil {
			o.errs = append(o.errs, bind.Error{Path: f.Name, Msg: err.Error(), Raw: val, Display: f.Name})
			return
		}
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

// isDefault: what a predefined route's query may still fill.
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
