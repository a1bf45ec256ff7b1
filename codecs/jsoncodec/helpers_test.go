package jsoncodec

import (
	"errors"
	"reflect"
	"testing"

	"legacygate/codecs"
)

// Shorthands for building expected trees.
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

// show renders a value with its kinds, for failure messages.
func show(v codecs.Value) string { return v.String() }

func wantValue(t *testing.T, got, want codecs.Value) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("value mismatch\n got: %s\nwant: %s", show(got), show(want))
	}
}

func wantNoError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantErrorIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("error = %v, want %v", err, target)
	}
}

func wantSyntaxError(t *testing.T, err error, want SyntaxError) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error = %#v, want *SyntaxError %+v", err, want)
	}
	if !reflect.DeepEqual(*se, want) {
		t.Errorf("syntax error mismatch\n got: %+v\nwant: %+v", *se, want)
	}
}

func wantErrorText(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %q", want)
	}
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err.Error(), want)
	}
}

func wantText(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s\n got: %s\nwant: %s", what, got, want)
	}
}
