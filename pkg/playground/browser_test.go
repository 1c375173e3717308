package playground_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/edgepass/edgepass/pkg/playground"
)

// The demo site's images, as the page names them.
const (
	aliceCat    = "/private/users/alice/cat.svg"
	aliceGarden = "/private/users/alice/garden.svg"
	bobBoat     = "/private/users/bob/boat.svg"
	sharedMap   = "/private/shared/map.svg"
	premiumGold = "/private/premium/gold.svg"
)

// signedURLsPath is where the page asks the issuer for signed URLs.
const signedURLsPath = playground.BasePath + "/v1/signed-urls"

// browserTimeout bounds each browser test, start-up included, so that a
// page that never gets ready fails the test instead of hanging it.
const browserTimeout = 2 * time.Minute

// browser is a headless Chromium with a fresh profile, one tab open on a
// playground, and a record of the responses that tab received.
type browser struct {
	ctx context.Context
	p   *playground.Playground

	mu        sync.Mutex
	responses map[string][]int64 // HTTP statuses by path, in order
}

// newBrowser starts Chromium for a test, skipping it when Chromium is
// missing unless EDGEPASS_REQUIRE_TOOLS=1, and a playground for it.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	chromium := needTool(t, "chromium")
	p := start(t)

	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		// Containers often have a /dev/shm of 64 MB, too small for
		// Chromium's shared memory: it would crash mid-test.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for Chromium to exit, before TempDir goes
		cancel()
	})

	b := &browser{ctx: tabCtx, p: p, responses: make(map[string][]int64)}
	if err := chromedp.Listen(tabCtx, b.record); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// record keeps the status of every response from the playground's
// origin; it runs on chromedp's event loop, so it only files the event.
func (b *browser) record(ev any) {
	e, ok := ev.(*network.EventResponseReceived)
	if !ok || !strings.HasPrefix(e.Response.URL, b.p.Origin()+"/") {
		return
	}
	u, err := url.Parse(e.Response.URL)
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.responses[u.Path] = append(b.responses[u.Path], e.Response.Status)
}

// responseCount returns how many responses for path the tab received.
func (b *browser) responseCount(path string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.responses[path])
}

// lastStatus returns the status of the last response for path the tab
// received, 0 for none.
func (b *browser) lastStatus(path string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.responses[path]
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1]
}

// open loads the page in mode ("cookies", "urls" or "fresh") as a new
// document and waits until it is ready.
func (b *browser) open(t *testing.T, mode string) {
	t.Helper()
	b.do(t, "open #"+mode, chromedp.Navigate("about:blank"),
		chromedp.Navigate(b.p.Origin()+"/#"+mode))
	b.waitReady(t)
}

// reload reloads the page as the reload button does and waits until it
// is ready.
func (b *browser) reload(t *testing.T) {
	t.Helper()
	// A mark on the old document: should the checks that follow run on
	// it, still ready from before, they would see no request at all.
	b.do(t, "reload", chromedp.Evaluate[chromedp.Void](`window.beforeReload = true`),
		chromedp.Reload())
	b.waitReady(t)
	old, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.beforeReload === true`))
	if err != nil {
		t.Fatalf("after the reload: %v", err)
	}
	if old {
		t.Fatal("the reload left the old document in place")
	}
}

// click clicks the button with the id and waits until the page has
// finished what the click started.
func (b *browser) click(t *testing.T, id string) {
	t.Helper()
	// The page sets data-ready to "1" when a render ends; clearing it
	// first tells the end of this click's render from the previous one.
	b.do(t, "click #"+id,
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.ready = ""`),
		chromedp.Click(chromedp.ID(id)))
	b.waitReady(t)
}

// waitReady waits until the page sets body[data-ready] to "1", failing
// the test if it reports an error instead.
func (b *browser) waitReady(t *testing.T) {
	t.Helper()
	// Evaluated in the page's current document, unlike chromedp.Poll,
	// which can pick the context of the document a reload replaced.
	state, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](readyState,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("wait for the page: %v", err)
	}
	if state != "1" {
		explain, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.ID("explain")))
		t.Fatalf("page reports %q: %s", state, explain)
	}
}

