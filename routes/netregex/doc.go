// Package netregex matches patterns the way .NET's System.Text.RegularExpressions
// does (lookarounds, inline options, first-match semantics), with a bound on
// the time one match may take. Contracts compile their regex rules with it
// at load; the validation step matches with it. It imports nothing of the
// gateway.
package netregex
