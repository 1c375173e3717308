package auth

import (
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// CacheStats counts lookups in the verified-token cache.
type CacheStats struct {
	// Hits counts tokens accepted from the cache.
	Hits uint64
	// Misses counts tokens that needed a full check.
	Misses uint64
	// Entries is the number of tokens now remembered.
	Entries int
}

// tokenCache remembers verified tokens by the SHA-256 of their bytes. A nil
// *tokenCache is a disabled cache.
type tokenCache struct {
	lru *expirable.LRU[[32]byte, cacheEntry]
	ttl time.Duration

	// gen counts key set changes; an entry verified under an older
	// generation is never returned.
	gen    atomic.Uint64
	hits   atomic.Uint64
	misses atomic.Uint64
}

type cacheEntry struct {
	principal *Principal
	gen       uint64
	until     time.Time
}

// newTokenCache returns a cache of at most size entries, each kept for at
// most ttl, or nil if either is negative.
func newTokenCache(size int, ttl time.Duration) *tokenCache {
	if size < 0 || ttl < 0 {
		return nil
	}
	return &tokenCache{lru: expirable.NewLRU[[32]byte, cacheEntry](size, nil, ttl), ttl: ttl}
}

// generation returns the current key set generation. Read it before the
// keys that verify a token, and pass it to add.
func (c *tokenCache) generation() uint64 {
	if c == nil {
		return 0
	}
	return c.gen.Load()
}

// get returns the principal of a token verified under the current key set
// whose entry is still valid at now.
func (c *tokenCache) get(key [32]byte, now time.Time) (*Principal, bool) {
	if c == nil {
		return nil, false
	}
	e, ok := c.lru.Get(key)
	if ok && e.gen == c.gen.Load() && now.Before(e.until) {
		c.hits.Add(1)
		return e.principal, true
	}
	if ok {
		c.lru.Remove(key)
	}
	c.misses.Add(1)
	return nil, false
}

// add remembers p, verified at now with the keys of generation gen, until
// the earlier of its expiry and the cache TTL.
func (c *tokenCache) add(key [32]byte, p *Principal, gen uint64, now time.Time) {
	if c == nil || gen != c.gen.Load() {
		return
	}
	until := now.Add(c.ttl)
	if p.ExpiresAt.Before(until) {
		until = p.ExpiresAt
	}
	if !now.Before(until) {
		return
	}
	c.lru.Add(key, cacheEntry{principal: p, gen: gen, until: until})
}

// invalidate forgets every entry; call it after the key set has changed.
func (c *tokenCache) invalidate() {
	if c == nil {
		return
	}
	c.gen.Add(1)
	c.lru.Purge()
}

// stats returns the cache counters.
func (c *tokenCache) stats() CacheStats {
	if c == nil {
		return CacheStats{}
	}
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Entries: c.lru.Len()}
}
