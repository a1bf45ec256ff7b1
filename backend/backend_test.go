package backend

import (
	"errors"
	"strings"
	"testing"
)

// A conflict's message goes to the request log, so it names the field and
// never the user name or email that was taken.
func TestConflictErrorHidesValue(t *testing.T) {
	tests := []ConflictError{
		{Field: FieldUsername, Value: "ann@example.com"},
		{Field: FieldEmail, Value: "ann@example.com"},
	}
	for _, e := range tests {
		msg := e.Error()
		if strings.Contains(msg, e.Value) || !strings.Contains(msg, string(e.Field)) {
			t.Errorf("%q: want the field and not the value", msg)
		}
		if !errors.Is(&e, ErrUserExists) {
			t.Errorf("%q does not unwrap to ErrUserExists", msg)
		}
	}
}
