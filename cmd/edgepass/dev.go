package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/edgepass/edgepass/pkg/logs"
	"github.com/edgepass/edgepass/pkg/playground"
)

var devHelp = help{
	name:    "dev",
	summary: "run the issuer and a local CloudFront-style edge with a demo page",
	usage:   "[--dir FOLDER] [--port PORT] [--keys DIR] [--log-level LEVEL]",
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
	port := c.flags.Int("port", playground.DefaultPort,
		"TCP `PORT` on 127.0.0.1; 0 picks a free one")
	keyDir := c.flags.String("keys", playground.DefaultKeyDir,
		"`DIR` of the dev key pair and token secret, made there if missing")
	level := c.flags.String("log-level", "info",
		"least `LEVEL` logged: debug, info, warn or error")
	pos, code, ok := c.parse(args)
	switch {
	case !ok:
		return code
	case len(pos) > 0:
		return c.misuse("unexpected argument %q", pos[0])
	case *port < 0 || *port > 65535:
		return c.misuse("--port: %d is not from 0 to 65535", *port)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return c.misuse("--log-level: %v", err)
	}

	opts := playground.Options{KeyDir: *keyDir, Logger: logs.New(stderr, "text", lvl)}
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
