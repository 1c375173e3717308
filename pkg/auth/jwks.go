package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"golang.org/x/time/rate"
)

const (
	// jwksTimeout bounds one JWKS fetch, including the wait for the
	// unknown-kid rate limiter.
	jwksTimeout = 10 * time.Second
	// maxJWKSSize bounds a JWKS response body: reading byte maxJWKSSize
	// fails.
	maxJWKSSize = 1 << 20
	// firstRetry and maxRetry bound the delays between attempts to fetch
	// a first key set after the initial fetch failed.
	firstRetry = time.Second
	maxRetry   = time.Minute
)

// jwks is a JWKS endpoint's key set, kept fresh by jwkset's HTTP storage.
type jwks struct {
	store   *keyStore
	keyfunc keyfunc.Keyfunc
	wg      sync.WaitGroup
}

// startJWKS fetches the key set at o.JWKSURL and keeps refreshing it until
// ctx ends. A failed first fetch is no error: the set is then fetched again
// with growing delays until one succeeds. onChange runs after each change
// of the key set.
func startJWKS(ctx context.Context, o Options, onChange func()) (*jwks, error) {
	store := &keyStore{
		MemoryJWKSet: jwkset.NewMemoryStorage(),
		onChange:     onChange,
		logger:       o.Logger,
	}
	reportErr := func(ctx context.Context, err error) {
		o.Logger.WarnContext(ctx, "jwks refresh failed", "url", o.JWKSURL, "err", err)
		if o.OnRefreshError != nil {
			o.OnRefreshError(err)
		}
	}
	opts := jwkset.HTTPClientStorageOptions{
		Client:                    jwksClient(o.HTTPClient),
		Ctx:                       ctx,
		HTTPTimeout:               jwksTimeout,
		NoErrorReturnFirstHTTPReq: true,
		RefreshErrorHandler:       reportErr,
		RefreshInterval:           o.RefreshInterval,
		Storage:                   store,
	}
	remote, err := jwkset.NewStorageFromHTTP(o.JWKSURL, opts)
	if err != nil {
		return nil, fmt.Errorf("jwks_url: %w", err)
	}
	client, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
		HTTPURLs:          map[string]jwkset.Storage{o.JWKSURL: remote},
		RateLimitWaitMax:  jwksTimeout,
		RefreshUnknownKID: rate.NewLimiter(rate.Every(o.RefreshRateLimit), 1),
	})
	if err != nil {
		return nil, fmt.Errorf("jwks_url: %w", err)
	}
	kf, err := keyfunc.New(keyfunc.Options{
		Ctx:          ctx,
		Storage:      client,
		UseWhitelist: []jwkset.USE{jwkset.UseSig, ""},
	})
	if err != nil {
		return nil, fmt.Errorf("jwks_url: %w", err)
	}

	j := &jwks{store: store, keyfunc: kf}
	if !store.fetched.Load() {
		j.wg.Go(func() { j.retryFirst(ctx, o.JWKSURL, opts) })
	}
	return j, nil
}

// retryFirst fetches the key set into the store, with delays growing from
// firstRetry to maxRetry (both capped by the refresh interval), until one
// fetch by it or by the background refresh succeeds or ctx ends.
func (j *jwks) retryFirst(
	ctx context.Context, u string, opts jwkset.HTTPClientStorageOptions,
) {
	delay := min(firstRetry, opts.RefreshInterval)
	longest := max(delay, min(maxRetry, opts.RefreshInterval))
	opts.RefreshInterval = 0 // one fetch per call, no goroutine
	opts.NoErrorReturnFirstHTTPReq = false
	for !j.store.fetched.Load() {
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if _, err := jwkset.NewStorageFromHTTP(u, opts); err != nil {
			opts.RefreshErrorHandler(ctx, err)
		}
		delay = min(2*delay, longest)
	}
}

// keyStore holds the current JWKS keys and notices when they change.
type keyStore struct {
	*jwkset.MemoryJWKSet
	onChange func()
	logger   *slog.Logger

	mu      sync.Mutex // serializes replacements
	sum     [sha256.Size]byte
	fetched atomic.Bool
}

// KeyReplaceAll stores the keys of a successful fetch. When they differ
// from the previous set it runs onChange, after the new keys are in place.
func (s *keyStore) KeyReplaceAll(ctx context.Context, keys []jwkset.JWK) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.MemoryJWKSet.KeyReplaceAll(ctx, keys); err != nil {
		return err
	}
	sum, err := keySetSum(keys)
	if err == nil && sum == s.sum && s.fetched.Load() {
		return nil
	}
	s.sum = sum
	s.fetched.Store(true)
	s.onChange()
	s.logger.InfoContext(ctx, "jwks keys changed", "keys", len(keys))
	return nil
}

// keySetSum hashes a key set independently of the order of its keys.
func keySetSum(keys []jwkset.JWK) ([sha256.Size]byte, error) {
	encoded := make([][]byte, 0, len(keys))
	for _, k := range keys {
		b, err := json.Marshal(k.Marshal())
		if err != nil {
			return [sha256.Size]byte{}, fmt.Errorf("encode jwk: %w", err)
		}
		encoded = append(encoded, b)
	}
	slices.SortFunc(encoded, bytes.Compare)
	return sha256.Sum256(bytes.Join(encoded, []byte{'\n'})), nil
}

// checkJWKSURL refuses a URL that is not https, unless its host is loopback.
func checkJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch {
	case u.Host == "":
		return errors.New("must be an absolute URL")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return errors.New("must be https unless the host is loopback")
}

// isLoopback reports whether host names the local machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// jwksClient copies c (or a default client) so that redirects keep to
// https and response bodies are limited to maxJWKSSize.
func jwksClient(c *http.Client) *http.Client {
	if c == nil {
		c = &http.Client{Timeout: jwksTimeout}
	}
	cp := *c
	next := cp.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cp.Transport = limitTransport{next: next}
	if cp.CheckRedirect == nil {
		cp.CheckRedirect = func(r *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return checkJWKSURL(r.URL.String())
		}
	}
	return &cp
}

// errJWKSTooLarge reports a JWKS response over maxJWKSSize bytes.
var errJWKSTooLarge = errors.New("jwks response too large")

// limitTransport fails reads past maxJWKSSize bytes of a response body.
type limitTransport struct{ next http.RoundTripper }

func (t limitTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: maxJWKSSize}
	return resp, nil
}

type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errJWKSTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
