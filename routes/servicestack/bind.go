package servicestack

import (
	"strings"

	"legacygate/codecs"
	"legacygate/codecs/formcodec"
	"legacygate/codecs/jsvcodec"
	"legacygate/routes/contract"
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
	errs []contract.BindError
}

func (o *overlay) apply(pairs []formcodec.Pair, overwrite bool) {
	for _, p := range pairs {
		o.set(p.Key, p.Value, overwrite)
	}
}

func (o *overlay) set(key, val string, overwrite bool) {
	if val == "" {
		return
	}
	f, ok := fieldFold(o.t, key)
	if !ok {
		return
	}
	i := indexFold(o.v, f.Name)
	if i >= 0 && !overwrite && !isDefault(o.v.Members[i].Value) {
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
		nv, err = jsvcodec.DecodeValue(val, f.Type, jsvcodec.DecodeOptions{})
		if err != nil {
			o.errs = append(o.errs, contract.BindError{Path: f.Name, Msg: err.Error(), Raw: val, Display: f.Name})
			return
		}
	}
	if i >= 0 {
		// The overlay replaces what the body said, under the member's
		// declared name; duplicates of other spellings go too.
		o.v.Members = append(o.v.Members[:i], o.v.Members[i+1:]...)
		for j := indexFold(o.v, f.Name); j >= 0; j = indexFold(o.v, f.Name) {
			o.v.Members = append(o.v.Members[:j], o.v.Members[j+1:]...)
		}
	}
	o.v.Members = append(o.v.Members, codecs.M(f.Name, nv))
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

func indexFold(v *codecs.Value, name string) int {
	for i := len(v.Members) - 1; i >= 0; i-- {
		if strings.EqualFold(v.Members[i].Name, name) {
			return i
		}
	}
	return -1
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
