package jsoncodec

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

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
func show(v codecs.Value) string {
	var b strings.Builder
	showTo(&b, v)
	return b.String()
}

func showTo(b *strings.Builder, v codecs.Value) {
	switch v.Kind {
	case codecs.Null:
		b.WriteString("null")
	case codecs.Bool:
		fmt.Fprint(b, v.Bool)
	case codecs.Number:
		fmt.Fprintf(b, "num(%s)", v.Str)
	case codecs.String:
		fmt.Fprintf(b, "%+q", v.Str)
	case codecs.Time:
		fmt.Fprintf(b, "time(%s,%d)", v.Time.Format(time.RFC3339Nano), v.TimeK)
	case codecs.Object:
		b.WriteByte('{')
		for i, m := range v.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, "%+q:", m.Name)
			showTo(b, m.Value)
		}
		b.WriteByte('}')
	case codecs.Array:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			showTo(b, it)
		}
		b.WriteByte(']')
	default:
		fmt.Fprintf(b, "kind(%d)", v.Kind)
	}
}

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
