package uacontext

import (
	"bytes"
	"sync"
)

// DefaultMaxQueued is the default capacity of a MessageQueue in bytes.
const DefaultMaxQueued = 1 << 20

// maxMessageLine is the longest piece the Director sends as one console
// message packet (it reads its message file with a 2000-byte fgets).
const maxMessageLine = 1999

// MessageQueue is the Director's console message store: text that jobs
// and daemons address to "the console" waits here until a session shows
// it (the messages command, or automatically with autodisplay on). Like
// the Director's, the queue is shared by all sessions: the first one to
// display the messages consumes them.
//
// A MessageQueue is safe for concurrent use. The zero value is an empty
// queue holding up to DefaultMaxQueued bytes.
type MessageQueue struct {
	// MaxBytes bounds the queued text; when a Post would exceed it, the
	// oldest lines are dropped. Zero means DefaultMaxQueued.
	MaxBytes int

	mu  sync.Mutex
	buf []byte
}

// Post appends text to the queue. Messages normally end with a newline;
// each line is later sent as its own packet.
func (q *MessageQueue) Post(text string) {
	if q == nil || text == "" {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	max := q.MaxBytes
	if max <= 0 {
		max = DefaultMaxQueued
	}
	if len(text) > max {
		text = text[len(text)-max:]
	}
	q.buf = append(q.buf, text...)
	if over := len(q.buf) - max; over > 0 {
		// Drop whole lines: up to the end of the line holding byte over-1.
		cut := over
		if i := bytes.IndexByte(q.buf[over-1:], '\n'); i >= 0 {
			cut = over + i
		}
		q.buf = append(q.buf[:0], q.buf[cut:]...)
	}
}

// Pending reports whether messages are waiting.
func (q *MessageQueue) Pending() bool {
	if q == nil {
		return false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.buf) > 0
}

// Drain removes and returns the queued text as the pieces the Director
// sends one per packet: lines including their newline, with lines longer
// than 1999 bytes cut into 1999-byte pieces, each piece ending at its
// first NUL byte (it is a C string).
func (q *MessageQueue) Drain() []string {
	if q == nil {
		return nil
	}
	q.mu.Lock()
	buf := q.buf
	q.buf = nil
	q.mu.Unlock()
	var out []string
	for len(buf) > 0 {
		n := len(buf)
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			n = i + 1
		}
		if n > maxMessageLine {
			n = maxMessageLine
		}
		out = append(out, cString(string(buf[:n])))
		buf = buf[n:]
	}
	return out
}
