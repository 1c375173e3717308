package playground

import (
	"fmt"
	"strings"
)

// Objects of the demo site the walk-through uses.
const (
	aliceImage = PrivatePrefix + "users/alice/cat.svg"
	bobImage   = PrivatePrefix + "users/bob/boat.svg"
)

// step is one command of the walk-through and what it answers.
type step struct {
	note    string // what the step shows
	want    int    // the final HTTP status, or 0 when the step prints none
	command string // one shell line; {o} is the origin
}

// walkthrough is what Guide prints, in order. The steps share the shell
// variable TOKEN and the cookie jar cookies.txt.
var walkthrough = []step{
	{"a dev token for alice, who has the premium plan", 0,
		`TOKEN=$(curl -sS -d '{"sub":"alice","claims":{"plan":"premium"}}' {o}` +
			TokenPath + `)`},
	{"her image with no signature; X-Edgepass-Denied says why", 403,
		`curl -sS -D - -o /dev/null {o}` + aliceImage},
	{"ask the issuer for a signed URL and follow it", 200,
		`curl -sS -L -D - -o /dev/null -H "Authorization: Bearer $TOKEN" ` +
			`'{o}` + BasePath + `/v1/signed-url?path=` + aliceImage + `'`},
	{"signed cookies for each of her grants, into cookies.txt", 200,
		`curl -sS -D - -o /dev/null -c cookies.txt -X POST ` +
			`-H "Authorization: Bearer $TOKEN" {o}` + BasePath + `/v1/signed-cookies`},
	{"the same clean URL, with the cookies", 200,
		`curl -sS -D - -o /dev/null -b cookies.txt {o}` + aliceImage},
	{"bob's image: her cookies are not even sent there", 403,
		`curl -sS -D - -o /dev/null -b cookies.txt {o}` + bobImage},
	{"sign out: expired cookies, which empty the jar", 204,
		`curl -sS -D - -o /dev/null -c cookies.txt -X DELETE ` +
			`-H "Authorization: Bearer $TOKEN" {o}` + BasePath + `/v1/signed-cookies`},
	{"and her image is refused again", 403,
		`curl -sS -D - -o /dev/null -b cookies.txt {o}` + aliceImage},
	{"how many requests reached the edge, per object", 200,
		`curl -sS -i {o}/_edge/stats`},
}

// Guide returns what `edgepass dev` prints once it listens: the
// addresses, the token command and, for the demo site, a curl
// walk-through that runs as printed, each step's comment ending in
// "→ STATUS" when it expects one.
func (p *Playground) Guide() string {
	var b strings.Builder
	fmt.Fprintf(&b, "demo page    %s/\n", p.origin)
	fmt.Fprintf(&b, "issuer API   %s%s/v1/\n", p.origin, BasePath)
	fmt.Fprintf(&b, "edge stats   %s/_edge/stats\n", p.origin)
	b.WriteString("dev token    " + shellJoin(p.self) +
		" token --sub alice --claim plan=premium")
	if p.keyDir != DefaultKeyDir {
		b.WriteString(" --keys " + shellQuote(p.keyDir))
	}
	b.WriteString("\n")
	if !p.demo {
		b.WriteString("\nserving your folder: objects under " + PrivatePrefix +
			" need a signature; the walk-through needs the demo site " +
			"(run without --dir)\n")
		return b.String()
	}
	b.WriteString("\n" + walkthroughHeader + "; in a scratch folder; " +
		"use this exact host, the edge checks it):\n\n")
	for i, s := range walkthrough {
		fmt.Fprintf(&b, "# %d. %s", i+1, s.note)
		if s.want != 0 {
			fmt.Fprintf(&b, " → %d", s.want)
		}
		b.WriteString("\n" + strings.ReplaceAll(s.command, "{o}", p.origin) + "\n")
	}
	return b.String()
}

// walkthroughHeader starts the line after which the guide is bash.
const walkthroughHeader = "walk-through (bash"

// shellJoin returns words as one bash command line.
func shellJoin(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = shellQuote(w)
	}
	return strings.Join(quoted, " ")
}

// shellQuote returns s quoted for bash when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"+
		"0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
