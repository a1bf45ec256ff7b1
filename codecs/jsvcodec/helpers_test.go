package jsvcodec

import (
	"errors"
	"testing"

	"legacygate/codecs"
)

var (
	str  = codecs.Str
	num  = codecs.Num
	obj  = codecs.Obj
	arr  = codecs.Arr
	mem  = codecs.M
	null = codecs.Value{}
	yes  = codecs.BoolV(true)
	no   = codecs.BoolV(false)
)

// Schema shorthands.
func scalar(name string, s codecs.Scalar, nullable bool) *codecs.Type {
	return &codecs.Type{Name: name, Shape: codecs.ScalarShape, Scalar: s, Nullable: nullable}
}

var (
	tString   = scalar("string", codecs.StringT, true)
	tInt      = scalar("int", codecs.Int32T, false)
	tIntN     = scalar("int?", codecs.Int32T, true)
	tLong     = scalar("long", codecs.Int64T, false)
	tBool     = scalar("bool", codecs.BoolT, false)
	tBoolN    = scalar("bool?", codecs.BoolT, true)
	tDecimal  = scalar("decimal", codecs.DecimalT, false)
	tDouble   = scalar("double", codecs.DoubleT, false)
	tGuid     = scalar("guid", codecs.GuidT, false)
	tGuidN    = scalar("guid?", codecs.GuidT, true)
	tDate     = scalar("datetime", codecs.DateTimeT, false)
	tDateN    = scalar("datetime?", codecs.DateTimeT, true)
	tDTO      = scalar("datetimeoffset", codecs.DateTimeOffsetT, false)
	tTimeSpan = &codecs.Type{Name: "TimeSpan", Shape: codecs.ScalarShape}
	tBytes    = &codecs.Type{Name: "byte[]", Shape: codecs.ScalarShape, Nullable: true}
)

func listOf(name string, elem *codecs.Type) *codecs.Type {
	return &codecs.Type{Name: name, Shape: codecs.ListShape, Elem: elem, Nullable: true}
}

func mapOf(elem *codecs.Type) *codecs.Type {
	return &codecs.Type{Name: "Dictionary", Shape: codecs.MapShape, Elem: elem, Nullable: true}
}

func enumOf(name string, members ...string) *codecs.Type {
	return &codecs.Type{Name: name, Shape: codecs.ScalarShape, Scalar: codecs.EnumT, Enum: members}
}

func object(name string, fields ...any) *codecs.Type {
	t := &codecs.Type{Name: name, Shape: codecs.ObjectShape, Nullable: true}
	for i := 0; i < len(fields); i += 2 {
		t.Fields = append(t.Fields, codecs.Field{Name: fields[i].(string), Type: fields[i+1].(*codecs.Type), Order: -1})
	}
	return t
}

// show renders a value with its kinds, for failure messages.
func show(v codecs.Value) string { return v.String() }

func wantValue(t *testing.T, what string, got, want codecs.Value) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: value mismatch\n got: %s\nwant: %s", what, show(got), show(want))
	}
}

func wantSyntaxError(t *testing.T, what string, err error, off int) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("%s: error = %v, want *SyntaxError at %d", what, err, off)
		return
	}
	if se.Offset != off {
		t.Errorf("%s: error %v at offset %d, want %d", what, se, se.Offset, off)
	}
}

func wantText(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s\n got: %q\nwant: %q", what, got, want)
	}
}

func mustAppend(t testing.TB, v codecs.Value, ty *codecs.Type, opt Options) string {
	t.Helper()
	out, err := Append(nil, v, ty, opt)
	if err != nil {
		t.Fatalf("Append(%s): %v", show(v), err)
	}
	return string(out)
}