// readyState is a promise of body[data-ready] once it is "1" or "error".
const readyState = `new Promise((resolve) => {
	const settled = () => ["1", "error"].includes(document.body.dataset.ready);
	if (settled()) return resolve(document.body.dataset.ready);
	new MutationObserver((_, observer) => {
		if (settled()) {
			observer.disconnect();
			resolve(document.body.dataset.ready);
		}
	}).observe(document.body, {attributes: true, attributeFilter: ["data-ready"]});
})`

func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// figure is one image of the gallery as the page shows it.
type figure struct {
	State string `json:"state"` // "loaded" or "refused"
	Src   string `json:"src"`   // the URL the image was loaded from
}

// gallery returns the gallery's images by object path.
func (b *browser) gallery(t *testing.T) map[string]figure {
	t.Helper()
	figs, err := chromedp.Run(b.ctx, chromedp.Evaluate[map[string]figure](
		`Object.fromEntries([...document.querySelectorAll("#gallery figure")].map(
			(f) => [f.querySelector("img").dataset.path,
				{state: f.className, src: f.querySelector("img").src}]))`))
	if err != nil {
		t.Fatalf("read the gallery: %v", err)
	}
	return figs
}

// wantStates checks the state of each named image in the gallery.
func (b *browser) wantStates(t *testing.T, want map[string]string) {
	t.Helper()
	figs := b.gallery(t)
	for path, state := range want {
		if got := figs[path].State; got != state {
			t.Errorf("image %s is %q, want %q", path, got, state)
		}
	}
}

// wantRequests checks how many requests for each path reached the edge
// since its counters were last reset.
func (b *browser) wantRequests(t *testing.T, when string, want map[string]int64) {
	t.Helper()
	for path, n := range want {
		if got := b.p.Edge().Requests(path); got != n {
			t.Errorf("%s: edge requests for %s = %d, want %d", when, path, got, n)
		}
	}
}

// TestBrowserSignIn signs in as alice with cookies: her images, the
// shared one and the premium one load; bob's is refused at the edge.
func TestBrowserSignIn(t *testing.T) {
	b := newBrowser(t)
	b.open(t, "cookies")
	b.click(t, "sign-in-alice")

	b.wantStates(t, map[string]string{
		aliceCat: "loaded", aliceGarden: "loaded", sharedMap: "loaded",
		premiumGold: "loaded", bobBoat: "refused",
	})
	if got := b.lastStatus(bobBoat); got != 403 {
		t.Errorf("browser got %d for %s, want 403 from the edge", got, bobBoat)
	}
	if got := b.lastStatus(aliceCat); got != 200 {
		t.Errorf("browser got %d for %s, want 200", got, aliceCat)
	}

	// With signed URLs the issuer signs no URL for bob's image at all.
	b.open(t, "urls")
	b.wantStates(t, map[string]string{
		aliceCat: "loaded", aliceGarden: "loaded", bobBoat: "refused",
	})
	if src := b.gallery(t)[bobBoat].Src; src != "" {
		t.Errorf("signed-URL mode loaded %s from %q, want no URL", bobBoat, src)
	}
}

// TestBrowserReload checks that a reload takes alice's images from the
// browser cache when their URLs stay the same, with cookies and with
// signed URLs, while the control's fresh URL per view reaches the edge
// on every reload.
func TestBrowserReload(t *testing.T) {
	t.Run("cookies", func(t *testing.T) {
		b := newBrowser(t)
		b.open(t, "cookies")
		b.click(t, "sign-in-alice")
		b.wantStates(t, map[string]string{aliceCat: "loaded", aliceGarden: "loaded"})

		b.p.Edge().ResetStats()
		b.reload(t)
		b.wantStates(t, map[string]string{aliceCat: "loaded", aliceGarden: "loaded"})
		// Bob's refusal is no-store, so asking again is what a reload does.
		b.wantRequests(t, "after a reload", map[string]int64{
			aliceCat: 0, aliceGarden: 0, sharedMap: 0, bobBoat: 1,
		})
	})
	t.Run("signed_urls", func(t *testing.T) {
		b := newBrowser(t)
		b.open(t, "cookies")
		b.click(t, "sign-in-alice")
		b.open(t, "urls")
		b.wantStates(t, map[string]string{aliceCat: "loaded", aliceGarden: "loaded"})
		reloadSignedURLs(t, b)
	})
	t.Run("fresh_url", func(t *testing.T) {
		b := newBrowser(t)
		b.open(t, "fresh")
		b.wantStates(t, map[string]string{sharedMap: "loaded"})

		b.p.Edge().ResetStats()
		b.reload(t)
		b.wantRequests(t, "after one reload", map[string]int64{sharedMap: 1})
		b.reload(t)
		b.wantRequests(t, "after two reloads", map[string]int64{sharedMap: 2})
		b.wantStates(t, map[string]string{sharedMap: "loaded"})
	})
}

