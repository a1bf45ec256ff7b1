// Package replay sends recorded exchanges (the txtar corpus, or HAR files)
// to a base URL, compares the answers with the recordings using
// routes/exchange/diff, and reports, records or updates them. It is the
// engine of `legacygate replay`; it knows nothing about hosts or contracts.
package replay
