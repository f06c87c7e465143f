package yamllex

import (
	"bytes"
	"io"
)

// The readers see every line break as a line feed (YAML reads CRLF, a lone CR,
// NEL, LS and PS each as one break). So that the output keeps the input's line
// breaks, a Breaks reads the input as it passes and remembers, per line text,
// which break each of its lines had, in order; the output's lines get them back:
// each output line the break of the next input line of the same text, a line the
// input did not have the break of the line before it. A run with nothing to fix
// writes a CRLF file back byte for byte, and an edited CRLF document gets CRLF
// lines. Nothing is remembered while the input has only line feeds.

// maxKeptLine bounds the line kept while no CR has been seen: a one-line JSON
// input of hundreds of megabytes is not held twice (were a CR to end such a
// line, the output line gets the break of the line before it).
const maxKeptLine = 1 << 20

type lineBreak uint8

const (
	lfBreak lineBreak = iota
	crlfBreak
	crBreak
)

var breakText = [...]string{"\n", "\r\n", "\r"}

// Breaks remembers the input's line breaks.
type Breaks struct {
	src     io.Reader
	active  bool   // a CR was seen: lines are being remembered
	lfLines int    // the lines before that, all ending in LF
	partial []byte // the line being read
	lines   map[string]*breakQueue
}

// breakQueue is the breaks of one line text, in input order.
type breakQueue struct {
	breaks []lineBreak
	next   int
}

// TeeBreaks returns a reader giving r's bytes and the Breaks that remembers them.
func TeeBreaks(r io.Reader) (io.Reader, *Breaks) {
	b := &Breaks{src: r}
	return b, b
}

func (b *Breaks) Read(p []byte) (int, error) {
	n, err := b.src.Read(p)
	if n > 0 {
		b.record(p[:n])
	}
	if err == io.EOF && b.active {
		// A CR that ended the input is a break of its own.
		if k := len(b.partial); k > 0 && b.partial[k-1] == '\r' {
			b.add(string(b.partial[:k-1]), crBreak)
			b.partial = b.partial[:0]
		}
	}
	return n, err
}

func (b *Breaks) record(p []byte) {
	if !b.active {
		i := bytes.IndexByte(p, '\r')
		if i < 0 {
			// Only the current line is needed once a CR shows up.
			b.lfLines += bytes.Count(p, []byte{'\n'})
			if j := bytes.LastIndexByte(p, '\n'); j >= 0 {
				b.partial = append(b.partial[:0], p[j+1:]...)
			} else if len(b.partial) < maxKeptLine {
				b.partial = append(b.partial, p...)
			}
			return
		}
		// The lines this read ends before the CR's line still end in LF.
		if j := bytes.LastIndexByte(p[:i], '\n'); j >= 0 {
			b.lfLines += bytes.Count(p[:i], []byte{'\n'})
			b.partial = append(b.partial[:0], p[j+1:i]...)
			p = p[i:]
		}
		b.active, b.lines = true, map[string]*breakQueue{}
	}
	if n := len(b.partial); n > 0 && b.partial[n-1] == '\r' && len(p) > 0 && p[0] != '\n' {
		// A CR that ended the previous read, not followed by LF: a break of its own.
		b.partial = b.partial[:n-1]
		b.add(string(b.partial), crBreak)
		b.partial = b.partial[:0]
	}
	for len(p) > 0 {
		i := bytes.IndexAny(p, "\r\n")
		if i < 0 {
			b.partial = append(b.partial, p...)
			return
		}
		b.partial = append(b.partial, p[:i]...)
		if p[i] == '\r' {
			if i+1 == len(p) {
				// A CR at the end of a read: the next byte says which break it is.
				b.partial = append(b.partial, '\r')
				return
			}
			if p[i+1] == '\n' {
				b.line(crlfBreak)
				p = p[i+2:]
				continue
			}
			b.line(crBreak)
			p = p[i+1:]
			continue
		}
		if n := len(b.partial); n > 0 && b.partial[n-1] == '\r' {
			b.partial = b.partial[:n-1]
			b.line(crlfBreak)
		} else {
			b.line(lfBreak)
		}
		p = p[i+1:]
	}
}

func (b *Breaks) line(br lineBreak) {
	b.add(string(b.partial), br)
	b.partial = b.partial[:0]
}

func (b *Breaks) add(text string, br lineBreak) {
	q := b.lines[text]
	if q == nil {
		q = &breakQueue{}
		b.lines[text] = q
	}
	q.breaks = append(q.breaks, br)
}

// Writer returns w, or where the input had CRs, a writer that gives the output's
// lines their breaks back. Close it after the output is written.
func (b *Breaks) Writer(w io.Writer) io.WriteCloser {
	if b == nil || !b.active {
		return nopCloser{w}
	}
	return &breakWriter{w: w, b: b}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

type breakWriter struct {
	w       io.Writer
	b       *Breaks
	partial []byte
	last    lineBreak
	lines   int // the output lines written
	out     []byte
}

func (bw *breakWriter) Write(p []byte) (int, error) {
	n := len(p)
	bw.out = bw.out[:0]
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			bw.partial = append(bw.partial, p...)
			break
		}
		text := p[:i]
		if len(bw.partial) > 0 {
			bw.partial = append(bw.partial, text...)
			text = bw.partial
		}
		br := bw.last
		if bw.lines < bw.b.lfLines {
			// One of the lines before the input's first CR: a line feed.
			br = lfBreak
		} else if q := bw.b.lines[string(text)]; q != nil && q.next < len(q.breaks) {
			br = q.breaks[q.next]
			q.next++
		}
		bw.last, bw.lines = br, bw.lines+1
		bw.out = append(append(bw.out, text...), breakText[br]...)
		bw.partial = bw.partial[:0]
		p = p[i+1:]
	}
	if _, err := bw.w.Write(bw.out); err != nil {
		return 0, err
	}
	return n, nil
}

// Close writes a last line without a break.
func (bw *breakWriter) Close() error {
	if len(bw.partial) == 0 {
		return nil
	}
	_, err := bw.w.Write(bw.partial)
	bw.partial = nil
	return err
}
