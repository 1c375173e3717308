package cfsign

import "encoding/base64"

// encoding is standard padded base64 with the three characters that are
// unsafe in a query string replaced as CloudFront requires: '+' by '-',
// '/' by '~' and the padding '=' by '_'.
var encoding = base64.NewEncoding(
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~",
).WithPadding('_')

// Encode returns b in CloudFront's URL-safe base64.
func Encode(b []byte) string {
	return encoding.EncodeToString(b)
}

// Decode reverses [Encode].
func Decode(s string) ([]byte, error) {
	return encoding.DecodeString(s)
}
