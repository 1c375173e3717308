package playground

import (
	"embed"
	"io/fs"
)

//go:embed site
var site embed.FS

// Site returns the embedded demo site: the page at its root and private
// images for alice, bob, everyone signed in, and premium users.
func Site() fs.FS {
	sub, err := fs.Sub(site, "site")
	if err != nil {
		panic(err) // "site" is a valid name, checked at compile time by embed
	}
	return sub
}
