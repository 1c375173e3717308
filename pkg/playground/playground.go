package playground

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/edgepass/edgepass/pkg/devedge"
	"github.com/edgepass/edgepass/pkg/server"
)

// DefaultPort is the port `edgepass dev` listens on unless told.
const DefaultPort = 8787

// Cache-Control the edge gives objects, standing in for S3 metadata.
const (
	// PrivateCacheControl lets the browser, and no shared cache, keep a
	// private object for an hour under its URL.
	PrivateCacheControl = "private, max-age=3600"
	// PublicCacheControl makes the browser revalidate the demo's page,
	// script and style on every load, so edits show at once.
	PublicCacheControl = "no-cache"
)

// ErrNotLoopback reports a listener on an address other than 127.0.0.1.
var ErrNotLoopback = errors.New("playground listens on 127.0.0.1 only")

// Options configure a playground. The zero value serves the embedded demo
// site with its keys in DefaultKeyDir.
type Options struct {
	// KeyDir is the key folder; "" means DefaultKeyDir.
	KeyDir string
	// Files are the objects the edge serves; nil means [Site].
	Files fs.FS
	// Logger receives the edge's and the issuer's request lines; nil
	// discards them.
	Logger *slog.Logger
	// Now tells the time to the edge's checks, the token endpoint and
	// the fresh-URL control; nil means time.Now. The issuer keeps its
	// own clock.
	Now func() time.Time
	// CacheControl maps path prefixes to the Cache-Control of the
	// objects under them, as [devedge.Config.CacheControl] does, on top
	// of the defaults: PrivateCacheControl under PrivatePrefix and
	// PublicCacheControl under "/". The longest prefix wins, so an entry
	// for a default's own prefix replaces it.
	CacheControl map[string]string
	// Command holds the words that run edgepass, which the commands the
	// guide prints start with, such as {"go", "run", "./cmd/edgepass"};
	// nil means {"edgepass"}.
	Command []string
}

// Playground is the issuer and a local edge on one loopback origin.
type Playground struct {
	origin string
	ln     net.Listener
	keyDir string   // as given, for the commands the guide prints
	self   []string // the words that run edgepass, for the same
	demo   bool     // whether the edge serves the embedded demo site
	keys   *Keys
	server *server.Server
	edge   *devedge.Edge
	now    func() time.Time
	log    *slog.Logger

	freshMu   sync.Mutex
	lastFresh time.Time // expiry of the last fresh URL
}

// Listen opens the playground's listener on 127.0.0.1:port; port 0 picks
// a free one.
func Listen(ctx context.Context, port int) (net.Listener, error) {
	var lc net.ListenConfig
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return ln, nil
}

// New makes the keys that are missing and builds the playground that
// will serve on ln, a listener from [Listen]. Its origin is
// http://localhost:PORT with ln's port. ctx bounds background work.
func New(ctx context.Context, ln net.Listener, o Options) (*Playground, error) {
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		return nil, fmt.Errorf("%w: not %s", ErrNotLoopback, ln.Addr())
	}
	p := &Playground{
		origin: "http://localhost:" + strconv.Itoa(addr.Port),
		ln:     ln, now: o.Now, log: o.Logger,
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if err := p.build(ctx, o); err != nil {
		return nil, err
	}
	return p, nil
}

// build loads the keys, then assembles the issuer and the edge.
func (p *Playground) build(ctx context.Context, o Options) error {
	dir := o.KeyDir
	if dir == "" {
		dir = DefaultKeyDir
	}
	p.keyDir = dir
	p.self = o.Command
	if len(p.self) == 0 {
		p.self = []string{"edgepass"}
	}
	var err error
	if p.keys, err = EnsureKeys(dir); err != nil {
		return err
	}
	cfg := DevConfig(p.origin, dir, p.keys.Secret)
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("dev config: %w", err)
	}
	if p.server, err = server.New(ctx, cfg, p.log); err != nil {
		return fmt.Errorf("issuer: %w", err)
	}

	files := o.Files
	if files == nil {
		files, p.demo = Site(), true
	}
	p.edge, err = devedge.New(devedge.Config{
		Files:        files,
		Private:      []string{PrivatePrefix},
		Keys:         map[string]crypto.PublicKey{KeyID: p.keys.Signer.Public()},
		CacheControl: cacheControl(o.CacheControl),
		Issuer:       p.server.Handler(),
		IssuerPrefix: BasePath + "/",
		Now:          p.now,
		Logger:       p.log,
	})
	if err != nil {
		p.server.Close()
		return fmt.Errorf("edge: %w", err)
	}
	return nil
}

// cacheControl returns the defaults' Cache-Control by prefix, with the
// entries of extra added or put in their place.
func cacheControl(extra map[string]string) map[string]string {
	m := map[string]string{
		PrivatePrefix: PrivateCacheControl,
		"/":           PublicCacheControl,
	}
	maps.Copy(m, extra)
	return m
}

// Origin returns the edge's origin, http://localhost:PORT: the only host
// signed URLs and cookies are good for.
func (p *Playground) Origin() string { return p.origin }

// host is the origin's host and port, as requests name it.
func (p *Playground) host() string { return strings.TrimPrefix(p.origin, "http://") }

// Edge returns the local edge, whose request counters tell browser-cache
// hits from requests.
func (p *Playground) Edge() *devedge.Edge { return p.edge }

// CreatedFiles returns the key files New made, if any.
func (p *Playground) CreatedFiles() []string {
	return append([]string(nil), p.keys.Created...)
}

// ServeHTTP answers the development endpoints and passes everything else
// to the edge, which serves the issuer under BasePath and the objects.
// It answers only requests for its own origin's host: signatures are good
// for that host alone, and a web site that points a name of its own at
// 127.0.0.1 (DNS rebinding) must not reach the token endpoint.
func (p *Playground) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Host, p.host()) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "421 misdirected request: the playground answers at "+p.origin+
			" only", http.StatusMisdirectedRequest)
		return
	}
	switch r.URL.Path {
	case TokenPath:
		p.serveToken(w, r)
	case FreshURLPath:
		p.serveFreshURL(w, r)
	default:
		p.edge.ServeHTTP(w, r)
	}
}

// Serve answers requests on the playground's listener until ctx ends,
// then waits up to server.DrainTimeout for requests under way.
func (p *Playground) Serve(ctx context.Context) error {
	hs := &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    server.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(p.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), server.DrainTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// Close stops the issuer's background work. Serve must have returned.
func (p *Playground) Close() { p.server.Close() }
