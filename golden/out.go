package golden

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// The .out format records the packets a formatter sent, in order. Each
// packet is a header line "--- packet LEN\n", exactly LEN raw bytes of
// payload, and a newline that is not part of the payload. No packets is an
// empty file.

const outPrefix = "--- packet "

// ErrMalformedOut is wrapped by the errors ReadOut returns for data that
// is not in .out format.
var ErrMalformedOut = errors.New("malformed .out data")

// WriteOut writes packets to w in .out format.
func WriteOut(w io.Writer, packets [][]byte) error {
	bw := bufio.NewWriter(w)
	for _, p := range packets {
		bw.WriteString(outPrefix)
		bw.WriteString(strconv.Itoa(len(p)))
		bw.WriteByte('\n')
		bw.Write(p)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// FormatOut returns packets in .out format.
func FormatOut(packets [][]byte) []byte {
	var b bytes.Buffer
	WriteOut(&b, packets) // writing to a bytes.Buffer does not fail
	return b.Bytes()
}

// maxHeaderLine bounds the header line ReadOut accepts: "--- packet " and
// the digits of any length that fits an int64.
const maxHeaderLine = len(outPrefix) + 19

// ReadOut reads .out data and returns its packets. It is strict: anything
// but a sequence of well-formed packet records (no leading zeros, the exact
// payload length, the trailing newline) is an error wrapping
// ErrMalformedOut that names the packet and byte offset. ReadOut allocates
// memory only as payload bytes actually arrive, whatever a header claims.
func ReadOut(r io.Reader) ([][]byte, error) {
	br := bufio.NewReader(r)
	var packets [][]byte
	var off int64 // byte offset of the current record
	for {
		idx := len(packets)
		fail := func(format string, args ...any) ([][]byte, error) {
			return nil, fmt.Errorf("%w: packet %d (offset %d): %s", ErrMalformedOut, idx, off, fmt.Sprintf(format, args...))
		}
		// Header line, read with a bound on its length.
		var hdr []byte
		for {
			b, err := br.ReadByte()
			if err == io.EOF {
				if len(hdr) == 0 {
					return packets, nil
				}
				return fail("truncated header line %q", hdr)
			}
			if err != nil {
				return nil, err
			}
			if b == '\n' {
				break
			}
			hdr = append(hdr, b)
			if len(hdr) > maxHeaderLine {
				return fail("header line too long: %.40q...", hdr)
			}
		}
		num, ok := bytes.CutPrefix(hdr, []byte(outPrefix))
		if !ok {
			return fail("header line %q does not start with %q", hdr, outPrefix)
		}
		if len(num) == 0 || !digits(string(num)) || (len(num) > 1 && num[0] == '0') {
			return fail("bad length %q in header line", num)
		}
		n, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil {
			return fail("bad length %q in header line: %v", num, err)
		}
		// Payload: io.CopyN grows the buffer with the data, not with n.
		var payload bytes.Buffer
		got, err := io.CopyN(&payload, br, n)
		if err == io.EOF {
			return fail("truncated payload: header says %d bytes, %d present", n, got)
		}
		if err != nil {
			return nil, err
		}
		end, err := br.ReadByte()
		if err == io.EOF {
			return fail("missing newline after the %d-byte payload", n)
		}
		if err != nil {
			return nil, err
		}
		if end != '\n' {
			return fail("byte after the %d-byte payload is %q, want '\\n' (wrong length?)", n, end)
		}
		p := payload.Bytes()
		if p == nil {
			p = []byte{} // a zero-length packet is still a packet
		}
		packets = append(packets, p)
		off += int64(len(hdr)) + 1 + n + 1
	}
}

// digits reports whether s is a non-empty run of ASCII decimal digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
