package servicestack

import "legacygate/codecs"

// Camelize renames object members the way JsConfig.EmitCamelCaseNames
// writes them (ServiceStack.Text StringExtensions.ToCamelCase: the leading
// run of capitals is lower-cased, except the last one of a run that a
// lower-case letter follows: "UserId" → "userId", "ID" → "id",
// "URLValue" → "urlValue"). Dictionary keys are data and keep their case;
// t tells which objects are dictionaries (nil: none are known).
func Camelize(v codecs.Value, t *codecs.Type) codecs.Value {
	switch v.Kind {
	case codecs.Array:
		var et *codecs.Type
		if t != nil {
			et = t.Elem
		}
		items := make([]codecs.Value, len(v.Items))
		for i, it := range v.Items {
			items[i] = Camelize(it, et)
		}
		v.Items = items
	case codecs.Object:
		ms := make([]codecs.Member, len(v.Members))
		isMap := t != nil && t.Shape == codecs.MapShape
		for i, m := range v.Members {
			var ft *codecs.Type
			name := m.Name
			switch {
			case isMap:
				ft = t.Elem
			case t != nil:
				if f, ok := t.Field(m.Name); ok {
					ft = f.Type
				}
				name = ToCamelCase(m.Name)
			default:
				name = ToCamelCase(m.Name)
			}
			ms[i] = codecs.Member{Name: name, Value: Camelize(m.Value, ft)}
		}
		v.Members = ms
	}
	return v
}

// ToCamelCase is ServiceStack.Text's ToCamelCase.
func ToCamelCase(s string) string {
	b := []byte(s)
	first := true
	for i := 0; i < len(b); i++ {
		c0 := b[i]
		c1 := byte('A')
		if i < len(b)-1 {
			c1 = b[i+1]
		}
		up0, up1 := c0 >= 'A' && c0 <= 'Z', c1 >= 'A' && c1 <= 'Z'
		if first && up0 && (up1 || i == 0) {
			b[i] = c0 + 'a' - 'A'
		} else {
			first = false
		}
	}
	return string(b)
}
