package contract_test

import (
	"testing"

	"legacygate/routes/contract"
)

// FuzzLoad: a contract file, however broken, loads or fails with an error;
// it never panics.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte("host: x\nstyle: webapi\n"))
	f.Add([]byte("types:\n  A:\n    base: A\n"))
	f.Add([]byte("operations:\n  - routes: [{method: '', path: x}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := contract.Load("f.yaml", data)
		if err == nil && h == nil {
			t.Fatal("nil host without an error")
		}
	})
}
