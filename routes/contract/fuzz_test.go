package contract_test

import (
	"testing"

	"legacygate/routes/contract"
)

// fuzzPrelude is a small prelude for FuzzLoad: merging must not panic
// either, whatever the host declares.
const fuzzPrelude = `
operations:
  - {name: Who, action: lookup, lookup: L, routes: [{method: GET, path: /who}]}
types:
  Status:
    members:
      - {name: Code, type: string}
  Req:
    members:
      - {name: Extra, type: int}
`

// FuzzLoad: a contract file, however broken, loads or fails with an error
// (with or without a prelude to merge); it never panics.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte("host: x\nstyle: webapi\n"))
	f.Add([]byte("types:\n  A:\n    base: A\n"))
	f.Add([]byte("operations:\n  - routes: [{method: '', path: x}]\n"))
	f.Add([]byte("types:\n  E:\n    enum: [A, {B: 4}, {C: x}]\n  T:\n    members:\n      - {name: N, type: string, rules: [{length: [2, 9.5]}, {regex: '(?<=a'}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := contract.Load("f.yaml", data)
		if err == nil && h == nil {
			t.Fatal("nil host without an error")
		}
		h, err = contract.LoadWith("f.yaml", data, contract.Preludes{contract.WebAPI: []byte(fuzzPrelude)})
		if err == nil && h == nil {
			t.Fatal("nil host without an error (prelude)")
		}
	})
}
