package codecs

import "testing"

func TestFormatDouble(t *testing.T) {
	for in, want := range map[float64]string{
		1: "1", 0.1: "0.1", 1e15: "1E+15", 123456789012345: "123456789012345", 1e-5: "1E-05", 0.0001: "0.0001",
		0.30000000000000004: "0.30000000000000004", 1.5e300: "1.5E+300", -2.5: "-2.5", 123456789012345680: "1.2345678901234568E+17",
	} {
		if got := FormatDouble(in); got != want {
			t.Errorf("FormatDouble(%v) = %q, want %q", in, got, want)
		}
	}
}
