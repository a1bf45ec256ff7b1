package importer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"legacygate/routes/contract"
	"legacygate/routes/contract/importer"
	"legacygate/routes/hosts"
)

// seedHosts pairs each seed with the shipped contract written from it.
var seedHosts = map[string]string{"000": "hub", "001": "rpost", "002": "fls", "003": "digitaluapi", "004": "emun1"}

// contractDiff lists how an imported contract differs from a shipped one:
// the operation's routes, its request and response types (members, type
// specs, namespaces, bases, recursively) and the formats' media types.
func contractDiff(got, want *contract.Host) []string {
	var out []string
	add := func(f string, a ...any) { out = append(out, fmt.Sprintf(f, a...)) }
	gop := got.Operations[0]
	var wop *contract.Operation
	for _, op := range want.Operations {
		if op.Routes[0] == gop.Routes[0] {
			wop = op
		}
	}
	if wop == nil {
		add("operation %s: no shipped operation has its route", gop.Name)
		return out
	}
	if gop.Name != wop.Name {
		add("operation name: %s; shipped %s", gop.Name, wop.Name)
	}
	routes := func(op *contract.Operation) string {
		var s []string
		for _, r := range op.Routes {
			s = append(s, r.Method+" "+r.Path)
		}
		return strings.Join(s, ", ")
	}
	if a, b := routes(gop), routes(wop); a != b {
		add("routes: %s; shipped %s", a, b)
	}
	if got.Prefix != want.Prefix {
		add("prefix: %q; shipped %q", got.Prefix, want.Prefix)
	}
	if got.Naming != want.Naming {
		add("naming: %s; shipped %s", got.Naming, want.Naming)
	}
	media := func(h *contract.Host) string {
		var s []string
		for _, f := range h.Formats {
			s = append(s, fmt.Sprintf("%s%v", f.Name, f.MediaTypes))
		}
		return strings.Join(s, " ")
	}
	if a, b := media(got), media(want); a != b {
		add("formats: %s; shipped %s", a, b)
	}
	if gop.Authenticate != wop.Authenticate || fmt.Sprint(gop.Roles) != fmt.Sprint(wop.Roles) {
		add("auth: %v %v; shipped %v %v", gop.Authenticate, gop.Roles, wop.Authenticate, wop.Roles)
	}
	seen := map[string]bool{}
	var types func(g, w *contract.Type)
	types = func(g, w *contract.Type) {
		switch {
		case g == nil && w == nil:
			return
		case g == nil || w == nil:
			add("type: %v; shipped %v", name(g), name(w))
			return
		case seen[g.Name]:
			return
		}
		seen[g.Name] = true
		if g.Name != w.Name {
			add("type %s: shipped %s", g.Name, w.Name)
		}
		if ns(g) != ns(w) {
			add("%s namespace: %q; shipped %q", g.Name, ns(g), ns(w))
		}
		if name(g.Parent()) != name(w.Parent()) {
			add("%s base: %s; shipped %s", g.Name, name(g.Parent()), name(w.Parent()))
		}
		if fmt.Sprint(g.Enum) != fmt.Sprint(w.Enum) {
			add("%s enum: %v; shipped %v", g.Name, g.Enum, w.Enum)
		}
		for _, gm := range g.AllMembers() {
			wm := w.Member(gm.Name)
			if wm == nil {
				add("%s.%s: not in the shipped contract", g.Name, gm.Name)
				continue
			}
			if gm.Type.Spec != wm.Type.Spec {
				add("%s.%s: type %s; shipped %s", g.Name, gm.Name, gm.Type.Spec, wm.Type.Spec)
			}
			if gm.CLRType != wm.CLRType {
				add("%s.%s: clr_type %q; shipped %q", g.Name, gm.Name, gm.CLRType, wm.CLRType)
			}
			gr, wr := ruleKinds(gm), ruleKinds(wm)
			if gr != wr {
				add("%s.%s: rules %s; shipped %s", g.Name, gm.Name, gr, wr)
			}
			gt, wt := elemObject(gm.Type), elemObject(wm.Type)
			if gt != nil || wt != nil {
				types(gt, wt)
			}
		}
		for _, wm := range w.AllMembers() {
			if g.Member(wm.Name) == nil {
				add("%s.%s: only in the shipped contract", w.Name, wm.Name)
			}
		}
	}
	types(gop.Request, wop.Request)
	if !(gop.Response != nil && gop.Response.Primitive) {
		types(gop.Response, wop.Response)
	}
	sort.Strings(out)
	return out
}

