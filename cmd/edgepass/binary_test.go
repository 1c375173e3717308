package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinary builds edgepass and runs keygen, sign url and verify as a
// user would, through exit codes and standard streams.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "edgepass")
	build := exec.CommandContext(t.Context(), goTool, "build", "-buildvcs=false",
		"-ldflags", "-X main.version=v0.0.0-test", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	sh := func(wantCode int, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("edgepass %q: %v", args, err)
		}
		if code != wantCode {
			t.Fatalf("edgepass %q: exit %d, stdout %q, stderr %q; want exit %d",
				args, code, stdout.String(), stderr.String(), wantCode)
		}
		return strings.TrimSuffix(stdout.String(), "\n")
	}

	pub := sh(exitOK, "keygen", "--name", "edge")
	if pub != filepath.Join("keys", "edge.pub.pem") {
		t.Errorf("keygen printed %q, want keys/edge.pub.pem", pub)
	}
	signed := sh(exitOK, "sign", "url", testURL, "--key-id", "K1",
		"--key", "keys/edge.pem", "--expires", "10m")
	out := sh(exitOK, "verify", signed, "--public-key", "K1="+pub)
	if !strings.HasPrefix(out, "valid\n") {
		t.Errorf("verify of a fresh URL printed %q, want valid", out)
	}
	tampered := strings.Replace(signed, "a.jpg", "b.jpg", 1)
	sh(exitFail, "verify", tampered, "--public-key", "K1="+pub)
	sh(exitUsage, "verify", signed)

	if v := sh(exitOK, "version"); !strings.HasPrefix(v, "edgepass v0.0.0-test\n") {
		t.Errorf("version printed %q, want edgepass v0.0.0-test first", v)
	}
}
