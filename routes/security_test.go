package routes_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"legacygate/backend"
	"legacygate/backend/redisstore"
	"legacygate/codecs"
	"legacygate/routes"
	"legacygate/routes/pipeline"
)

// send posts body to path with the given content type and headers and
// returns the status and body.
func (g *gateway) send(t *testing.T, method, path, ctype, body string, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, g.srv.URL+path, strings.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, b := g.do(t, req)
	return res.StatusCode, string(b)
}

// TestRoleEscalation: the contract's role policy refuses every way a
// caller may ask for a role it may not give (path, role member, enum
// index, roles list), and keeps the legitimate self-registration.
func TestRoleEscalation(t *testing.T) {
	g := newGateway(t)
	partner := map[string]string{"Authorization": "Basic cGFydG5lckBleGFtcGxlLmNvbTpwYXJ0bmVyLXBhc3M="} // partner@example.com:partner-pass
	const js = "application/json"
	tests := []struct {
		name, path, body string
		hdr              map[string]string
		want             int
		wantIn           string
	}{
		{"emun1 path Administrator", "/service/RegisterUser/Administrator", `{"userName":"x1","password":"p"}`, nil, 400, `"errorCode":"RoleNotAssignable"`},
		{"emun1 path administrator any case", "/service/auth/Register/administrator", `{"userName":"x2","password":"p"}`, nil, 400, `"fieldName":"Role"`},
		{"emun1 role member", "/service/RegisterUser", `{"userName":"x3","password":"p","role":"Administrator"}`, nil, 400, "privileged"},
		{"emun1 role as enum index 0", "/service/RegisterUser", `{"userName":"x4","password":"p","role":0}`, nil, 400, "Administrator"},
		{"emun1 role by query", "/service/RegisterUser?role=Administrator", `{"userName":"x5","password":"p"}`, nil, 400, "RoleNotAssignable"},
		{"emun1 predefined route", "/service/json/reply/RegisterUser", `{"userName":"x6","password":"p","role":"Administrator"}`, nil, 400, "RoleNotAssignable"},
		{"emun1 Manager is not self-assignable", "/service/RegisterUser/Manager", `{"userName":"x7","password":"p"}`, nil, 400, "anonymous"},
		{"emun1 anonymous Customer still works", "/service/RegisterUser/Customer", `{"userName":"ok1","password":"p"}`, nil, 200, `"userName":"ok1"`},
		{"emun1 no role still works", "/service/RegisterUser", `{"userName":"ok2","password":"p"}`, nil, 200, `"userName":"ok2"`},
		{"digitaluapi partner hands out Admin", "/clientregister", `{"EMail":"y1@example.com","Password":"p","Company":"Acme","Roles":["Admin"]}`, partner, 403, ""},
		{"digitaluapi partner hands out admin (case)", "/clientregister", `{"EMail":"y2@example.com","Password":"p","Company":"Acme","Roles":["Client","admin"]}`, partner, 403, ""},
		{"digitaluapi partner hands out Partner", "/clientregister", `{"EMail":"y3@example.com","Password":"p","Company":"Acme","Roles":["Partner"]}`, partner, 403, ""},
		{"digitaluapi partner hands out Client", "/clientregister", `{"EMail":"y4@example.com","Password":"p","Company":"Acme","Roles":["Client"]}`, partner, 200, `"Roles":["Client"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := g.send(t, "POST", tt.path, js, tt.body, tt.hdr)
			if status != tt.want || !strings.Contains(body, tt.wantIn) {
				t.Fatalf("got %d %s, want %d with %q", status, body, tt.want, tt.wantIn)
			}
		})
	}
	// Nothing refused was written.
	for _, name := range []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7"} {
		if free, err := g.store.IsAvailable(t.Context(), "emun1", name); err != nil || !free {
			t.Errorf("%s was stored (free=%v err=%v)", name, free, err)
		}
	}
}

// TestLinkOrigins: a URL from a request reaches an email or a Location
// header only when it points to an allowed origin; otherwise the host's 400
// and nothing is written. The same-origin link still works.
func TestLinkOrigins(t *testing.T) {
	g := newGateway(t)
	const js = "application/json"
	fls := func(user, link string) string {
		return `{"FriendlyName":"F","NotificationEmail":"` + user + `@example.com","UserName":"` + user + `","EmailConfirmationLink":"` + link + `"}`
	}
	rpost := func(email, cb string) string {
		return `{"Email":"` + email + `","Password":"Secret007x","ConfirmPassword":"Secret007x","FirstName":"A","LastName":"B","RegistrationApp":"P","Language":"en-us","TimeZone":"UTC","ActivateViaCallbackUrl":true,"ConfirmationCallbackUrl":"` + cb + `"}`
	}
	tests := []struct {
		name, path, body string
		want             int
		user             string // realm:name that must (200) or must not (400) exist
	}{
		{"fls foreign origin", "/api/v1/users", fls("l1", "https://evil.example/phish"), 400, "fls:l1"},
		{"fls look-alike host", "/api/v1/users", fls("l2", "https://fls.example.evil.example/c"), 400, "fls:l2"},
		{"fls user info trick", "/api/v1/users", fls("l3", "https://fls.example@evil.example/c"), 400, "fls:l3"},
		{"fls javascript", "/api/v1/users", fls("l4", "javascript:alert(1)"), 400, "fls:l4"},
		{"fls relative", "/api/v1/users", fls("l5", "//evil.example/c"), 400, "fls:l5"},
		{"fls plain http on https origin", "/api/v1/users", fls("l6", "http://fls.example/c"), 400, "fls:l6"},
		{"fls allowed origin", "/api/v1/users", fls("l7", "https://FLS.example:443/confirm?x=1"), 200, "fls:l7"},
		{"rpost callback foreign", "/api/v1/Account/Register", rpost("r1@example.com", "https://evil.example/steal"), 400, "rpost:r1@example.com"},
		{"rpost callback allowed", "/api/v1/Account/Register", rpost("r2@example.com", "https://app.example/welcome"), 200, "rpost:r2@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := g.send(t, "POST", tt.path, js, tt.body, nil)
			if status != tt.want {
				t.Fatalf("got %d %s, want %d", status, body, tt.want)
			}
			if status == 400 && !strings.Contains(body, "allowed origin") {
				t.Fatalf("400 without a clear message: %s", body)
			}
			realm, name, _ := strings.Cut(tt.user, ":")
			free, err := g.store.IsAvailable(t.Context(), realm, name)
			if err != nil || free != (tt.want != 200) {
				t.Fatalf("%s stored=%v (err %v)", tt.user, !free, err)
			}
		})
	}
}

// TestConfirmEmailChecksUser: FLS confirmemail consumes a code only for
// the UserId it belongs to.
func TestConfirmEmailChecksUser(t *testing.T) {
	g := newGateway(t)
	ctx := t.Context()
	reg := func(name string) backend.User {
		u, err := g.store.Register(ctx, backend.RegisterCommand{Realm: "fls", Username: name, Email: name + "@example.com",
			Activation: &backend.Activation{TTL: time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	a, b := reg("ca"), reg("cb")
	confirm := func(user, code string) (int, string) {
		return g.send(t, "POST", "/api/v1/users/confirmemail", "application/json", `{"UserId":`+user+`,"Code":"`+code+`"}`, nil)
	}
	if s, body := confirm(`"`+b.UUID+`"`, a.ActivationCode); s != 400 {
		t.Fatalf("a's code for b: %d %s", s, body)
	}
	if s, body := confirm(`null`, a.ActivationCode); s != 400 {
		t.Fatalf("a's code without a user: %d %s", s, body)
	}
	if u, _ := g.store.Get(ctx, "fls", b.UUID); u.Active {
		t.Fatal("b was activated by a's code")
	}
	if s, body := confirm(`"`+a.UUID+`"`, a.ActivationCode); s != 200 {
		t.Fatalf("a's own code (still unused): %d %s", s, body)
	}
	if u, _ := g.store.Get(ctx, "fls", a.UUID); !u.Active {
		t.Fatal("a not active")
	}
}

// TestLockout: wrong passwords lock the account, whatever the password
// after that (the answer does not tell whether it was right); another
// account is unaffected; a success before the limit resets the count.
func TestLockout(t *testing.T) {
	g := newGatewayWith(t, redisstore.Options{Lockout: redisstore.Lockout{MaxFailures: 3, Duration: time.Minute}})
	ctx := t.Context()
	for _, name := range []string{"victim@example.com", "other@example.com", "reset@example.com"} {
		if _, err := g.store.Register(ctx, backend.RegisterCommand{Realm: "digitaluapi", Username: name, Email: name, Password: "right-pass"}); err != nil {
			t.Fatal(err)
		}
	}
	signIn := func(name, pw string) (int, string) {
		return g.send(t, "POST", "/auth/credentials", "application/json", `{"UserName":"`+name+`","Password":"`+pw+`"}`, nil)
	}
	basic := func(name, pw string) int {
		req, _ := http.NewRequest("POST", g.srv.URL+"/clientregister", strings.NewReader(`{"EMail":"z@example.com","Company":"A"}`))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(name, pw)
		res, _ := g.do(t, req)
		return res.StatusCode
	}
	for i := range 3 {
		if s, body := signIn("victim@example.com", "wrong"); s != 401 || !strings.Contains(body, "Invalid UserName or Password") {
			t.Fatalf("wrong #%d: %d %s", i+1, s, body)
		}
	}
	lockedRight, bodyRight := signIn("VICTIM@example.com", "right-pass")
	lockedWrong, bodyWrong := signIn("victim@example.com", "wrong")
	if lockedRight != 401 || lockedRight != lockedWrong || bodyRight != bodyWrong || !strings.Contains(bodyRight, "This account has been locked") {
		t.Fatalf("locked: right password %d %s; wrong %d %s", lockedRight, bodyRight, lockedWrong, bodyWrong)
	}
	if s := basic("victim@example.com", "right-pass"); s != 401 {
		t.Fatalf("Basic on a locked account: %d", s)
	}
	if s, body := signIn("other@example.com", "right-pass"); s != 200 {
		t.Fatalf("another account: %d %s", s, body)
	}
	for range 2 {
		signIn("reset@example.com", "wrong")
	}
	if s, _ := signIn("reset@example.com", "right-pass"); s != 200 {
		t.Fatalf("reset: %d", s)
	}
	for range 2 {
		signIn("reset@example.com", "wrong")
	}
	if s, body := signIn("reset@example.com", "right-pass"); s != 200 {
		t.Fatalf("the success reset the count, yet: %d %s", s, body)
	}
}

// TestThrottle: registrations and sign-ins per client address are limited
// (host's 429 with Retry-After); X-Forwarded-For from an untrusted peer
// does not buy a fresh address; another host's realm is a separate count.
func TestThrottle(t *testing.T) {
	g := newGatewayWith(t, redisstore.Options{}, func(o *routes.Options) {
		o.Throttle = &pipeline.Throttle{Limiter: o.Registrar.(backend.RateLimiter),
			SignIn: pipeline.Rate{Limit: 2, Window: time.Minute}, Register: pipeline.Rate{Limit: 2, Window: time.Minute}}
	})
	reg := func(i int, spoof string) (int, string, http.Header) {
		req, _ := http.NewRequest("POST", g.srv.URL+"/service/RegisterUser", strings.NewReader(`{"userName":"t`+strconv.Itoa(i)+`","password":"p"}`))
		req.Header.Set("Content-Type", "application/json")
		if spoof != "" {
			req.Header.Set("X-Forwarded-For", spoof)
			req.Header.Set("X-Real-IP", spoof)
		}
		res, body := g.do(t, req)
		return res.StatusCode, string(body), res.Header
	}
	for i := range 2 {
		if s, body, _ := reg(i, ""); s != 200 {
			t.Fatalf("#%d: %d %s", i, s, body)
		}
	}
	s, body, hdr := reg(2, "")
	if s != 429 || hdr.Get("Retry-After") == "" || !strings.Contains(body, `"errorCode":"TooManyRequests"`) {
		t.Fatalf("third: %d %s %v", s, body, hdr)
	}
	if s, body, _ := reg(3, "203.0.113.9"); s != 429 {
		t.Fatalf("spoofed X-Forwarded-For got a fresh count: %d %s", s, body)
	}
	if free, _ := g.store.IsAvailable(t.Context(), "emun1", "t2"); !free {
		t.Fatal("a throttled registration was written")
	}
	// Web API shape on another realm (separate count).
	for i := range 3 {
		s, body := g.send(t, "POST", "/Account/Register", "application/json",
			`{"Username":"h`+strconv.Itoa(i)+`@example.com","Email":"h`+strconv.Itoa(i)+`@example.com","Password":"s3cret!","ConfirmPassword":"s3cret!","Name":"A","Surname":"B","PartnerID":8}`, nil)
		want := 200
		if i == 2 {
			want = 429
		}
		if s != want || (s == 429 && !strings.Contains(body, `"Message":"Too many requests`)) {
			t.Fatalf("hub #%d: %d %s", i, s, body)
		}
	}
}

