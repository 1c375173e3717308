package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/edgepass/edgepass/pkg/config"
	"github.com/edgepass/edgepass/pkg/logs"
	"github.com/edgepass/edgepass/pkg/server"
)

var serveHelp = help{
	name:    "serve",
	summary: "run the issuer service: a JWT in, signed URLs and cookies out",
	usage:   "[--config FILE]",
	example: "edgepass serve --config edgepass.yaml",
}

func runServe(args []string, stdout, stderr io.Writer) int {
	c := newCommand(serveHelp, stdout, stderr)
	path := c.flags.String("config", "",
		"`file` of YAML configuration; EDGEPASS_* variables override it (default: none, environment only)")
	level := c.flags.String("log-level", "info", "least `level` logged: debug, info, warn or error")
	if code, ok := c.parseFlags(args); !ok {
		return code
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return c.misuse("--log-level: %v", err)
	}

	log := logs.New(stderr, "json", lvl)
	cfg, err := loadConfig(*path, log)
	if err != nil {
		return c.fail(err)
	}
	if err := serve(*path, cfg, log); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// loadConfig loads the configuration file at path under the process's
// environment, logging a warning for each variable it ignores.
func loadConfig(path string, log *slog.Logger) (*config.Config, error) {
	cfg, ignored, err := config.LoadWithWarnings(path, os.Environ())
	for _, w := range ignored {
		log.Warn("environment variable ignored", "variable", w.Key,
			"reason", w.Err.Error())
	}
	return cfg, err
}

// serve runs the service until SIGTERM or SIGINT. On SIGHUP it loads the
// configuration at path again and takes its signing keys.
func serve(path string, cfg *config.Config, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	// Take SIGHUP from the start: its default action ends the process, and
	// a reload asked for during start-up is simply done once serving.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	srv, err := server.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("serving", "addr", ln.Addr().String(), "base_path", cfg.BasePath,
		"key_ids", srv.KeyIDs(), "cdn_url", cfg.CDN.URL)

	go reloadOnHangup(ctx, hup, path, srv, log)

	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

func reloadOnHangup(ctx context.Context, hup <-chan os.Signal, path string,
	srv *server.Server, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			reload(path, srv, log)
		}
	}
}

// reload loads the configuration at path as start-up did and hands it to
// srv, which takes its signing section. Whatever fails keeps the keys in
// use.
func reload(path string, srv *server.Server, log *slog.Logger) {
	// The environment of a running process stays as it was, so the
	// variables it ignores were logged at start-up.
	cfg, err := config.Load(path, os.Environ())
	if err != nil {
		log.Error("config reload failed, keeping current keys", "err", err)
		return
	}
	restart, err := srv.Reload(cfg)
	if err != nil {
		log.Error("key reload failed, keeping current keys", "err", err)
		return
	}
	log.Info("keys reloaded", "key_ids", srv.KeyIDs())
	if len(restart) > 0 {
		log.Warn("config changes need a restart", "sections", restart)
	}
}