// ns is the namespace as a contract writes it: the CLR namespace, or a
// URI of the contract's own.
func ns(t *contract.Type) string {
	if n := t.CLRNamespace(); n != "" {
		return n
	}
	return t.Namespace
}

func name(t *contract.Type) string {
	if t == nil {
		return "none"
	}
	return t.Name
}

func elemObject(r contract.TypeRef) *contract.Type {
	if r.Elem != nil {
		return elemObject(*r.Elem)
	}
	if r.Object != nil {
		return r.Object
	}
	return r.Enum
}

func ruleKinds(m *contract.Member) string {
	var s []string
	for _, r := range m.Rules {
		k := string(r.Kind)
		switch r.Kind {
		case contract.RuleLength, contract.RuleRange:
			k += fmt.Sprintf("(%d,%d)", r.Min, r.Max)
		case contract.RuleMaxLength:
			k += fmt.Sprintf("(%d)", r.Max)
		case contract.RuleMinLength:
			k += fmt.Sprintf("(%d)", r.Min)
		}
		s = append(s, k)
	}
	sort.Strings(s)
	return "[" + strings.Join(s, " ") + "]"
}

// TestImportSeedsAgainstShipped imports each seed and compares the draft
// with the contract shipped for that host. Every difference is expected:
// importDrift says why each is there (what the page cannot say, or what
// the shipped contract decided beyond the page).
func TestImportSeedsAgainstShipped(t *testing.T) {
	shipped, err := hosts.Load()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*contract.Host{}
	for _, h := range shipped {
		byName[h.Name] = h
	}
	files, _ := filepath.Glob("../../../docs/legacy/seeds/*.txt")
	for _, f := range files {
		seed := filepath.Base(f)[:3]
		t.Run(seed, func(t *testing.T) {
			page, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := importer.Import(page, seedHosts[seed], filepath.Base(f))
			if err != nil {
				t.Fatal(err)
			}
			got, err := contract.Load(filepath.Base(f), d.YAML())
			if err != nil {
				t.Fatalf("%v\n%s", err, d.YAML())
			}
			diff := contractDiff(got, byName[seedHosts[seed]])
			want := map[string]bool{}
			for _, e := range importDrift[seed] {
				want[e.diff] = true
			}
			for _, line := range diff {
				if !want[line] {
					t.Errorf("unexpected difference: %q", line)
				}
				delete(want, line)
			}
			for line := range want {
				t.Errorf("expected difference no longer occurs: %q", line)
			}
		})
	}
}

