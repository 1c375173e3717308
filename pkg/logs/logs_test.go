package logs_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/edgepass/edgepass/pkg/logs"
)

const jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"

func TestRedacts(t *testing.T) {
	tests := []struct {
		name   string
		log    func(*slog.Logger)
		secret string
	}{
		{"token_key", func(l *slog.Logger) { l.Info("x", "token", "abc123") }, "abc123"},
		{"authorization_key", func(l *slog.Logger) {
			l.Info("x", "Authorization", "Bearer zzz")
		}, "zzz"},
		{"cookie_key", func(l *slog.Logger) { l.Info("x", "set_cookie", "v=1") }, "v=1"},
		{"signature_key", func(l *slog.Logger) { l.Info("x", "signature", "s~1") }, "s~1"},
		{"jwt_in_value", func(l *slog.Logger) { l.Info("x", "detail", "got "+jwt) }, jwt},
		{"jwt_in_message", func(l *slog.Logger) { l.Info("bad " + jwt) }, jwt},
		{"jwt_in_error", func(l *slog.Logger) {
			l.Info("x", "err", errors.New("parse "+jwt))
		}, jwt},
		{"pem", func(l *slog.Logger) {
			l.Info("x", "data", "-----BEGIN PRIVATE KEY-----\nMIG")
		}, "MIG"},
		{"group", func(l *slog.Logger) {
			l.Info("x", slog.Group("req", "cookie", "CloudFront-Signature=abc"))
		}, "CloudFront-Signature=abc"},
		{"with_attrs", func(l *slog.Logger) { l.With("token", "w1th").Info("x") }, "w1th"},
	}
	for _, tt := range tests {
		for _, format := range []string{"json", "text"} {
			t.Run(tt.name+"_"+format, func(t *testing.T) {
				var buf bytes.Buffer
				tt.log(logs.New(&buf, format, slog.LevelInfo))
				if strings.Contains(buf.String(), tt.secret) {
					t.Errorf("log %q holds the secret %q", buf.String(), tt.secret)
				}
				if !strings.Contains(buf.String(), logs.Redacted) {
					t.Errorf("log %q has no redaction mark", buf.String())
				}
			})
		}
	}
}

func TestKeepsOrdinaryAttrs(t *testing.T) {
	var buf bytes.Buffer
	logs.New(&buf, "json", slog.LevelInfo).Info("cookies issued",
		"sub", "alice", "path", "/private/a.jpg", "status", 200)
	for _, want := range []string{`"sub":"alice"`, `"path":"/private/a.jpg"`, `"status":200`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %q lacks %s", buf.String(), want)
		}
	}
}
