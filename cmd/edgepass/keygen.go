package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/edgepass/edgepass/pkg/cfsign"
)

var keygenHelp = help{
	name:    "keygen",
	summary: "make a signing key pair: a private key and its public key to upload",
	usage:   "--name NAME [--type ecdsa|rsa] [--dir DIR] [--force]",
	example: "edgepass keygen --name edgepass-2026-12 --dir keys",
}

func runKeygen(args []string, stdout, stderr io.Writer) int {
	c := newCommand(keygenHelp, stdout, stderr)
	var files cfsign.KeyFiles
	keyType := string(cfsign.ECDSA)
	c.flags.StringVar(&files.Name, "name", "",
		"base `NAME` of the key files NAME.pem and NAME.pub.pem (required)")
	c.flags.StringVar(&keyType, "type", keyType,
		"key `TYPE`: ecdsa (P-256, fast, short signatures) or rsa (2048 bits)")
	c.flags.StringVar(&files.Dir, "dir", "keys",
		"`DIR` to write the key files to, created with mode 0700 if missing")
	c.flags.BoolVar(&files.Force, "force", false,
		"replace existing key files; the old private key is lost")

	code, ok := c.parseFlags(args)
	switch {
	case !ok:
		return code
	case files.Name == "":
		return c.misuse("--name is required")
	}

	key, err := cfsign.GenerateKey(cfsign.KeyType(keyType))
	if errors.Is(err, cfsign.ErrUnsupportedKey) {
		return c.misuse("--type: %v", err)
	}
	if err != nil {
		return c.fail(err)
	}
	err = files.Write(key)
	if errors.Is(err, cfsign.ErrInvalidKeyName) {
		return c.misuse("--name: %v", err)
	}
	if errors.Is(err, cfsign.ErrKeyFileExists) {
		return c.fail(fmt.Errorf("%w (--force replaces it)", err))
	}
	if err != nil {
		return c.fail(err)
	}
	report(stderr, fmt.Sprintf("wrote %s (private: keep it secret, never commit it)\n"+
		"next: upload %s to CloudFront as a public key, add it to a key group,"+
		" and put the ID CloudFront gives it in signing.keys\n",
		files.PrivatePath(), files.PublicPath()))
	return c.emit(files.PublicPath() + "\n")
}