// TestThrottleBehindProxy: behind a trusted proxy the count is the
// forwarded client's (the address the router's Match carries), so one
// client at its limit does not throttle another behind the same proxy.
func TestThrottleBehindProxy(t *testing.T) {
	_, loop, _ := net.ParseCIDR("127.0.0.0/8")
	g := newGatewayWith(t, redisstore.Options{}, func(o *routes.Options) {
		o.TrustedProxies = []*net.IPNet{loop}
		o.Throttle = &pipeline.Throttle{Limiter: o.Registrar.(backend.RateLimiter),
			Register: pipeline.Rate{Limit: 1, Window: time.Minute}}
	})
	reg := func(i int, client string) int {
		s, _ := g.send(t, "POST", "/service/RegisterUser", "application/json",
			`{"userName":"p`+strconv.Itoa(i)+`","password":"p"}`, map[string]string{"X-Forwarded-For": client})
		return s
	}
	for i, tt := range []struct {
		client string
		want   int
	}{{"203.0.113.1", 200}, {"203.0.113.1", 429}, {"203.0.113.2", 200}, {"203.0.113.2", 429}} {
		if s := reg(i, tt.client); s != tt.want {
			t.Fatalf("client %s: %d, want %d", tt.client, s, tt.want)
		}
	}
}

