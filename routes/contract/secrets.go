package contract

import "sort"

// SecretMembers lists the names of every member any of the host's types
// marks secret (passwords and their confirmations): values that must never
// be logged, e.g. by shadow mode's difference log.
func (h *Host) SecretMembers() []string {
	seen := map[string]bool{}
	for _, t := range h.Types {
		for _, m := range t.Members {
			if m.Secret {
				seen[m.Name] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
