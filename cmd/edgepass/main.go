// Command edgepass issues CloudFront signed URLs and cookies to signed-in
// users, and offers the offline tools around them: key generation,
// signing and verification from the command line.
//
// Run "edgepass help" for the list of commands and "edgepass help VERB"
// for one of them.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Exit codes of every command.
const (
	exitOK    = 0 // success
	exitFail  = 1 // the command ran and failed, or the verdict is negative
	exitUsage = 2 // misuse: unknown verb or flag, missing or bad arguments
)

// verb is one edgepass command.
type verb struct {
	name    string
	summary string // one line, lower case, no final period
	run     func(args []string, stdout, stderr io.Writer) int
}

// verbs lists the commands in the order usage shows them; adding a
// command is adding a line.
var verbs = []verb{
	{"serve", serveHelp.summary, runServe},
	{"keygen", keygenHelp.summary, runKeygen},
	{"sign", "sign a URL or cookies for CloudFront", runSign},
	{"verify", verifyHelp.summary, runVerify},
	{"dev", devHelp.summary, runDev},
	{"token", tokenHelp.summary, runToken},
	{"version", versionHelp.summary, runVersion},
}

// clock tells the time; tests replace it.
var clock = time.Now

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches args to a verb and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		report(stderr, usageText())
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return runHelp(rest, stdout, stderr)
	}
	if v, ok := lookup(name); ok {
		return v.run(rest, stdout, stderr)
	}
	report(stderr, fmt.Sprintf("edgepass: unknown command %q\n"+
		"run 'edgepass help' for the list of commands\n", name))
	return exitUsage
}

func lookup(name string) (verb, bool) {
	for _, v := range verbs {
		if v.name == name {
			return v, true
		}
	}
	return verb{}, false
}

// runHelp prints the command list, or one command's help when named.
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		if err := emit(stdout, usageText()); err != nil {
			report(stderr, fmt.Sprintf("edgepass help: %v\n", err))
			return exitFail
		}
		return exitOK
	case 1:
		if v, ok := lookup(args[0]); ok {
			return v.run([]string{"-h"}, stdout, stderr)
		}
		report(stderr, fmt.Sprintf("edgepass help: unknown command %q\n", args[0]))
	default:
		report(stderr, "edgepass help: want at most one command name\n")
	}
	return exitUsage
}

// usageText lists the verbs.
func usageText() string {
	var b strings.Builder
	b.WriteString("edgepass issues CloudFront signed URLs and cookies.\n\n")
	b.WriteString("usage: edgepass VERB [ARGUMENTS] [FLAGS]\n\nverbs:\n")
	for _, v := range verbs {
		fmt.Fprintf(&b, "  %-9s %s\n", v.name, v.summary)
	}
	fmt.Fprintf(&b, "  %-9s %s\n", "help", "show this list, or a verb's help: help VERB")
	b.WriteString("\nexample:\n  edgepass keygen --name edgepass-2026-12\n")
	return b.String()
}
