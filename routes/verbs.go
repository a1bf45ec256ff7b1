package routes

// verbMatcher is a style whose router matches the verb with the path: a
// route whose path matches but whose verbs leave the method out is no
// route at all, so the answer is the style's 404, not a 405.
type verbMatcher interface {
	UnmatchedVerbIsNotFound() bool
}
