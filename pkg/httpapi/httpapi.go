// Package httpapi is edgepass's HTTP API: it authenticates callers with
// their JWT, resolves their grants and answers with signed URLs or signed
// cookies, plus health, readiness and Prometheus metrics.
//
// Every error is an RFC 9457 problem (application/problem+json) chosen in
// one place, [writeError]; its cause goes to the log with the request ID,
// never to the client. Nothing a client sends yields a 500.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/edgepass/edgepass/pkg/auth"
	"github.com/edgepass/edgepass/pkg/grant"
	"github.com/edgepass/edgepass/pkg/issuer"
)

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 64 << 10

// Authenticator verifies bearer tokens; *auth.Authenticator is one.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*auth.Principal, error)
	AuthenticateExpired(ctx context.Context, token string) (*auth.Principal, error)
	Ready() bool
}

// Options are what the API is built from. Auth, Grants and Issuer are
// required.
type Options struct {
	// BasePath prefixes every route, such as "/edgepass" when CloudFront
	// forwards that path to the service; empty by default.
	BasePath string
	Auth     Authenticator
	Grants   *grant.Set
	Issuer   *issuer.Issuer
	// TokenCookie, when set, names a cookie that may carry the JWT for
	// plain browser navigations; the Authorization header wins.
	TokenCookie string
	// AllowedOrigins are the exact origins that get CORS headers, with
	// credentials allowed.
	AllowedOrigins []string
	// Metrics, when set, records requests and issuance.
	Metrics *Metrics
	// Ready, when set, is an extra readiness check (keys loaded).
	Ready  func() bool
	Logger *slog.Logger
}

type api struct {
	Options
}

// New returns the API's handler.
func New(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	a := &api{Options: o}

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// gin answers these redirects before any middleware runs: no request
	// ID, no log line, no problem body. A wrong path is a plain 404.
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.ContextWithFallback = true
	r.Use(a.requestID, a.logRequest, a.recover, a.cors)
	r.NoRoute(func(c *gin.Context) { writeError(c, errNotFound) })

	g := r.Group(o.BasePath)
	g.POST("/v1/signed-urls", a.authenticate(false), a.postSignedURLs)
	g.GET("/v1/signed-url", a.authenticate(false), a.getSignedURL)
	g.POST("/v1/signed-cookies", a.authenticate(false), a.postSignedCookies)
	g.DELETE("/v1/signed-cookies", a.authenticate(true), a.deleteSignedCookies)
	for _, p := range []string{"/v1/signed-urls", "/v1/signed-url", "/v1/signed-cookies"} {
		g.OPTIONS(p, a.preflight)
	}
	// Some load balancers probe with HEAD.
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		g.Handle(m, "/healthz", a.healthz)
		g.Handle(m, "/readyz", a.readyz)
	}
	g.GET("/metrics", gin.WrapH(o.Metrics.Handler()))

	allowed := allowedMethods(r.Routes())
	r.NoMethod(func(c *gin.Context) {
		c.Header("Allow", allowed[c.Request.URL.Path])
		writeError(c, errMethod)
	})
	return r
}

// allowedMethods maps each route's path to its methods, as an Allow
// header lists them.
func allowedMethods(routes gin.RoutesInfo) map[string]string {
	m := map[string]string{}
	for _, rt := range routes {
		if m[rt.Path] != "" {
			m[rt.Path] += ", "
		}
		m[rt.Path] += rt.Method
	}
	return m
}

func (a *api) healthz(c *gin.Context) {
	probe(c, http.StatusOK, "ok")
}

func (a *api) readyz(c *gin.Context) {
	ready := a.Auth.Ready() && (a.Ready == nil || a.Ready())
	if !ready {
		probe(c, http.StatusServiceUnavailable, "not ready")
		return
	}
	probe(c, http.StatusOK, "ready")
}

// probe answers a health check with its status and state; HEAD gets the
// same status and headers as GET but no body.
func probe(c *gin.Context, status int, state string) {
	if c.Request.Method == http.MethodHead {
		c.Header("Content-Type", "application/json; charset=utf-8")
		c.Status(status)
		return
	}
	c.JSON(status, gin.H{"status": state})
}
