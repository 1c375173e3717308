// Package server assembles the issuer service from its configuration:
// signing keys, JWT authentication, grants, the HTTP API and metrics. It
// also owns the service's lifecycle: serving, taking new signing keys from
// a reloaded configuration for a rotation, and draining in-flight requests
// on shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/edgepass/edgepass/pkg/auth"
	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/config"
	"github.com/edgepass/edgepass/pkg/grant"
	"github.com/edgepass/edgepass/pkg/httpapi"
	"github.com/edgepass/edgepass/pkg/issuer"
)

// Limits of the HTTP server.
const (
	SignatureCacheSize = 100_000          // signatures kept in memory
	MaxHeaderBytes     = 16 << 10         // larger headers get 431
	DrainTimeout       = 20 * time.Second // longest wait for in-flight requests
)

// Server is a configured issuer service.
type Server struct {
	log     *slog.Logger
	auth    *auth.Authenticator
	issuer  *issuer.Issuer
	handler http.Handler

	mu sync.Mutex // serializes reloads; guards the fields below
	// cfg is the configuration in effect: the one New was given, with the
	// signing section of the last successful reload.
	cfg   *config.Config
	cache *cfsign.Cache
	keys  []string // loaded key IDs, active first
	// retired counts the hits and misses of caches replaced by reloads.
	retiredHits, retiredMisses uint64
}

// New builds the service from a validated configuration. ctx bounds the
// background JWKS refresh.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Server, error) {
	s := &Server{cfg: cfg, log: log}
	var err error
	if s.cache, err = cfsign.NewCache(SignatureCacheSize); err != nil {
		return nil, err
	}
	signer, ring, err := loadSigner(cfg.Signing, s.cache)
	if err != nil {
		return nil, err
	}
	s.keys = ring.IDs()
	if s.issuer, err = issuer.New(issuerConfig(cfg), signer); err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	grants, err := grant.Compile(grantRules(cfg.Grants))
	if err != nil {
		return nil, err
	}

	metrics := httpapi.NewMetrics(s.signatureStats)
	if s.auth, err = newAuth(ctx, cfg.Auth, log, metrics.JWKSRefreshError); err != nil {
		return nil, err
	}
	metrics.RegisterTokenCache(func() (uint64, uint64) {
		st := s.auth.CacheStats()
		return st.Hits, st.Misses
	})
	s.handler = httpapi.New(httpapi.Options{
		BasePath: cfg.BasePath, Auth: s.auth, Grants: grants, Issuer: s.issuer,
		TokenCookie: cfg.Auth.Cookie, AllowedOrigins: cfg.CORS.AllowedOrigins,
		Metrics: metrics, Logger: log,
	})
	return s, nil
}

// Handler returns the service's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Issuer returns the issuer, for embedding the service elsewhere.
func (s *Server) Issuer() *issuer.Issuer { return s.issuer }

// KeyIDs returns the IDs of the loaded signing keys, the active one first.
func (s *Server) KeyIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.keys...)
}

// Close stops background work.
func (s *Server) Close() { s.auth.Close() }

// Reload takes the signing section of cfg, a validated configuration
// loaded again as after a rotation: it loads every key cfg names, in cfg's
// order and with its hash, and swaps in a signer of those keys in one
// step, so that cfg's first key signs from then on. When any key fails to
// load, the keys in use stay and the error says why.
//
// A successful reload starts a new signature cache: a key file may now
// hold other material under the same key ID, and the old cache would go
// on serving the old key's signatures until their window ends.
//
// Only the signing section takes effect. Reload returns the other
// top-level keys whose settings differ from those in effect, which need a
// restart; see [config.Changed].
func (s *Server) Reload(cfg *config.Config) (restart []string, err error) {
	cache, err := cfsign.NewCache(SignatureCacheSize)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	signer, ring, err := loadSigner(cfg.Signing, cache)
	if err != nil {
		return nil, err
	}
	s.issuer.SetSigner(signer)
	hits, misses := s.cache.Stats()
	s.retiredHits += hits
	s.retiredMisses += misses
	s.cache = cache
	s.keys = ring.IDs()

	next := *s.cfg
	next.Signing = cfg.Signing
	s.cfg = &next
	return config.Changed(s.cfg, cfg), nil
}

// signatureStats counts signature cache hits and misses since start-up,
// across reloads.
func (s *Server) signatureStats() (hits, misses uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hits, misses = s.cache.Stats()
	return s.retiredHits + hits, s.retiredMisses + misses
}

// Serve answers requests on ln until ctx ends, then stops accepting and
// waits up to DrainTimeout for requests under way to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("draining", "timeout", DrainTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), DrainTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
