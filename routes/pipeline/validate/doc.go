// Package validate is the pipeline's validation step: it runs the
// contract's rules (DataAnnotations / FluentValidation semantics) over a
// bound request and words each failure through the host style's
// [Messages]. It imports the contract and netregex, nothing of HTTP.
package validate
