package dircmd

const base64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

var base64Values = func() (m [256]byte) {
	for i := 0; i < len(base64Digits); i++ {
		m[base64Digits[i]] = byte(i)
	}
	return m
}()

// EncodeBase64Int writes an integer the way Bareos encodes the fields of
// a file's "lstat" attribute string: a '-' for negative values, then the
// magnitude in base 64 (digits A-Z a-z 0-9 + /), most significant first,
// without leading zero digits ("A" is 0).
func EncodeBase64Int(v int64) string { return string(AppendBase64Int(nil, v)) }

// AppendBase64Int appends the EncodeBase64Int form of v to dst.
func AppendBase64Int(dst []byte, v int64) []byte {
	var buf [13]byte
	u := uint64(v)
	neg := v < 0
	if neg {
		u = -u
	}
	i := len(buf)
	for {
		i--
		buf[i] = base64Digits[u&0x3f]
		u >>= 6
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return append(dst, buf[i:]...)
}

// decodeBase64Int reads one field starting at s[i] up to a blank or the
// end, as the Director does (unknown characters count as digit 0). It
// returns the value and the index after the field.
func decodeBase64Int(s string, i int) (int64, int) {
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	var v uint64
	for i < len(s) && s[i] != ' ' {
		v = v<<6 + uint64(base64Values[s[i]])
		i++
	}
	if neg {
		return -int64(v), i
	}
	return int64(v), i
}

// Stat is the decoded form of an lstat attribute string.
type Stat struct {
	Dev, Ino, Mode, Nlink, UID, GID, Rdev, Size, Blksize, Blocks int64
	Atime, Mtime, Ctime                                          int64
	LinkFI                                                       int64 // FileIndex of the hard-linked data
}

// DecodeStat parses an lstat string like the Director's DecodeStat: the
// thirteen stat fields and the optional hard-link FileIndex. Malformed
// input never fails; missing fields are read as 0.
func DecodeStat(lstat string) Stat {
	var v [13]int64
	i := 0
	for k := range v {
		if k > 0 {
			i++ // the separator (whatever it is)
		}
		if i > len(lstat) {
			i = len(lstat)
		}
		v[k], i = decodeBase64Int(lstat, i)
	}
	st := Stat{Dev: v[0], Ino: v[1], Mode: v[2], Nlink: v[3], UID: v[4], GID: v[5], Rdev: v[6],
		Size: v[7], Blksize: v[8], Blocks: v[9], Atime: v[10], Mtime: v[11], Ctime: v[12]}
	// The hard-link index follows if the next byte is a blank, or if the
	// byte after the next is one (the reference's test, quirks included).
	if i < len(lstat) && (lstat[i] == ' ' || (i+1 < len(lstat) && lstat[i+1] == ' ')) {
		lfi, _ := decodeBase64Int(lstat, i+1)
		st.LinkFI = int64(uint32(lfi))
	}
	return st
}

// Encode returns the lstat string of s as the file daemon writes it:
// the thirteen stat fields, the hard-link FileIndex, the file flags (0)
// and the data stream (0), each in Bareos base64, separated by blanks.
// DecodeStat(s.Encode()) is s.
func (s Stat) Encode() string {
	vals := [...]int64{s.Dev, s.Ino, s.Mode, s.Nlink, s.UID, s.GID, s.Rdev, s.Size, s.Blksize, s.Blocks,
		s.Atime, s.Mtime, s.Ctime, s.LinkFI, 0, 0}
	b := make([]byte, 0, 96)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ' ')
		}
		b = AppendBase64Int(b, v)
	}
	return string(b)
}
