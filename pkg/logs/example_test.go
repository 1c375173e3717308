package logs_test

import (
	"log/slog"
	"os"

	"github.com/edgepass/edgepass/pkg/logs"
)

// A secret reaches a log call by mistake, under a telling key or as a
// JWT-shaped value: the redacting handler passes on neither.
func ExampleRedact() {
	// No time field, so that the output is the same on every run.
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	h := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})
	log := slog.New(logs.Redact(h))
	log.Info("token rejected",
		"authorization", "Bearer abc",
		"value", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl",
		"sub", "alice")
	// Output:
	// {"level":"INFO","msg":"token rejected","authorization":"[redacted]","value":"[redacted]","sub":"alice"}
}
