package tlspsk

// reader is a cursor over a handshake message or an extension. Each method
// consumes a field and reports false, consuming nothing, when the input is
// too short. Slices it returns alias the input.
type reader []byte

func (r *reader) empty() bool { return len(*r) == 0 }

func (r *reader) u8(v *uint8) bool {
	if len(*r) < 1 {
		return false
	}
	*v = (*r)[0]
	*r = (*r)[1:]
	return true
}

func (r *reader) u16(v *uint16) bool {
	if len(*r) < 2 {
		return false
	}
	*v = uint16((*r)[0])<<8 | uint16((*r)[1])
	*r = (*r)[2:]
	return true
}

func (r *reader) u32(v *uint32) bool {
	if len(*r) < 4 {
		return false
	}
	*v = uint32((*r)[0])<<24 | uint32((*r)[1])<<16 | uint32((*r)[2])<<8 | uint32((*r)[3])
	*r = (*r)[4:]
	return true
}

func (r *reader) bytes(n int, v *[]byte) bool {
	if n < 0 || len(*r) < n {
		return false
	}
	*v = (*r)[:n:n]
	*r = (*r)[n:]
	return true
}

// vec8 reads an opaque vector with a one-byte length.
func (r *reader) vec8(v *[]byte) bool {
	if len(*r) < 1 || len(*r) < 1+int((*r)[0]) {
		return false
	}
	n := int((*r)[0])
	*v = (*r)[1 : 1+n : 1+n]
	*r = (*r)[1+n:]
	return true
}

// vec16 reads an opaque vector with a two-byte length.
func (r *reader) vec16(v *[]byte) bool {
	if len(*r) < 2 {
		return false
	}
	n := int((*r)[0])<<8 | int((*r)[1])
	if len(*r) < 2+n {
		return false
	}
	*v = (*r)[2 : 2+n : 2+n]
	*r = (*r)[2+n:]
	return true
}

// sub16 is vec16 returning a reader over the vector.
func (r *reader) sub16(v *reader) bool {
	var b []byte
	if !r.vec16(&b) {
		return false
	}
	*v = b
	return true
}

func (r *reader) sub8(v *reader) bool {
	var b []byte
	if !r.vec8(&b) {
		return false
	}
	*v = b
	return true
}

// Builders append to a byte slice. Vectors are opened with a length
// placeholder (openVec) and closed (closeVec) once their content is
// appended; the lengths of everything this package sends are bounded far
// below the field sizes (identities and keys by Config.check, messages by
// construction).

func appendU16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }

func appendU32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// openVec appends an n-byte length placeholder and returns where it is.
func openVec(b []byte, n int) ([]byte, int) {
	at := len(b)
	for i := 0; i < n; i++ {
		b = append(b, 0)
	}
	return b, at
}

// closeVec writes the length of what follows the n-byte placeholder at at.
func closeVec(b []byte, at, n int) {
	l := len(b) - at - n
	for i := n - 1; i >= 0; i-- {
		b[at+i] = byte(l)
		l >>= 8
	}
}

func appendVec8(b, v []byte) []byte {
	b = append(b, byte(len(v)))
	return append(b, v...)
}

func appendVec16(b, v []byte) []byte {
	b = appendU16(b, uint16(len(v)))
	return append(b, v...)
}

// appendHandshake appends a handshake message header for typ and returns
// where its length goes (closeVec(b, at, 3) after the body).
func appendHandshake(b []byte, typ uint8) ([]byte, int) {
	b = append(b, typ)
	return openVec(b, 3)
}
