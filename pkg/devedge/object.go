package devedge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// Why a request path names no object, found before any lookup.
var (
	errBadPath  = errors.New("invalid object path") // answered with 400
	errNoObject = errors.New("no such object")      // answered with 404
)

// outcome is what the log line of an object request reports beside the
// status.
type outcome struct {
	reason string // why the request was denied, "" if it was not
	source string // where an accepted signature came from, "" if none
	err    error
}

// serveObject serves one object request and logs it.
func (e *Edge) serveObject(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w}
	o := e.handleObject(sw, r)
	e.logRequest(r, sw.status, o)
}

func (e *Edge) handleObject(w http.ResponseWriter, r *http.Request) outcome {
	p := r.URL.Path
	name, err := objectName(p, e.rootObject)
	if errors.Is(err, errBadPath) {
		http.Error(w, "400 bad request: invalid object path", http.StatusBadRequest)
		return outcome{err: err}
	}
	e.count(p)
	if !isRead(r.Method) {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return outcome{}
	}

	// Check the signature before looking at the files, so that a denied
	// request learns nothing about which objects exist.
	var o outcome
	if e.isPrivate(p) {
		res, verr := e.verify(r)
		if verr != nil {
			reason := Reason(verr)
			deny(w, reason)
			return outcome{reason: reason, err: verr}
		}
		o.source = res.Source
	}
	if err == nil {
		err = e.serveFile(w, r, p, name)
	}
	if err != nil {
		http.Error(w, "404 not found", http.StatusNotFound)
		o.err = err
	}
	return o
}

// objectName maps the decoded request path p to a file name in the
// edge's fs.FS: "/" is the root object, and otherwise the path loses its
// leading slash. Names that could leave the file system's root or mean
// something else to the operating system are refused with errBadPath:
// "." and ".." segments, empty segments, backslashes, control characters
// invalid UTF-8 and segments ending in a dot or a space, which Windows
// drops.
func objectName(p, root string) (string, error) {
	switch {
	case !strings.HasPrefix(p, "/"):
		return "", fmt.Errorf("%w: %q does not start with /", errBadPath, p)
	case p == "/":
		return root, nil
	}
	name := strings.TrimSuffix(p[1:], "/")
	if !fs.ValidPath(name) || !utf8.ValidString(name) ||
		strings.ContainsFunc(name, isBadRune) {
		return "", fmt.Errorf("%w: %q", errBadPath, p)
	}
	for seg := range strings.SplitSeq(name, "/") {
		if strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " ") {
			return "", fmt.Errorf("%w: %q", errBadPath, p)
		}
	}
	if strings.HasSuffix(p, "/") {
		// A folder, which is not an object; CloudFront's root object
		// applies to "/" only.
		return "", fmt.Errorf("%w: %q", errNoObject, p)
	}
	return name, nil
}

func isBadRune(r rune) bool {
	return r < ' ' || r == 0x7f || r == '\\'
}

// serveFile sends the file name, found under the object path p, with
// the headers an S3 origin behind CloudFront would give it.
func (e *Edge) serveFile(w http.ResponseWriter, r *http.Request, p, name string) error {
	f, err := e.files.Open(name)
	if err != nil {
		return fmt.Errorf("open object: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat object: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%w: %q is not a regular file", errNoObject, name)
	}
	content, err := readSeeker(f)
	if err != nil {
		return err
	}
	tag, err := e.etagOf(name, info, content)
	if err != nil {
		return err
	}

	h := w.Header()
	h.Set("ETag", tag)
	if cc := e.cacheControlFor(p); cc != "" {
		h.Set("Cache-Control", cc)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	// ServeContent sets Content-Type from the name, Last-Modified unless
	// the time is zero (embedded files), and answers conditional and
	// range requests, 304s keeping ETag and Cache-Control.
	http.ServeContent(w, r, path.Base(name), info.ModTime(), content)
	return nil
}

// readSeeker returns f itself when it can seek, as os and embed files
// can, or else its whole content in memory.
func readSeeker(f fs.File) (io.ReadSeeker, error) {
	if rs, ok := f.(io.ReadSeeker); ok {
		return rs, nil
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read object: %w", err)
	}
	return bytes.NewReader(b), nil
}

// etag is a file's entity tag, remembered with the size and modification
// time it was computed for.
type etag struct {
	size  int64
	mod   time.Time
	value string
}

// etagOf returns the strong entity tag of the file name: a digest of its
// content, as S3 gives one. It is computed again only when the file's
// size or modification time changes, so an edit that keeps both within
// the file system's time resolution goes unnoticed.
func (e *Edge) etagOf(name string, info fs.FileInfo,
	content io.ReadSeeker,
) (string, error) {
	e.etagMu.Lock()
	t, ok := e.etags[name]
	e.etagMu.Unlock()
	if ok && t.size == info.Size() && t.mod.Equal(info.ModTime()) {
		return t.value, nil
	}

	h := sha256.New()
	if _, err := io.Copy(h, content); err != nil {
		return "", fmt.Errorf("read object: %w", err)
	}
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("rewind object: %w", err)
	}
	t = etag{info.Size(), info.ModTime(), `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`}
	e.etagMu.Lock()
	e.etags[name] = t
	e.etagMu.Unlock()
	return t.value, nil
}

// statusWriter remembers the status of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequest writes the request's one log line: the path without the
// query, which may hold a signature, and never a cookie.
func (e *Edge) logRequest(r *http.Request, status int, o outcome) {
	attrs := []any{"method", r.Method, "path", r.URL.Path, "status", status}
	if o.source != "" {
		attrs = append(attrs, "signed_by", o.source)
	}
	if o.reason != "" {
		e.log.Info("request denied", append(attrs, "reason", o.reason, "err", o.err)...)
		return
	}
	if o.err != nil {
		attrs = append(attrs, "err", o.err)
	}
	e.log.Info("request served", attrs...)
}
