package servicestack

import "testing"

// TestSetHashParam: ServiceStack.Text's SetHashParam, which the logout
// redirect uses to set s=-1 (HttpUtils.cs): "/"-separated fragment
// parameters, a key found right after "#" (as a prefix) or after "/" has
// its value replaced up to the next "/", else the parameter is appended.
func TestSetHashParam(t *testing.T) {
	for _, tt := range []struct{ give, want string }{
		{"https://a.example/", "https://a.example/#s=-1"},
		{"https://a.example/p?q=1", "https://a.example/p?q=1#s=-1"},
		{"https://a.example/#tab=1", "https://a.example/#tab=1/s=-1"},
		{"https://a.example/#s=5", "https://a.example/#s=-1"},
		{"https://a.example/#s=5/tab=2", "https://a.example/#s=-1/tab=2"},
		{"https://a.example/#tab=2/s=5", "https://a.example/#tab=2/s=-1"},
		{"https://a.example/#tab=2/s=5/x=1", "https://a.example/#tab=2/s=-1/x=1"},
		// The key matches as a prefix, as in the original.
		{"https://a.example/#state=x", "https://a.example/#s=-1"},
		{"https://a.example/#", "https://a.example/#/s=-1"},
	} {
		if got := setHashParam(tt.give, "s", "-1"); got != tt.want {
			t.Errorf("setHashParam(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}
