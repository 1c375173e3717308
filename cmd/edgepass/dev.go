package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/edgepass/edgepass/pkg/devedge"
	"github.com/edgepass/edgepass/pkg/logs"
	"github.com/edgepass/edgepass/pkg/playground"
)

var devHelp = help{
	name:    "dev",
	summary: "run the issuer and a local CloudFront-style edge with a demo page",
	usage: "[--dir FOLDER] [--cache-control PREFIX=VALUE ...] [--port PORT] " +
		"[--keys DIR] [--log-level LEVEL]",
	example: "edgepass dev --dir ./media --port 9090",
}

func runDev(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	return runDevUntil(ctx, args, stdout, stderr)
}

// runDevUntil is the dev command, serving until ctx ends.
func runDevUntil(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCommand(devHelp, stdout, stderr)
	dir := c.flags.String("dir", "",
		"`FOLDER` of files to serve; paths under /private/ need a signature "+
			"(default: the embedded demo site)")
	cacheControl := cacheControlValue{}
	c.flags.Var(cacheControl, "cache-control",
		"set `PREFIX=VALUE` to give objects under PREFIX the Cache-Control VALUE, like "+
			"S3 object metadata; repeatable; the longest prefix wins (default: "+
			playground.PrivatePrefix+"="+playground.PrivateCacheControl+
			" and /="+playground.PublicCacheControl+")")
	port := c.flags.Int("port", playground.DefaultPort,
		"TCP `PORT` on 127.0.0.1; 0 picks a free one")
	keyDir := c.flags.String("keys", playground.DefaultKeyDir,
		"`DIR` of the dev key pair and token secret, made there if missing")
	level := c.flags.String("log-level", "info",
		"least `LEVEL` logged: debug, info, warn or error")
	code, ok := c.parseFlags(args)
	switch {
	case !ok:
		return code
	case *port < 0 || *port > 65535:
		return c.misuse("--port: %d is not from 0 to 65535", *port)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return c.misuse("--log-level: %v", err)
	}

	opts := playground.Options{
		KeyDir:       *keyDir,
		Logger:       logs.New(stderr, "text", lvl),
		CacheControl: cacheControl,
		Command:      runningCommand(),
	}
	if *dir != "" {
		files, err := openFolder(*dir)
		if err != nil {
			return c.fail(err)
		}
		opts.Files = files
	}
	if err := dev(ctx, *port, opts, stdout, stderr); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// openFolder opens dir as a file system that keeps symbolic links inside.
func openFolder(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("--dir: %w", err)
	}
	return root.FS(), nil
}

// dev runs the playground until ctx ends.
func dev(ctx context.Context, port int, opts playground.Options,
	stdout, stderr io.Writer,
) error {
	ln, err := playground.Listen(ctx, port)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w\n(is another edgepass dev running? pick a port with --port)", err)
	}
	if err != nil {
		return err
	}
	p, err := playground.New(ctx, ln, opts)
	if err != nil {
		_ = ln.Close()
		return err
	}
	defer p.Close()
	for _, f := range p.CreatedFiles() {
		report(stderr, "created "+f+"\n")
	}
	if err := emit(stdout, p.Guide()); err != nil {
		return err
	}
	report(stderr, "serving "+p.Origin()+"; stop with Ctrl-C\n")
	return p.Serve(ctx)
}

// cacheControlValue is a repeatable flag holding PREFIX=VALUE pairs, the
// Cache-Control of the objects under each prefix.
type cacheControlValue map[string]string

func (v cacheControlValue) String() string {
	s := make([]string, 0, len(v))
	for prefix, cc := range v {
		s = append(s, prefix+"="+cc)
	}
	slices.Sort(s)
	return strings.Join(s, " ")
}

func (v cacheControlValue) Set(s string) error {
	prefix, cc, ok := strings.Cut(s, "=")
	if !ok {
		return errors.New("want PREFIX=VALUE, such as '/private/=private, max-age=600'")
	}
	if err := devedge.CheckCacheControl(prefix, cc); err != nil {
		return err
	}
	if _, dup := v[prefix]; dup {
		return fmt.Errorf("prefix %q given twice", prefix)
	}
	v[prefix] = cc
	return nil
}

// runningCommand returns the words that run this program again, for the
// commands dev prints; see [selfCommand].
func runningCommand() []string {
	exe, err := os.Executable()
	if err != nil {
		exe = ""
	}
	return selfCommand(os.Args[0], exe, func(name string) bool {
		return onPathAs(name, exe)
	})
}

// selfCommand returns the words that run this program again, given the
// name or path it was started by, arg0, and the running executable, exe
// ("" when unknown): "go run ./cmd/edgepass" when exe is a `go run`
// build, which no other shell can run; arg0's base name when onPath
// reports PATH finds this same program under it; else arg0 if it is a
// path, exe if known, and "edgepass" at last.
func selfCommand(arg0, exe string, onPath func(name string) bool) []string {
	base := filepath.Base(arg0)
	switch {
	case isGoRunBuild(exe):
		return []string{"go", "run", "./cmd/edgepass"}
	case arg0 != "" && onPath(base):
		return []string{base}
	case strings.ContainsAny(arg0, "/"+string(filepath.Separator)):
		return []string{arg0}
	case exe != "":
		return []string{exe}
	}
	return []string{"edgepass"}
}

// isGoRunBuild reports whether the executable path exe is one `go run`
// built: $WORK/b001/exe/NAME in its temporary work folder (go-build...
// under GOTMPDIR or the temp folder), or, once cached, the one file of
// an output folder of the build cache, $GOCACHE/hh/hh...-d/NAME.
func isGoRunBuild(exe string) bool {
	if exe == "" {
		return false
	}
	dir := filepath.Dir(exe)
	parent := filepath.Dir(dir)
	grand := filepath.Base(filepath.Dir(parent))
	if filepath.Base(dir) == "exe" {
		action := filepath.Base(parent)
		return strings.HasPrefix(grand, "go-build") && len(action) > 1 &&
			action[0] == 'b' && isDigits(action[1:])
	}
	hash, ok := strings.CutSuffix(filepath.Base(dir), "-d")
	return ok && len(hash) == 64 && isHex(hash) && filepath.Base(parent) == hash[:2]
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func isHex(s string) bool {
	return s != "" && strings.Trim(s, "0123456789abcdef") == ""
}

// onPathAs reports whether PATH finds the executable exe under name.
func onPathAs(name, exe string) bool {
	if exe == "" {
		return false
	}
	found, err := exec.LookPath(name)
	if err != nil {
		return false
	}
	a, errA := os.Stat(found)
	b, errB := os.Stat(exe)
	return errA == nil && errB == nil && os.SameFile(a, b)
}
