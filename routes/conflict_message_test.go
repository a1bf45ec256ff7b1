package routes

import (
	"testing"

	"legacygate/backend"
	"legacygate/routes/contract"
)

// TestConflictPlaceholder: each style fills the taken value into a
// conflict message through its one placeholder syntax ({0} on Web API,
// {PropertyValue} on ServiceStack), and a style's default message too.
func TestConflictPlaceholder(t *testing.T) {
	tests := []struct {
		style   contract.Style
		message string // the contract's conflict message; "" for the style's default
		want    string
	}{
		{contract.WebAPI, "Name {0} is already taken.", "Name ann@example.com is already taken."},
		{contract.WebAPI, "", "username 'ann@example.com' is already taken."},
		{contract.WebAPI, "Taken: {PropertyValue}", "Taken: {PropertyValue}"},
		{contract.ServiceStack, "'{PropertyValue}' already exists", "'ann@example.com' already exists"},
		{contract.ServiceStack, "Taken: {0}", "Taken: {0}"},
	}
	for _, tt := range tests {
		t.Run(string(tt.style)+"/"+tt.message, func(t *testing.T) {
			st, err := StyleFor(tt.style)
			if err != nil {
				t.Fatal(err)
			}
			op := &contract.Operation{Name: "Register", Parameter: "model", Conflicts: map[string]contract.Conflict{}}
			if tt.message != "" {
				op.Conflicts["username"] = contract.Conflict{Key: "UserName", Code: "AlreadyExists", Message: tt.message}
			}
			p := st.Conflict(op, &backend.ConflictError{Field: "username", Value: "ann@example.com"})
			if p == nil || len(p.Fields) != 1 {
				t.Fatalf("problem %+v, want one field error", p)
			}
			if p.Fields[0].Message != tt.want {
				t.Errorf("message %q, want %q", p.Fields[0].Message, tt.want)
			}
		})
	}
}
