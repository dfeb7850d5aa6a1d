package bsock

import (
	"context"
	"fmt"
	"io"
)

// RecvInto is RecvContext reading the payload of a data packet into buf
// when it fits: the packet's Data then aliases buf and is valid until
// buf is used again. A larger packet is read as by Recv. A reader that
// copies each packet elsewhere at once (the Go console joining a large
// answer) so receives without allocating; a buffer of MaxPacket bytes
// fits every packet.
func (c *Conn) RecvInto(ctx context.Context, buf []byte) (Packet, error) {
	if err := ctx.Err(); err != nil {
		return Packet{}, fmt.Errorf("bsock: receive: %w", context.Cause(ctx))
	}
	stop := c.watch(ctx, true)
	p, err := c.recvInto(buf)
	return p, stop(err)
}

func (c *Conn) recvInto(buf []byte) (Packet, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if c.rerr != nil {
		return Packet{}, c.rerr
	}
	n, err := c.readHeader()
	if err != nil {
		return Packet{}, err
	}
	if n <= 0 || int(n) > len(buf) {
		return c.finishPacket(n)
	}
	got, err := io.ReadFull(c.r, buf[:n])
	if err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			c.rerr = fmt.Errorf("%w (payload: got %d of %d bytes)", ErrTruncated, got, n)
		} else {
			c.rerr = fmt.Errorf("bsock: read payload (got %d of %d bytes): %w", got, n, err)
		}
		return Packet{}, c.rerr
	}
	return Packet{Data: buf[:n]}, nil
}
