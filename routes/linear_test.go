package routes_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"legacygate/codecs"
	"legacygate/routes"
	"legacygate/routes/contract"
	"legacygate/routes/hosts"
	"legacygate/routes/pipeline"
	"legacygate/routes/pipeline/bind"
)

// A decode-and-bind case: one wire format and one collection kind of a
// host operation, with a body generator for n entries. The bodies are
// written by the host's own encoders where the schema declares the
// collection, so they are what a client of that host sends.
type linearCase struct {
	name  string
	host  string
	op    string
	ctype string
	path  string
	body  func(t testing.TB, op *contract.Operation, st pipeline.Style, n int) []byte
}

func encoded(format string, member func(n int) codecs.Member) func(t testing.TB, op *contract.Operation, st pipeline.Style, n int) []byte {
	return func(t testing.TB, op *contract.Operation, st pipeline.Style, n int) []byte {
		v := codecs.Obj(codecs.M("UserName", codecs.Str("ann")), member(n))
		b, err := st.Encoder(op.Host(), format).Append(nil, v, op.Request.Schema())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

func dict(name string) func(n int) codecs.Member {
	return func(n int) codecs.Member {
		ms := make([]codecs.Member, n)
		for i := range ms {
			ms[i] = codecs.M("k"+strconv.Itoa(i), codecs.Str("v"))
		}
		return codecs.M(name, codecs.Obj(ms...))
	}
}

func list(name string, item func(i int) string) func(n int) codecs.Member {
	return func(n int) codecs.Member {
		items := make([]codecs.Value, n)
		for i := range items {
			items[i] = codecs.Str(item(i))
		}
		return codecs.M(name, codecs.Arr(items...))
	}
}

// members writes n undeclared members (which binders skip) by hand.
func members(open, close, sep string, member func(i int) string) func(t testing.TB, op *contract.Operation, st pipeline.Style, n int) []byte {
	return func(t testing.TB, op *contract.Operation, st pipeline.Style, n int) []byte {
		var b bytes.Buffer
		b.WriteString(open)
		for i := range n {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(member(i))
		}
		b.WriteString(close)
		return b.Bytes()
	}
}

func guid(i int) string {
	return "00000000-0000-0000-0000-" + strings.Repeat("0", 12-len(strconv.Itoa(i))) + strconv.Itoa(i)
}

var linearCases = []linearCase{
	{"servicestack/json/dict", "emun1", "RegisterUser", "application/json", "/service/RegisterUser", encoded("json", dict("Meta"))},
	{"servicestack/json/list", "emun1", "RegisterUser", "application/json", "/service/RegisterUser", encoded("json", list("Roles", strconv.Itoa))},
	{"servicestack/json/members", "emun1", "RegisterUser", "application/json", "/service/RegisterUser", members(`{"userName":"ann"`, "}", "", func(i int) string { return `,"x` + strconv.Itoa(i) + `":1` })},
	{"servicestack/jsv/dict", "emun1", "RegisterUser", "application/jsv", "/service/RegisterUser", encoded("jsv", dict("Meta"))},
	{"servicestack/jsv/list", "emun1", "RegisterUser", "application/jsv", "/service/RegisterUser", encoded("jsv", list("Roles", strconv.Itoa))},
	{"servicestack/jsv/members", "emun1", "RegisterUser", "application/jsv", "/service/RegisterUser", members(`{userName:ann`, "}", "", func(i int) string { return `,x` + strconv.Itoa(i) + `:1` })},
	{"servicestack/xml/dict", "emun1", "RegisterUser", "application/xml", "/service/RegisterUser", encoded("xml", dict("Meta"))},
	{"servicestack/xml/list", "emun1", "RegisterUser", "application/xml", "/service/RegisterUser", encoded("xml", list("Roles", strconv.Itoa))},
	{"servicestack/xml/members", "emun1", "RegisterUser", "application/xml", "/service/RegisterUser", members(`<RegisterUser xmlns="http://schemas.datacontract.org/2004/07/EMUN1.ServiceModel">`, "</RegisterUser>", "", func(i int) string { return "<X" + strconv.Itoa(i) + ">1</X" + strconv.Itoa(i) + ">" })},
	{"servicestack/form/dict", "emun1", "RegisterUser", "application/x-www-form-urlencoded", "/service/RegisterUser", members("userName=ann&meta=", "", ",", func(i int) string { return url.QueryEscape("k" + strconv.Itoa(i) + ":v") })},
	{"servicestack/form/list", "emun1", "RegisterUser", "application/x-www-form-urlencoded", "/service/RegisterUser", members("userName=ann&roles=", "", ",", strconv.Itoa)},
	{"webapi/json/list", "fls", "InsertUser", "application/json", "/api/v1/users", encoded("json", list("UserRoleIds", guid))},
	{"webapi/json/members", "fls", "InsertUser", "application/json", "/api/v1/users", members(`{"UserName":"ann"`, "}", "", func(i int) string { return `,"x` + strconv.Itoa(i) + `":1` })},
	{"webapi/xml/list", "fls", "InsertUser", "application/xml", "/api/v1/users", encoded("xml", list("UserRoleIds", guid))},
	{"webapi/xml/members", "fls", "InsertUser", "application/xml", "/api/v1/users", members(`<UserRegistrationDetails xmlns="http://schemas.datacontract.org/2004/07/FLS.Data.WebApi.User">`, "</UserRegistrationDetails>", "", func(i int) string { return "<X" + strconv.Itoa(i) + ">1</X" + strconv.Itoa(i) + ">" })},
}

// prepared is one case ready to run: read (decode and compose) then bind,
// what the pipeline does before validation.
type prepared struct {
	op   *contract.Operation
	st   pipeline.Style
	tc   linearCase
	body []byte
}

func prepare(t testing.TB, tc linearCase, n int) prepared {
	t.Helper()
	all, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range all {
		if h.Name != tc.host {
			continue
		}
		for _, op := range h.Operations {
			if op.Name == tc.op {
				st, err := routes.StyleFor(h.Style)
				if err != nil {
					t.Fatal(err)
				}
				return prepared{op: op, st: st, tc: tc, body: tc.body(t, op, st, n)}
			}
		}
	}
	t.Fatalf("no %s.%s", tc.host, tc.op)
	return prepared{}
}

// run reads and binds once and returns how many entries the collection
// bound to (so a test knows the body really exercised it).
func (p prepared) run(t testing.TB) int {
	req, _ := http.NewRequest("POST", p.tc.path, bytes.NewReader(p.body))
	req.Header.Set("Content-Type", p.tc.ctype)
	in, prob := p.st.Read(pipeline.Match{Op: p.op}, req, p.body)
	if prob != nil || in.Err != nil {
		t.Fatalf("%s: read: %v %v", p.tc.name, prob, in.Err)
	}
	bound, errs := bind.Request(p.op.Request, in.Value, p.st.BindOptions())
	if len(errs) > 0 {
		t.Fatalf("%s: bind: %v", p.tc.name, errs[0])
	}
	switch {
	case strings.HasSuffix(p.tc.name, "/members"):
		return len(in.Value.Members)
	default:
		for _, m := range bound.Members {
			if n := len(m.Value.Members) + len(m.Value.Items); n > 1 {
				return n
			}
		}
	}
	return 0
}

// BenchmarkDecodeBind reads and binds each format and collection kind at
// n and 2n entries: ns/op doubling with n is linear cost (a scan per
// entry made dictionaries quadratic).
func BenchmarkDecodeBind(b *testing.B) {
	for _, tc := range linearCases {
		for _, n := range []int{5000, 10000, 20000} {
			b.Run(tc.name+"/n="+strconv.Itoa(n), func(b *testing.B) {
				p := prepare(b, tc, n)
				b.SetBytes(int64(len(p.body)))
				b.ReportAllocs()
				for b.Loop() {
					p.run(b)
				}
			})
		}
	}
}

// TestDecodeBindLinear pins linearity without a clock: reading and binding
// 2n entries allocates, and scans members, at most about twice what n
// entries do, for every format and collection kind; and every case really
// binds its n entries. It must not run in parallel (CountScans counts every
// goroutine).
func TestDecodeBindLinear(t *testing.T) {
	const n = 2000
	for _, tc := range linearCases {
		t.Run(tc.name, func(t *testing.T) {
			small, large := prepare(t, tc, n), prepare(t, tc, 2*n)
			// Schema-typed readers (JSV, XML) skip undeclared members while
			// decoding, so only their cost shows, not a count.
			skips := strings.HasSuffix(tc.name, "/members") && (strings.Contains(tc.name, "/jsv/") || strings.Contains(tc.name, "/xml/"))
			if got := small.run(t); got < n && !skips {
				t.Fatalf("the body bound %d entries, want at least %d", got, n)
			}
			a1 := testing.AllocsPerRun(3, func() { small.run(t) })
			a2 := testing.AllocsPerRun(3, func() { large.run(t) })
			if a2 > 2.2*a1+64 {
				t.Fatalf("allocations grow faster than the input: %.0f for n=%d, %.0f for 2n", a1, n, a2)
			}
			// Member look-ups are the work that allocates nothing: a scan
			// per input entry made dictionaries quadratic.
			s1 := codecs.CountScans(func() { small.run(t) })
			s2 := codecs.CountScans(func() { large.run(t) })
			if s2 > 2*s1+256 {
				t.Fatalf("member scans grow faster than the input: %d for n=%d, %d for 2n", s1, n, s2)
			}
		})
	}
}
