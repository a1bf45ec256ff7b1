package bind

import "testing"

func TestFitDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"1.10": "1.10", "0.0": "0.0", "79228162514264337593543950335.0": "79228162514264337593543950335",
		"-79228162514264337593543950335.00": "-79228162514264337593543950335", "7922816251426433759354395033.50": "7922816251426433759354395033.5", "1.50": "1.50",
		"1e5": "1e5",
	} {
		if got := fitDecimal(in); got != want {
			t.Errorf("fitDecimal(%q) = %q, want %q", in, got, want)
		}
	}
}
