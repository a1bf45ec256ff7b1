package mailer

import (
	"bytes"
	"fmt"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"legacygate/backend"
	"legacygate/backend/redisstore"
)

// Outbox entry fields the mailer reads besides the fixed ones of package
// redisstore (user, email, first_name, last_name, username, code, …).
const (
	FieldTemplate = "template" // template set, e.g. the legacy host's name
	FieldLanguage = "language" // e.g. "en-us"
	FieldLink     = "link"     // the activation link, offered as .Link
	FieldTo       = "to"       // recipient, when not the user's email
)

// message is one composed email.
type message struct {
	from, to string // envelope addresses
	data     []byte // RFC 5322 message, CRLF line ends
}

// permanentError marks a failure that no retry can mend (a malformed
// entry): the entry goes to the dead-letter stream at once.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

func permanent(format string, args ...any) error {
	return permanentError{fmt.Errorf(format, args...)}
}

var idSafe = regexp.MustCompile(`[^A-Za-z0-9-]`)

// compose renders the email for an outbox entry.
func (m *Mailer) compose(fields map[string]string, entryID string, now time.Time) (*message, error) {
	if ev := fields[redisstore.OutboxEvent]; ev != backend.EventUserRegistered {
		return nil, permanent("mailer: unknown event %q", ev)
	}
	rcpt := fields[FieldTo]
	if rcpt == "" {
		rcpt = fields[redisstore.OutboxEmail]
	}
	if rcpt == "" {
		return nil, permanent("mailer: entry has no recipient")
	}
	to, err := mail.ParseAddress(rcpt)
	if err != nil || to.Name != "" {
		return nil, permanent("mailer: recipient is not a bare email address")
	}
	name := oneLine(fields[redisstore.OutboxFirstName] + " " + fields[redisstore.OutboxLastName])
	greeting := name
	if greeting == "" {
		greeting = oneLine(fields[redisstore.OutboxUsername])
	}

	data := make(map[string]string, len(fields)+2)
	for k, v := range fields {
		data[k] = v
	}
	data["Link"] = fields[FieldLink]
	data["Name"] = greeting
	tpl, err := m.tmpl.lookup(fields[FieldTemplate], fields[FieldLanguage])
	if err != nil {
		return nil, err
	}
	subject, body, err := render(tpl, data)
	if err != nil {
		return nil, permanent("mailer: rendering %s: %w", tpl.path, err)
	}

	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", m.from.String())
	header("To", (&mail.Address{Name: name, Address: to.Address}).String())
	header("Subject", encodeHeader(subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", m.messageID(fields, entryID))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b) // text mode: "\n" becomes CRLF
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return &message{from: m.from.Address, to: to.Address, data: b.Bytes()}, nil
}

// encodeHeader returns an ASCII value as it is and encodes any other as
// RFC 2047 Q encoded words of UTF-8, whole runes each, one per line after
// the first, so that every header line stays within 78 characters.
func encodeHeader(v string) string {
	ascii := true
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return v
	}
	const (
		prefix = "=?utf-8?q?"
		suffix = "?="
		room   = 60 // payload per word: "Subject: " + 10 + 60 + 2 < 78
	)
	var (
		words []string
		word  strings.Builder
	)
	for _, r := range v {
		var enc strings.Builder
		switch {
		case r == ' ':
			enc.WriteByte('_')
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)):
			enc.WriteRune(r)
		default:
			var buf [4]byte
			for _, b := range buf[:utf8.EncodeRune(buf[:], r)] {
				fmt.Fprintf(&enc, "=%02X", b)
			}
		}
		if word.Len()+enc.Len() > room {
			words = append(words, prefix+word.String()+suffix)
			word.Reset()
		}
		word.WriteString(enc.String())
	}
	words = append(words, prefix+word.String()+suffix)
	return strings.Join(words, "\r\n ")
}

// messageID is stable for an entry, so that a resent email (after a crash
// between the server's acceptance and the acknowledgement) carries the same
// Message-ID and receivers may drop the duplicate.
func (m *Mailer) messageID(fields map[string]string, entryID string) string {
	user := idSafe.ReplaceAllString(fields[redisstore.OutboxUser], "")
	if user == "" {
		user = "outbox"
	}
	return "<" + idSafe.ReplaceAllString(entryID, "") + "." + user + "@" + m.idDomain + ">"
}

// fromDomain returns the domain of a From address, for Message-IDs.
func fromDomain(addr string) string {
	_, domain, ok := strings.Cut(addr, "@")
	domain = strings.Trim(domain, "[]")
	if !ok || domain == "" || strings.ContainsAny(domain, "<>\" \t") {
		return "localhost"
	}
	return domain
}
