package resourcelist

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// packThreshold is how much item text is held as it came; past it, further items'
// texts are held deflated, in blocks of consecutive items. Every item must be held
// until the last one is read (the function config and the networks may come after
// the VMs), so a fleet's text would otherwise set the peak memory: 100,000 VMs are
// 300 MB of YAML, and a block of a fleet's items deflates about 15 times.
const packThreshold int64 = 32 << 20

// blockSize is the inflated size a block is sealed at: items of one fleet look
// alike, so a block of a few dozen deflates as well as a whole file would, and one
// block inflated at a time is all the workers hold.
const blockSize = 128 << 10

// block is consecutive items' texts, deflated once sealed. It is inflated when one
// of its items is first needed and dropped when all of them are written.
type block struct {
	mu      sync.Mutex
	packed  []byte
	size    int
	plain   []byte // the inflated texts while items of the block are in use
	pending int    // items not yet written
}

// text returns the inflated texts of the block.
func (b *block) text() ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.plain != nil {
		return b.plain, nil
	}
	plain := make([]byte, b.size)
	r := flate.NewReader(bytes.NewReader(b.packed))
	if _, err := io.ReadFull(r, plain); err != nil {
		return nil, fmt.Errorf("internal error: a packed block of items is corrupt: %v", err)
	}
	b.plain = plain
	return plain, nil
}

// release marks one item written; the last one frees the block.
func (b *block) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending--; b.pending == 0 {
		b.packed, b.plain = nil, nil
	}
}

// packer builds blocks as the reader reads items. Used by the reader only.
type packer struct {
	w    *flate.Writer
	buf  bytes.Buffer
	cur  *block
	text []byte // the open block's texts
	// blockSize is the inflated size a block is sealed at.
	blockSize int
}

// add files an item's text in the open block, sealing the block when it is full.
func (p *packer) add(it *Item, text []byte) {
	if p.cur == nil {
		p.cur = &block{}
	}
	it.block, it.off, it.size = p.cur, len(p.text), len(text)
	p.text = append(p.text, text...)
	p.cur.pending++
	if len(p.text) >= p.blockSize {
		p.seal()
	}
}

// seal deflates the open block.
func (p *packer) seal() {
	if p.cur == nil {
		return
	}
	if p.w == nil {
		// Level 2: as small as the better levels on such text, at most of their speed.
		p.w, _ = flate.NewWriter(nil, 2)
	}
	p.buf.Reset()
	p.w.Reset(&p.buf)
	p.w.Write(p.text)
	p.w.Close()
	p.cur.mu.Lock()
	p.cur.packed, p.cur.size = bytes.Clone(p.buf.Bytes()), len(p.text)
	p.cur.mu.Unlock()
	p.cur, p.text = nil, p.text[:0]
}