// TestLimits: a decoded request beyond the limits is the host's 400 before
// anything binds or is stored (the 100,000-character userName,
// 40,000-key meta and 210,000-key JSV body among them); requests within
// them still register.
func TestLimits(t *testing.T) {
	g := newGateway(t, func(o *routes.Options) {
		o.Limits = codecs.Limits{MaxMembers: 256, MaxItems: 1000, MaxDepth: 32, MaxStringChars: 4096}
		o.MaxBodyBytes = 8 << 20
	})
	keys := func(n int, kv func(i int) string) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(kv(i))
		}
		return b.String()
	}
	tests := []struct {
		name, ctype, body string
		want              int
		wantIn            string
	}{
		{"long userName", "application/json", `{"userName":"` + strings.Repeat("a", 100000) + `","password":"p"}`, 400, "longer than 4096 characters"},
		{"40,000 meta keys", "application/json", `{"userName":"m1","password":"p","meta":{` + keys(40000, func(i int) string { return `"k` + strconv.Itoa(i) + `":"v"` }) + `}}`, 400, "more than 1000 keys"},
		{"210,000 JSV keys", "application/jsv", `{userName:m2,password:p,meta:{` + keys(210000, func(i int) string { return "k" + strconv.Itoa(i) + ":v" }) + `}}`, 400, "more than 1000 keys"},
		{"5,000 roles", "application/json", `{"userName":"m3","password":"p","roles":[` + keys(5000, func(int) string { return `"r"` }) + `]}`, 400, "more than 1000 items"},
		{"5,000 members", "application/json", `{"userName":"m4","password":"p",` + keys(5000, func(i int) string { return `"x` + strconv.Itoa(i) + `":1` }) + `}`, 400, "more than 256 members"},
		{"400 KB in one meta value", "application/json", `{"userName":"m5","password":"p","meta":{"k":"` + strings.Repeat("{a:[", 100000) + `"}}`, 400, "at meta.k"},
		{"within the limits", "application/json", `{"userName":"m6","password":"p","meta":{` + keys(1000, func(i int) string { return `"k` + strconv.Itoa(i) + `":"v"` }) + `}}`, 200, `"userName":"m6"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := g.send(t, "POST", "/service/RegisterUser", tt.ctype, tt.body, nil)
			if status != tt.want || !strings.Contains(body, tt.wantIn) {
				t.Fatalf("got %d %.300s, want %d with %q", status, body, tt.want, tt.wantIn)
			}
		})
	}
	for _, name := range []string{"m1", "m2", "m3", "m4", "m5"} {
		if free, _ := g.store.IsAvailable(t.Context(), "emun1", name); !free {
			t.Errorf("%s was stored", name)
		}
	}
	// Web API shape, with the nesting limit.
	deep := strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40)
	status, body := g.send(t, "POST", "/Account/Register", "application/json", `{"Username":"d@example.com","X":`+deep+`}`, nil)
	if status != 400 || !strings.Contains(body, `"ModelState"`) || !strings.Contains(body, "nested deeper than 32 levels") {
		t.Fatalf("deep Web API body: %d %s", status, body)
	}
}

// TestClientGone: a request whose client left (cancelled context) or whose
// deadline passed (the write timeout) starts no backend work: nothing is
// stored.
func TestClientGone(t *testing.T) {
	g := newGateway(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "POST", "/service/RegisterUser", strings.NewReader(`{"userName":"gone1","password":"p"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	g.srv.Config.Handler.ServeHTTP(rec, req)
	if free, _ := g.store.IsAvailable(t.Context(), "emun1", "gone1"); !free {
		t.Fatalf("a cancelled request registered its user (status %d)", rec.Code)
	}

	late := newGateway(t, func(o *routes.Options) { o.RequestTimeout = time.Nanosecond })
	if s, _ := late.send(t, "POST", "/service/RegisterUser", "application/json", `{"userName":"gone2","password":"p"}`, nil); s == 200 {
		t.Fatal("a request past its deadline answered 200")
	}
	if free, _ := late.store.IsAvailable(t.Context(), "emun1", "gone2"); !free {
		t.Fatal("a request past its deadline registered its user")
	}
}

// TestTrustedProxies: X-Forwarded-For and X-Real-IP set the client address
// (the access log's remote, the throttle's key) only when the peer is a
// configured proxy.
func TestTrustedProxies(t *testing.T) {
	remote := func(g *gateway, hdr map[string]string) string {
		g.logs.TakeAll()
		g.send(t, "GET", "/Account/IsUserAvailable?username=a", "", "", hdr)
		for _, e := range g.logs.FilterMessage("request").All() {
			return e.ContextMap()["remote"].(string)
		}
		t.Fatal("no access-log line")
		return ""
	}
	spoof := map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Real-IP": "203.0.113.8"}
	plain := newGateway(t)
	if got := remote(plain, spoof); got != "127.0.0.1" {
		t.Fatalf("no trusted proxy: remote %q, want the peer 127.0.0.1", got)
	}
	_, loop, _ := net.ParseCIDR("127.0.0.0/8")
	proxied := newGateway(t, func(o *routes.Options) { o.TrustedProxies = []*net.IPNet{loop} })
	if got := remote(proxied, spoof); got != "203.0.113.7" {
		t.Fatalf("trusted proxy, X-Forwarded-For: remote %q", got)
	}
	if got := remote(proxied, map[string]string{"X-Real-IP": "203.0.113.8"}); got != "203.0.113.8" {
		t.Fatalf("trusted proxy, X-Real-IP: remote %q", got)
	}
	// A client behind the proxy cannot pass itself off as the proxy's
	// other hops: the rightmost untrusted address counts.
	if got := remote(proxied, map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}); got != "203.0.113.7" {
		t.Fatalf("trusted proxy, chain: remote %q", got)
	}
	_, other, _ := net.ParseCIDR("10.0.0.0/8")
	elsewhere := newGateway(t, func(o *routes.Options) { o.TrustedProxies = []*net.IPNet{other} })
	if got := remote(elsewhere, spoof); got != "127.0.0.1" {
		t.Fatalf("peer outside the trusted range: remote %q", got)
	}
}
