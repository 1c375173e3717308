package issuer

import (
	"errors"
	"fmt"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
	"github.com/edgepass/edgepass/pkg/grant"
)

// SignedURL is one issued URL.
type SignedURL struct {
	Path      string    `json:"path"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// URLs signs one canned-policy URL per path, in order, all or nothing: a
// path that is malformed or outside grants fails the whole batch. A zero
// ttl takes the configured default.
func (i *Issuer) URLs(grants []grant.Grant, paths []string, ttl time.Duration) ([]SignedURL, error) {
	ttl, err := i.checkTTL(ttl)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 || len(paths) > i.cfg.MaxBatch {
		return nil, fmt.Errorf("%w: %d paths, want 1 to %d", ErrBatch, len(paths),
			i.cfg.MaxBatch)
	}
	encoded, err := checkPaths(grants, paths)
	if err != nil {
		return nil, err
	}

	exp := cfsign.Expiry(i.cfg.Now(), ttl, i.cfg.URLWindow)
	s := i.Signer()
	out := make([]SignedURL, len(paths))
	for n, p := range encoded {
		u, err := s.CannedURL(i.base+p, exp)
		if err != nil {
			return nil, fmt.Errorf("sign %q: %w", paths[n], err)
		}
		out[n] = SignedURL{Path: paths[n], URL: u, ExpiresAt: exp}
	}
	return out, nil
}

// checkPaths cleans every path and checks it against the grants; it
// refuses malformed paths before forbidden ones, so that a 400 is never
// hidden behind a 403.
func checkPaths(grants []grant.Grant, paths []string) ([]string, error) {
	encoded := make([]string, len(paths))
	for n, p := range paths {
		e, err := grant.CleanPath(p)
		if err != nil {
			return nil, pathError(p, err)
		}
		encoded[n] = e
	}
	for n, e := range encoded {
		if !grant.Allows(grants, e) {
			return nil, fmt.Errorf("%w: %q", ErrForbidden, paths[n])
		}
	}
	return encoded, nil
}

// pathError names path p in err, the refusal of grant.CleanPath, so that
// the message says "invalid path", the path and the reason once each.
func pathError(p string, err error) error {
	var pe *grant.PathError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%w: %q: %w", ErrInvalidPath, p, err)
	}
	return fmt.Errorf("%w: %q: %s", ErrInvalidPath, p, pe.Reason)
}

func (i *Issuer) checkTTL(ttl time.Duration) (time.Duration, error) {
	switch {
	case ttl == 0:
		return i.cfg.URLTTL, nil
	case ttl < time.Second:
		return 0, fmt.Errorf("%w: %s is under one second", ErrInvalidTTL, ttl)
	case ttl > i.cfg.URLMaxTTL:
		return 0, fmt.Errorf("%w: %s exceeds the maximum %s", ErrInvalidTTL, ttl,
			i.cfg.URLMaxTTL)
	}
	return ttl, nil
}
