package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

// help is what "-h" prints for a command.
type help struct {
	name    string // the command after "edgepass", such as "sign url"
	summary string // one line, lower case, no final period
	usage   string // the arguments, with placeholders in capitals
	example string // one complete command line
}

// command is one run of a command: its flags, output and help.
type command struct {
	help
	flags          *flag.FlagSet
	stdout, stderr io.Writer
}

func newCommand(h help, stdout, stderr io.Writer) *command {
	fs := flag.NewFlagSet("edgepass "+h.name, flag.ContinueOnError)
	// Errors and help are printed by parse, in this command's words.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &command{help: h, flags: fs, stdout: stdout, stderr: stderr}
}

// parse parses flags placed anywhere among args, before or after the
// positional arguments, which it returns; "--" ends the flags. When ok is
// false the command must stop and return code: help was asked for
// (printed on stdout, exit 0) or the flags were misused.
func (c *command) parse(args []string) (pos []string, code int, ok bool) {
	for {
		err := c.flags.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return nil, c.emit(c.helpText()), false
		}
		if err != nil {
			return nil, c.misuse("%v", err), false
		}
		rest := c.flags.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" || len(rest) == 0 {
			return append(pos, rest...), exitOK, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseFlags is [command.parse] for a command that takes flags only: a
// positional argument is misuse.
func (c *command) parseFlags(args []string) (code int, ok bool) {
	pos, code, ok := c.parse(args)
	if ok && len(pos) > 0 {
		return c.misuse("unexpected argument %q", pos[0]), false
	}
	return code, ok
}

// emit writes a command's result to w. A result that cannot be written
// (a closed pipe, a full disk) is a failure.
func emit(w io.Writer, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// report writes a message for the user to w, standard error. If even
// that fails there is nowhere left to say so.
func report(w io.Writer, s string) { _, _ = io.WriteString(w, s) }

// emit writes the result on stdout and returns the exit code.
func (c *command) emit(s string) int {
	if err := emit(c.stdout, s); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// misuse reports a mistake in the command line and returns exitUsage.
func (c *command) misuse(format string, a ...any) int {
	report(c.stderr, fmt.Sprintf("edgepass %s: %s\nusage: %s\nrun 'edgepass %s -h' for help\n",
		c.name, fmt.Sprintf(format, a...), c.usageLine(), c.name))
	return exitUsage
}

// fail reports an error and returns exitFail.
func (c *command) fail(err error) int {
	report(c.stderr, fmt.Sprintf("edgepass %s: %v\n", c.name, err))
	return exitFail
}

// emitJSON writes v as indented JSON on stdout.
func (c *command) emitJSON(v any) int {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return c.fail(fmt.Errorf("encode json: %w", err))
	}
	return c.emit(b.String())
}

// helpText returns what -h prints: description, usage, flags, example.
func (c *command) helpText() string {
	var b strings.Builder
	b.WriteString(wrap("edgepass "+c.name+": "+c.summary, "", "  ", 78))
	b.WriteString("\n" + wrap(c.usageLine(), "usage: ", "         ", 78))
	if hasFlags(c.flags) {
		b.WriteString("\nflags:\n" + flagsText(c.flags))
	}
	b.WriteString("\nexample:\n  " + c.example + "\n")
	return b.String()
}

func (c *command) usageLine() string {
	return strings.TrimSpace("edgepass " + c.name + " " + c.usage)
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// flagsText lists flags with two dashes and their placeholder (the
// back-quoted word of the usage text), then the usage text and any
// non-zero default, wrapped and indented below.
func flagsText(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
			name = ""
		}
		if f.DefValue != "" && f.DefValue != "0s" && f.DefValue != "false" {
			usage += " (default " + f.DefValue + ")"
		}
		b.WriteString("  " + strings.TrimSpace("--"+f.Name+" "+name) + "\n")
		b.WriteString(wrap(usage, "      ", "      ", 78))
	})
	return b.String()
}

// wrap breaks text into lines of at most width columns, where words
// allow; the first line starts with first, the others with rest.
func wrap(text, first, rest string, width int) string {
	var b strings.Builder
	line, empty := first, true
	for _, word := range strings.Fields(text) {
		if !empty && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line, empty = line+word, false
	}
	b.WriteString(line + "\n")
	return b.String()
}

// timeValue is a flag holding an RFC 3339 time.
type timeValue struct{ t time.Time }

func (v *timeValue) String() string {
	if v.t.IsZero() {
		return ""
	}
	return v.t.Format(time.RFC3339)
}

func (v *timeValue) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return errors.New("want an RFC 3339 time such as 2026-12-31T23:00:00Z")
	}
	v.t = t
	return nil
}

// hashValue is a flag holding a signature hash.
type hashValue struct{ h cfsign.Hash }

func (v *hashValue) String() string { return v.h.String() }

func (v *hashValue) Set(s string) error {
	h, err := cfsign.ParseHash(s)
	v.h = h
	return err
}

// ipRangeValue is a flag holding an IPv4 address or CIDR block.
type ipRangeValue struct{ p netip.Prefix }

func (v *ipRangeValue) String() string {
	if !v.p.IsValid() {
		return ""
	}
	return v.p.String()
}

func (v *ipRangeValue) Set(s string) error {
	p, err := cfsign.ParseIPRange(s)
	v.p = p
	return err
}

// addrValue is a flag holding one IP address.
type addrValue struct{ a netip.Addr }

func (v *addrValue) String() string {
	if !v.a.IsValid() {
		return ""
	}
	return v.a.String()
}

func (v *addrValue) Set(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return errors.New("want an IP address such as 192.0.2.7")
	}
	v.a = a
	return nil
}

// keyFileValue is a repeatable flag holding ID=FILE pairs.
type keyFileValue struct{ pairs []keyFile }

type keyFile struct{ id, path string }

func (v *keyFileValue) String() string {
	s := make([]string, len(v.pairs))
	for i, p := range v.pairs {
		s[i] = p.id + "=" + p.path
	}
	return strings.Join(s, " ")
}

func (v *keyFileValue) Set(s string) error {
	id, path, ok := strings.Cut(s, "=")
	if !ok || id == "" || path == "" {
		return errors.New("want ID=FILE, such as K2JCJMDEHXQW5F=keys/edgepass.pub.pem")
	}
	v.pairs = append(v.pairs, keyFile{id: id, path: path})
	return nil
}