// importDrift: the expected differences between each imported seed and
// the shipped contract, with reasons.
var importDrift = map[string][]struct{ diff, reason string }{
	"000": {
		{"RegisterBindingModel.ConfirmPassword: rules []; shipped [compare]", "Compare rules are not on a help page (HelpPage has no text for them; ServiceStack shows no validators)"},
		{"RegisterBindingModel.Email: rules []; shipped [required]", "the shipped contract enforces what the description says (issue #2); the model had no [Required]"},
		{"RegisterBindingModel.PartnerID: type int; shipped int?", "the page shows non-nullable int (its sample numbering), or cannot tell after the last numbered member; the shipped contract makes these nullable so the gateway answers null for what a registration cannot know"},
		{"RegisterBindingModel.Username: rules []; shipped [required]", "the shipped contract enforces what the description says (issue #2); the model had no [Required]"},
		{"UserDetail.GDPRMarketingConsentDate: type datetime; shipped datetime?", "the page shows non-nullable int (its sample numbering), or cannot tell after the last numbered member; the shipped contract makes these nullable so the gateway answers null for what a registration cannot know"},
		{"UserDetail.GenderID: type int; shipped int?", "the page shows non-nullable int (its sample numbering), or cannot tell after the last numbered member; the shipped contract makes these nullable so the gateway answers null for what a registration cannot know"},
		{"UserDetail.PartnerID: type int; shipped int?", "the page shows non-nullable int (its sample numbering), or cannot tell after the last numbered member; the shipped contract makes these nullable so the gateway answers null for what a registration cannot know"},
		{"UserDetail.TechnicianID: type int; shipped int?", "the page shows non-nullable int (its sample numbering), or cannot tell after the last numbered member; the shipped contract makes these nullable so the gateway answers null for what a registration cannot know"},
		{"UserDetail.UnitsOfMeasureID: type int; shipped int?", "the page shows non-nullable int (its sample numbering), or cannot tell after the last numbered member; the shipped contract makes these nullable so the gateway answers null for what a registration cannot know"},
	},
	"001": {
		{"UserRegisterBindingModel namespace: \"\"; shipped \"RPost.Models\"", "the page shows no XML sample that names the namespace"},
		{"UserRegisterBindingModel.Language: rules [maxlength(10) required]; shipped [in maxlength(10) required]", "the lookup and password-policy rules are the gateway's own, from the descriptions; HelpPage shows no text for them"},
		{"UserRegisterBindingModel.Password: rules [required]; shipped [password required]", "the lookup and password-policy rules are the gateway's own, from the descriptions; HelpPage shows no text for them"},
		{"UserRegisterBindingModel.TimeZone: rules [maxlength(100)]; shipped [in maxlength(100)]", "the lookup and password-policy rules are the gateway's own, from the descriptions; HelpPage shows no text for them"},
	},
	"002": {
		{"UserDetails base: UserDetailsBase; shipped FLSBaseData", "the base class name is not on the page (only its members, by their XML namespace)"},
		{"UserDetails.ClubId: rules [required]; shipped []", "the page shows the response model's DataAnnotations; the shipped contract validates requests only"},
		{"UserDetails.FriendlyName: rules [length(0,100) required]; shipped []", "the page shows the response model's DataAnnotations; the shipped contract validates requests only"},
		{"UserDetails.LastPasswordChangeOn: type datetime; shipped datetime?", "the sample numbering cannot tell which of three members is the nullable one (reported)"},
		{"UserDetails.NotificationEmail: rules [length(0,256) required]; shipped []", "the page shows the response model's DataAnnotations; the shipped contract validates requests only"},
		{"UserDetails.UserName: rules [length(0,256) required]; shipped []", "the page shows the response model's DataAnnotations; the shipped contract validates requests only"},
		{"operation name: Users; shipped InsertUser", "the action name is not on a help page; the importer names it after the route"},
	},
	"003": {
		{"ClientRegister namespace: \"\"; shipped \"DigitalU.Api.ServiceModel\"", "the page shows no XML sample that names the namespace"},
		{"ClientRegister.ConfirmPassword: rules []; shipped [compare]", "Compare rules are not on a help page (HelpPage has no text for them; ServiceStack shows no validators)"},
		{"ClientRegister.Password: rules []; shipped [required]", "RegistrationValidator rules (inferred in the shipped contract) are not on a metadata page"},
	},
	"004": {
		{"PersonNameInfo namespace: \"\"; shipped \"EMUN1.ServiceModel\"", "the page shows no XML sample that names the namespace"},
		{"RegisterUser namespace: \"\"; shipped \"EMUN1.ServiceModel\"", "the page shows no XML sample that names the namespace"},
		{"RegisterUser.ConfirmPassword: rules []; shipped [compare]", "Compare rules are not on a help page (HelpPage has no text for them; ServiceStack shows no validators)"},
		{"RegisterUser.Email: rules []; shipped [email]", "RegistrationValidator's email rule is not on a metadata page"},
		{"RegisterUser.Password: rules []; shipped [required]", "RegistrationValidator rules (inferred in the shipped contract) are not on a metadata page"},
		{"RegisterUser.UserName: rules []; shipped [required]", "RegistrationValidator rules (inferred in the shipped contract) are not on a metadata page"},
		{"Roles enum: [Administrator]; shipped [Administrator Manager SalesRep Retailer Customer Employee]", "only the first enum value is in the JSV sample"},
		{"SalesRep namespace: \"\"; shipped \"EMUN1.ServiceModel\"", "the page shows no XML sample that names the namespace"},
	},
}
