package contract_test

import (
	"strings"
	"testing"

	"legacygate/routes/contract"
)

const prelude = `
operations:
  - name: Lookup
    action: lookup
    lookup: Codes
    routes: [{method: GET, path: /codes}]
  - name: Register
    action: lookup
    lookup: Codes
    routes: [{method: GET, path: /never}]
types:
  Resp:
    namespace: Prelude.NS
    members:
      - {name: ID, type: long}
      - {name: Extra, type: string}
  Status:
    members:
      - {name: Code, type: string}
`

// TestPreludeMerge: the prelude of the host's style adds what the host
// lacks, merges same-named types member by member and never replaces a
// host's operation; other styles' hosts do not get it.
func TestPreludeMerge(t *testing.T) {
	src := strings.Replace(base, "operations:", "lookups: {Codes: [{code: a}]}\noperations:", 1)
	h, err := contract.LoadWith("t.yaml", []byte(src), contract.Preludes{contract.WebAPI: []byte(prelude)})
	if err != nil {
		t.Fatal(err)
	}
	if h.Types["Status"] == nil {
		t.Error("prelude type Status not added")
	}
	resp := h.Types["Resp"]
	if got := resp.Member("ID").Type.Spec; got != "int" {
		t.Errorf("Resp.ID is %s, want the host's int", got)
	}
	if resp.Member("Extra") == nil || resp.Member("Roles") == nil {
		t.Error("Resp lost members of the prelude or of the host")
	}
	if resp.CLRNamespace() != "Prelude.NS" {
		t.Errorf("Resp namespace %q, want the prelude's (the host gives none)", resp.Namespace)
	}
	if h.Operation("Lookup") == nil {
		t.Error("prelude operation not added")
	}
	if op := h.Operation("Register"); op == nil || op.Action != contract.ActionRegister {
		t.Errorf("the host's Register was replaced: %+v", op)
	}
	other, err := contract.LoadWith("t.yaml", []byte(src), contract.Preludes{contract.ServiceStack: []byte(prelude)})
	if err != nil {
		t.Fatal(err)
	}
	if other.Types["Status"] != nil {
		t.Error("a webapi host got the servicestack prelude")
	}
}