// reloadSignedURLs reloads the page in signed-URL mode and checks that
// the issuer gave the same URLs again and the edge saw none of them.
// The issuer rounds expiries up to a 15-minute window on its own clock;
// should a window end between the two loads, the URLs differ once, and
// the check is made again inside the next window.
func reloadSignedURLs(t *testing.T, b *browser) {
	t.Helper()
	images := []string{aliceCat, aliceGarden, sharedMap, premiumGold}
	for attempt := 1; ; attempt++ {
		before := b.gallery(t)
		asked := b.responseCount(signedURLsPath)
		b.p.Edge().ResetStats()
		b.reload(t)
		after := b.gallery(t)
		// The same URLs must be new answers of the issuer, one request
		// per image, bob's refused one included, not the old ones kept.
		if got := b.responseCount(signedURLsPath) - asked; got != len(images)+1 {
			t.Fatalf("reload asked the issuer for %d signed URLs, want %d",
				got, len(images)+1)
		}

		changed := false
		for _, path := range images {
			if before[path].Src == "" || after[path].State != "loaded" {
				t.Fatalf("image %s: before %+v, after %+v; want loaded",
					path, before[path], after[path])
			}
			changed = changed || before[path].Src != after[path].Src
		}
		rolled := expiresDiffer(t, before[aliceCat].Src, after[aliceCat].Src)
		if changed && rolled && attempt == 1 {
			continue // a window ended between the loads
		}
		for _, path := range images {
			if before[path].Src != after[path].Src {
				t.Errorf("reload signed %s anew:\n  %s\n  %s", path,
					before[path].Src, after[path].Src)
			}
		}
		b.wantRequests(t, "after a reload", map[string]int64{
			aliceCat: 0, aliceGarden: 0, sharedMap: 0, premiumGold: 0,
		})
		return
	}
}

// expiresDiffer reports whether two signed URLs carry different expiry
// times in their policies or Expires parameters.
func expiresDiffer(t *testing.T, a, b string) bool {
	t.Helper()
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if err := errors.Join(errA, errB); err != nil {
		t.Fatal(err)
	}
	qa, qb := ua.Query(), ub.Query()
	return qa.Get("Expires") != qb.Get("Expires") || qa.Get("Policy") != qb.Get("Policy")
}

// TestBrowserSignOut signs alice in and out: her cookies are gone, and
// a fresh load of her images, one the browser cache cannot answer, is
// refused by the edge.
func TestBrowserSignOut(t *testing.T) {
	b := newBrowser(t)
	b.open(t, "cookies")
	b.click(t, "sign-in-alice")
	b.wantStates(t, map[string]string{aliceCat: "loaded", aliceGarden: "loaded"})

	b.p.Edge().ResetStats()
	b.click(t, "sign-out")
	b.wantStates(t, map[string]string{aliceCat: "refused", aliceGarden: "refused"})
	b.wantRequests(t, "after sign-out", map[string]int64{aliceCat: 1, aliceGarden: 1})
	if got := b.lastStatus(aliceCat); got != 403 {
		t.Errorf("browser got %d for %s after sign-out, want 403", got, aliceCat)
	}

	cookies, err := chromedp.Call(b.ctx, network.GetCookies,
		network.GetCookiesParams{URLs: []string{b.p.Origin() + aliceCat}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies.Cookies {
		if strings.HasPrefix(c.Name, "CloudFront-") {
			t.Errorf("cookie %s (path %s) is still set after sign-out", c.Name, c.Path)
		}
	}

	// Loading her image itself, with the cache off, reaches the edge.
	if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled,
		network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.p.Origin()+aliceCat))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 403 {
		t.Errorf("fresh load of %s after sign-out: %d, want 403", aliceCat, resp.Status)
	}
}
