// Package logs builds edgepass's loggers: JSON for services, readable text
// for development, both behind a handler that redacts secrets.
//
// Code is written never to log a token, a cookie value, a signature or a
// private key; the redacting handler is the second line of defense. It
// replaces the value of any attribute whose key names a secret
// (authorization, token, cookie, signature, policy, private_key, secret,
// password) and any string value that looks like a JWT or holds a PEM
// private key.
package logs

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// Redacted is what a secret's value is replaced with.
const Redacted = "[redacted]"

// New returns a logger writing to w: JSON when format is "json", text
// otherwise, at the given level, with secrets redacted.
func New(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(Redact(h))
}

// Redact wraps h so that secrets never reach it.
func Redact(h slog.Handler) slog.Handler { return redactor{h} }

type redactor struct{ next slog.Handler }

func (r redactor) Enabled(ctx context.Context, l slog.Level) bool {
	return r.next.Enabled(ctx, l)
}

func (r redactor) Handle(ctx context.Context, rec slog.Record) error {
	clean := slog.NewRecord(rec.Time, rec.Level, scrubString(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		clean.AddAttrs(scrub(a))
		return true
	})
	return r.next.Handle(ctx, clean)
}

func (r redactor) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = scrub(a)
	}
	return redactor{r.next.WithAttrs(clean)}
}

func (r redactor) WithGroup(name string) slog.Handler {
	return redactor{r.next.WithGroup(name)}
}

// secretKeys are attribute key fragments whose values are never logged.
var secretKeys = []string{
	"authorization", "token", "cookie", "signature", "policy",
	"private_key", "secret", "password",
}

// jwtLike matches three base64url parts, the first a JSON header.
var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

func scrub(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		attrs := v.Group()
		clean := make([]any, len(attrs))
		for i, g := range attrs {
			clean[i] = scrub(g)
		}
		return slog.Group(a.Key, clean...)
	}
	key := strings.ToLower(a.Key)
	for _, s := range secretKeys {
		if strings.Contains(key, s) {
			return slog.String(a.Key, Redacted)
		}
	}
	if v.Kind() == slog.KindString {
		return slog.String(a.Key, scrubString(v.String()))
	}
	if v.Kind() == slog.KindAny {
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, scrubString(err.Error()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func scrubString(s string) string {
	if strings.Contains(s, "PRIVATE KEY") {
		return Redacted
	}
	if strings.Contains(s, "eyJ") {
		s = jwtLike.ReplaceAllString(s, Redacted)
	}
	return s
}
