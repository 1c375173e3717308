package cfverify

// MatchResource reports whether a policy resource matches a request URL.
// In the resource, "*" stands for any run of characters, empty included,
// and "?" for exactly one character, anywhere in the string (custom policy
// page, "Wildcard characters"); every other character matches itself,
// case included. The URL is compared as sent, query string included, so
// "?" matches one byte of a percent-encoded sequence.
//
// The match backtracks only to the latest "*", so it takes at most
// len(resource)*len(url) steps whatever the input.
func MatchResource(resource, url string) bool {
	r, u := 0, 0
	star, resume := -1, 0 // the latest "*" in resource, and where its match ends
	for u < len(url) {
		switch {
		case r < len(resource) && resource[r] == '*':
			star, resume = r, u
			r++
		case r < len(resource) && (resource[r] == '?' || resource[r] == url[u]):
			r++
			u++
		case star >= 0:
			// Let the latest "*" swallow one more character and retry.
			resume++
			r, u = star+1, resume
		default:
			return false
		}
	}
	for r < len(resource) && resource[r] == '*' {
		r++
	}
	return r == len(resource)
}
