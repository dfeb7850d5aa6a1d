package bsock

import (
	"context"
	"fmt"
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
	p, err := c.recv(MaxPacket, buf)
	return p, stop(err)
}
