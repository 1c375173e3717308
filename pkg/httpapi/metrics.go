package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's Prometheus metrics, on a registry of their
// own.
type Metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	issuance     *prometheus.CounterVec
	authFailures *prometheus.CounterVec
	jwksErrors   prometheus.Counter
}

// CacheStats reads hit and miss counters, such as a signature cache's.
type CacheStats func() (hits, misses uint64)

// NewMetrics registers the metrics. sigCache, when set, is exported as
// edgepass_signature_cache_{hits,misses}_total.
func NewMetrics(sigCache CacheStats) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "edgepass_http_requests_total",
			Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "edgepass_http_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .1, .5},
		}, []string{"route"}),
		issuance: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "edgepass_issued_total",
			Help: "Signed URLs and cookie sets issued, by kind.",
		}, []string{"kind"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "edgepass_auth_failures_total",
			Help: "Refused tokens by reason.",
		}, []string{"reason"}),
		jwksErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "edgepass_jwks_refresh_errors_total",
			Help: "Failed JWKS fetches.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.issuance, m.authFailures, m.jwksErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if sigCache != nil {
		m.registerCache("signature", sigCache)
	}
	return m
}

func (m *Metrics) registerCache(name string, stats CacheStats) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "edgepass_" + name + "_cache_hits_total",
			Help: "Lookups that found a cached " + name + ".",
		}, func() float64 { h, _ := stats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "edgepass_" + name + "_cache_misses_total",
			Help: "Lookups that found no cached " + name + ".",
		}, func() float64 { _, mi := stats(); return float64(mi) }),
	)
}

// RegisterTokenCache exports a verified-token cache's counters.
func (m *Metrics) RegisterTokenCache(stats CacheStats) { m.registerCache("token", stats) }

// JWKSRefreshError counts one failed JWKS fetch; pass it as the auth
// package's OnRefreshError.
func (m *Metrics) JWKSRefreshError(error) { m.jwksErrors.Inc() }

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *Metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *Metrics) issued(kind string, n int) {
	m.issuance.WithLabelValues(kind).Add(float64(n))
}

func (m *Metrics) authFailure(reason string) {
	m.authFailures.WithLabelValues(reason).Inc()
}
