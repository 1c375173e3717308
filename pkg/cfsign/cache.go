package cfsign

import (
	"fmt"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache holds recent signatures by key ID, hash and policy bytes. Since
// signatures are deterministic, a cached one is exactly what signing again
// would give; the cache only saves the private-key operation. It is safe
// for concurrent use and may be shared by several [Signer]s.
type Cache struct {
	lru    *lru.Cache[cacheKey, string]
	hits   atomic.Uint64
	misses atomic.Uint64
}

type cacheKey struct {
	keyID  string
	hash   Hash
	policy string
}

// NewCache returns a cache holding at most size signatures.
func NewCache(size int) (*Cache, error) {
	l, err := lru.New[cacheKey, string](size)
	if err != nil {
		return nil, fmt.Errorf("new signature cache: %w", err)
	}
	return &Cache{lru: l}, nil
}

// Stats returns how many lookups found a signature and how many did not.
func (c *Cache) Stats() (hits, misses uint64) {
	return c.hits.Load(), c.misses.Load()
}

// Len returns the number of cached signatures.
func (c *Cache) Len() int { return c.lru.Len() }

func (c *Cache) get(k cacheKey) (string, bool) {
	sig, ok := c.lru.Get(k)
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return sig, ok
}

func (c *Cache) add(k cacheKey, sig string) { c.lru.Add(k, sig) }
