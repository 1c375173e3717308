package cfverify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// statement is the one statement of a policy, canned or custom.
type statement struct {
	resource  string
	notAfter  int64 // DateLessThan
	notBefore int64 // DateGreaterThan, when hasStart
	hasStart  bool
	sourceIP  netip.Prefix // invalid when the policy names no range
}

// jsonQuote escapes a URL for a JSON string. parseURL admits printable
// ASCII only, so a quote and a backslash are all that need escaping.
var jsonQuote = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// cannedPolicy is the policy CloudFront builds for a canned signature: the
// documented statement with whitespace removed, the base URL as Resource
// and Expires as DateLessThan (canned policy pages, "Create a policy
// statement"). The signature must cover exactly these bytes.
func cannedPolicy(resource string, expires int64) []byte {
	var b bytes.Buffer
	b.WriteString(`{"Statement":[{"Resource":"`)
	b.WriteString(jsonQuote.Replace(resource))
	b.WriteString(`","Condition":{"DateLessThan":{"AWS:EpochTime":`)
	b.WriteString(strconv.FormatInt(expires, 10))
	b.WriteString(`}}}]}`)
	return b.Bytes()
}

// parsePolicy reads a custom policy, holding it to the documented shape:
// UTF-8; exactly one statement; names spelled exactly as documented
// ("abbreviations ... are not accepted"), each once; Condition keys in any
// order; DateLessThan required, DateGreaterThan and IpAddress optional.
// Whitespace between tokens is allowed, as in the guide's own example.
func parsePolicy(data []byte) (statement, error) {
	st, err := readPolicy(data)
	if err != nil {
		return statement{}, fmt.Errorf("%w: %w", ErrMalformedPolicy, err)
	}
	return st, nil
}

func readPolicy(data []byte) (statement, error) {
	if !utf8.Valid(data) {
		return statement{}, errors.New("not UTF-8")
	}
	top, err := readObject(data, []string{"Statement"}, "Statement")
	if err != nil {
		return statement{}, err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(top["Statement"], &list); err != nil {
		return statement{}, fmt.Errorf("statement list: %w", err)
	}
	if len(list) != 1 {
		return statement{}, fmt.Errorf("%d statements, want exactly one", len(list))
	}
	return readStatement(list[0])
}

func readStatement(data []byte) (statement, error) {
	fields, err := readObject(data, []string{"Resource", "Condition"},
		"Resource", "Condition")
	if err != nil {
		return statement{}, fmt.Errorf("statement: %w", err)
	}
	var st statement
	if err := readString(fields["Resource"], &st.resource); err != nil {
		return statement{}, fmt.Errorf("resource: %w", err)
	}
	if err := readCondition(fields["Condition"], &st); err != nil {
		return statement{}, fmt.Errorf("condition: %w", err)
	}
	return st, nil
}

func readCondition(data []byte, st *statement) error {
	fields, err := readObject(data,
		[]string{"DateLessThan", "DateGreaterThan", "IpAddress"}, "DateLessThan")
	if err != nil {
		return err
	}
	if st.notAfter, err = readEpoch(fields["DateLessThan"]); err != nil {
		return fmt.Errorf("DateLessThan: %w", err)
	}
	if raw, ok := fields["DateGreaterThan"]; ok {
		if st.notBefore, err = readEpoch(raw); err != nil {
			return fmt.Errorf("DateGreaterThan: %w", err)
		}
		st.hasStart = true
	}
	if raw, ok := fields["IpAddress"]; ok {
		if st.sourceIP, err = readSourceIP(raw); err != nil {
			return fmt.Errorf("IpAddress: %w", err)
		}
	}
	return nil
}

// readEpoch reads {"AWS:EpochTime":<seconds>}, the number unquoted.
func readEpoch(data []byte) (int64, error) {
	fields, err := readObject(data, []string{"AWS:EpochTime"}, "AWS:EpochTime")
	if err != nil {
		return 0, err
	}
	raw := string(fields["AWS:EpochTime"])
	n, ok := parseEpoch(raw)
	if !ok {
		return 0, fmt.Errorf("AWS:EpochTime %s is not whole seconds", raw)
	}
	return n, nil
}

// readSourceIP reads {"AWS:SourceIp":"a.b.c.d/n"}: one IPv4 range in CIDR
// form, a single address written as /32; IPv6 is not supported (custom
// policy page, IpAddress).
func readSourceIP(data []byte) (netip.Prefix, error) {
	fields, err := readObject(data, []string{"AWS:SourceIp"}, "AWS:SourceIp")
	if err != nil {
		return netip.Prefix{}, err
	}
	var s string
	if err := readString(fields["AWS:SourceIp"], &s); err != nil {
		return netip.Prefix{}, fmt.Errorf("AWS:SourceIp: %w", err)
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("AWS:SourceIp %q is not an IPv4 CIDR", s)
	}
	return p, nil
}

func readString(data []byte, dst *string) error {
	if len(data) == 0 || data[0] != '"' {
		return errors.New("not a string")
	}
	return json.Unmarshal(data, dst)
}

// readObject reads one JSON object whose keys are all in allowed, none
// repeated, and every key in required present. Keys compare exactly,
// unlike encoding/json's case-insensitive struct matching.
func readObject(data []byte, allowed []string, required ...string) (
	map[string]json.RawMessage, error,
) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	fields := make(map[string]json.RawMessage)
	for dec.More() {
		if err := readField(dec, allowed, fields); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the object")
	}
	for _, key := range required {
		if _, ok := fields[key]; !ok {
			return nil, fmt.Errorf("missing %q", key)
		}
	}
	return fields, nil
}

func readField(dec *json.Decoder, allowed []string, fields map[string]json.RawMessage) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	key, ok := tok.(string)
	if !ok {
		return errors.New("object key is not a string")
	}
	if !slices.Contains(allowed, key) {
		return fmt.Errorf("unknown key %q", key)
	}
	if _, dup := fields[key]; dup {
		return fmt.Errorf("key %q appears twice", key)
	}
	var value json.RawMessage
	if err := dec.Decode(&value); err != nil {
		return err
	}
	fields[key] = value
	return nil
}
