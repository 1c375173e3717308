package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/edgepass/edgepass/pkg/auth"
)

// Keys of values kept on the gin context.
const (
	ctxRequestID = "request_id"
	ctxPrincipal = "principal"
	ctxError     = "error"
	ctxReason    = "reason"
)

// requestID takes a caller's X-Request-Id when it is short and plain, or
// makes one, and echoes it on the response.
func (a *api) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !plainID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-Id", id)
	c.Next()
}

func plainID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		plain := r == '-' || r == '_' || r == '.' ||
			'0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !plain {
			return false
		}
	}
	return true
}

// logRequest writes one line per request and records its metrics.
func (a *api) logRequest(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	elapsed := time.Since(start)
	a.Metrics.observe(route, status, elapsed)

	attrs := []any{
		"request_id", c.GetString(ctxRequestID), "method", c.Request.Method,
		"route", route, "status", status,
		"duration_ms", float64(elapsed.Microseconds()) / 1000,
	}
	if p, ok := c.Get(ctxPrincipal); ok {
		if p, ok := p.(*auth.Principal); ok {
			attrs = append(attrs, "sub", p.Subject)
		}
	}
	level := slog.LevelInfo
	if reason := c.GetString(ctxReason); reason != "" {
		attrs = append(attrs, "reason", reason)
	}
	if err, ok := c.Get(ctxError); ok && status >= 500 {
		level = slog.LevelError
		attrs = append(attrs, "err", err)
	}
	a.Logger.Log(c.Request.Context(), level, "request", attrs...)
}

// recover turns a panic, always our fault, into a logged 500.
func (a *api) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			writeError(c, fmt.Errorf("panic: %v", v))
		}
	}()
	c.Next()
}

// cors answers allowed origins with their own origin and credentials,
// never "*", and lets their scripts read the request ID and the bearer
// challenge; other origins get no CORS headers at all.
func (a *api) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	c.Writer.Header().Add("Vary", "Origin")
	if origin != "" && slices.Contains(a.AllowedOrigins, origin) {
		c.Header("Access-Control-Allow-Origin", origin)
		c.Header("Access-Control-Allow-Credentials", "true")
		c.Header("Access-Control-Expose-Headers", "X-Request-Id, WWW-Authenticate")
	}
	c.Next()
}

// preflight answers CORS preflight requests for the /v1 endpoints.
func (a *api) preflight(c *gin.Context) {
	if c.Writer.Header().Get("Access-Control-Allow-Origin") != "" {
		c.Header("Access-Control-Allow-Methods", "GET, POST, DELETE")
		c.Header("Access-Control-Allow-Headers", "Authorization, Content-Type")
		c.Header("Access-Control-Max-Age", "600")
	}
	c.Status(http.StatusNoContent)
}

// authenticate finds the caller's token and verifies it. With
// allowExpired, an expired but otherwise valid token passes, so that a
// user can always sign out.
func (a *api) authenticate(allowExpired bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		verify := a.Auth.Authenticate
		if allowExpired {
			verify = a.Auth.AuthenticateExpired
		}
		token, err := a.token(c.Request)
		var p *auth.Principal
		if err == nil {
			p, err = verify(c.Request.Context(), token)
		}
		if err != nil {
			// The same reason word as the request's log line.
			_, reason, _ := classify(err)
			a.Metrics.authFailure(reason)
			writeError(c, err)
			return
		}
		c.Set(ctxPrincipal, p)
		c.Next()
	}
}

// token returns the bearer token of the Authorization header or, when
// configured and the header is absent, of the token cookie.
func (a *api) token(r *http.Request) (string, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return "", errNotBearer
		}
		return strings.TrimSpace(tok), nil
	}
	if a.TokenCookie != "" {
		if ck, err := r.Cookie(a.TokenCookie); err == nil {
			return ck.Value, nil
		}
	}
	return "", nil
}

// errNotBearer reports an Authorization header of another scheme.
var errNotBearer = &clientError{http.StatusUnauthorized, "not_bearer",
	"the Authorization header must use the Bearer scheme"}
